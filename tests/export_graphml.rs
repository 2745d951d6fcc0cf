//! GraphML loaded by its real consumer, `networkx.read_graphml`: counts, typed attributes,
//! lists as JSON strings, awkward text, parallel edges, and the co-attendance projection.

mod export_support;

use export_support::*;
use partygraph::export::{render_graphml, write_graphml};
use partygraph::{KnowledgeGraph, query};

/// Loads a GraphML file with networkx and summarizes it as JSON.
const SUMMARY: &str = r#"
import json, sys
import xml.etree.ElementTree as ET
import networkx as nx
path = sys.argv[1]
g = nx.read_graphml(path)
ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
root = ET.parse(path).getroot()
keys = {k.get("id"): (k.get("for"), k.get("attr.name"), k.get("attr.type")) for k in root.findall("g:key", ns)}
used = sorted({d.get("key") for d in root.iter("{http://graphml.graphdrawing.org/xmlns}data")})
def typ(v):
    return type(v).__name__
out = {
    "class": type(g).__name__,
    "nodes": g.number_of_nodes(),
    "edges": g.number_of_edges(),
    "graph": {k: v for k, v in g.graph.items()},
    "node": {n: {k: [v, typ(v)] for k, v in d.items()} for n, d in g.nodes(data=True)},
    "edge": [[u, v, {k: [x, typ(x)] for k, x in d.items()}] for u, v, d in g.edges(data=True)],
    "keys": keys,
    "undeclared": [u for u in used if u not in keys],
}
print(json.dumps(out, ensure_ascii=False))
"#;

fn load(g: impl Into<partygraph::export::PropertyGraph>) -> serde_json::Value {
    let dir = tempdir();
    let path = dir.path().join("g.graphml");
    let f = std::fs::File::create(&path).expect("create");
    write_graphml(g, f).expect("write graphml");
    serde_json::from_str(&python(SUMMARY, &[&path])).expect("json from python")
}

#[test]
fn networkx_reads_the_knowledge_graph() {
    if !have_networkx() {
        return;
    }
    let g = synthetic(60, 20);
    let v = load(&g);
    assert_eq!(v["nodes"], g.node_count());
    assert_eq!(v["edges"], g.edge_count());
    // Someone may attend and speak at one meeting: parallel edges, so a directed multigraph.
    assert_eq!(v["class"], "MultiDiGraph");
    assert_eq!(v["undeclared"], serde_json::json!([]));
    // Typed keys: every attribute declared with its type.
    let keys = v["keys"].as_object().expect("keys");
    assert_eq!(
        keys["node_mentions"],
        serde_json::json!(["node", "mentions", "int"])
    );
    assert_eq!(
        keys["node_confidence"],
        serde_json::json!(["node", "confidence", "double"])
    );
    assert_eq!(
        keys["edge_weight"],
        serde_json::json!(["edge", "weight", "int"])
    );
    assert_eq!(
        keys["node_aliases"],
        serde_json::json!(["node", "aliases", "string"])
    );
    // Attributes come back with their types.
    let m = &v["node"]["meeting:m3"];
    assert_eq!(m["kind"], serde_json::json!(["meeting", "str"]));
    assert_eq!(
        m["label"],
        serde_json::json!(["Hội nghị sơ kết số 3", "str"])
    );
    assert_eq!(
        m["date"][0],
        g.node("meeting:m3").unwrap().attrs().date.clone().unwrap()
    );
    assert_eq!(m["mentions"], serde_json::json!([1, "int"]));
    assert_eq!(m["confidence"][1], "float");
    assert!((m["confidence"][0].as_f64().unwrap() - 0.9).abs() < 1e-9);
    // Lists are JSON arrays in strings.
    let docs: Vec<String> = serde_json::from_str(m["documents"][0].as_str().unwrap()).unwrap();
    assert_eq!(docs, vec!["doc-003"]);
    // Edges carry kind, weight and evidence.
    let e = v["edge"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e[1] == "meeting:m3" && e[2]["kind"][0] == "organizes")
        .expect("organizes edge");
    assert_eq!(e[2]["weight"], serde_json::json!([1, "int"]));
    let ev: Vec<String> = serde_json::from_str(e[2]["evidence"][0].as_str().unwrap()).unwrap();
    assert!(ev[0].ends_with("tổ chức hội nghị."));
    // Graph attributes.
    assert!(
        v["graph"]["generator"]
            .as_str()
            .unwrap()
            .starts_with("partygraph ")
    );
}

#[test]
fn awkward_text_and_parallel_edges_survive() {
    if !have_networkx() {
        return;
    }
    let g = tricky();
    let v = load(&g);
    assert_eq!(v["nodes"], g.node_count());
    assert_eq!(v["edges"], g.edge_count());
    for n in g.nodes() {
        let got = &v["node"][&n.id()];
        // Labels exactly as in the graph, except that XML cannot hold the BEL control character.
        let want = n.label().replace('\u{7}', "\u{FFFD}");
        assert_eq!(got["label"][0], want.as_str(), "{}", n.id());
        let aliases: Vec<String> =
            serde_json::from_str(got["aliases"][0].as_str().unwrap()).unwrap();
        let expected: Vec<String> = n.aliases.iter().map(String::from).collect();
        assert_eq!(aliases, expected);
    }
    // A label with CR LF keeps its CR.
    assert_eq!(v["node"]["person:t5"]["label"][0], "Phạm 'Văn' C\r\nD");
    let hp = v["edge"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e[2]["kind"][0] == "holds_position")
        .expect("holds_position");
    assert_eq!(hp[2]["title"][0], "Bí thư \"Đảng ủy\"");
    let chairs = v["edge"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e[2]["kind"][0] == "chairs")
        .expect("chairs");
    assert_eq!(chairs[2]["weight"][0], 3);
}

#[test]
fn parallel_edges_make_a_multigraph() {
    if !have_networkx() {
        return;
    }
    // Lê A both chairs and speaks at one meeting: two edges between one pair.
    let d = "d";
    let mut g = KnowledgeGraph::new();
    g.add(partygraph::Extraction {
        document: doc(d),
        entities: vec![
            entity(d, "person:a", partygraph::EntityKind::Person, "Lê A", 0),
            entity(
                d,
                "meeting:m",
                partygraph::EntityKind::Meeting,
                "Hội nghị",
                10,
            ),
        ],
        relations: vec![
            relation(
                d,
                "person:a",
                "meeting:m",
                partygraph::RelationKind::Chairs,
                "s1",
                0,
            ),
            relation(
                d,
                "person:a",
                "meeting:m",
                partygraph::RelationKind::SpeaksAt,
                "s2",
                20,
            ),
        ],
    });
    let v = load(&g);
    assert_eq!(v["class"], "MultiDiGraph");
    assert_eq!(v["edges"], 2);
}

#[test]
fn networkx_reads_the_co_attendance_projection() {
    if !have_networkx() {
        return;
    }
    let co = query::co_attendance(&synthetic(60, 20));
    let v = load(&co);
    assert_eq!(v["class"], "Graph", "undirected, one edge per pair");
    assert_eq!(v["nodes"], co.people.len());
    assert_eq!(v["edges"], co.edges.len());
    assert_eq!(v["graph"]["projection"], "co-attendance");
    let e0 = &co.edges[0];
    let got = v["edge"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| {
            (e[0] == e0.source.as_str() && e[1] == e0.target.as_str())
                || (e[1] == e0.source.as_str() && e[0] == e0.target.as_str())
        })
        .expect("edge");
    assert_eq!(got[2]["weight"], serde_json::json!([e0.weight, "int"]));
    let meetings: Vec<String> =
        serde_json::from_str(got[2]["meetings"][0].as_str().unwrap()).unwrap();
    assert_eq!(meetings, e0.meetings);
}

#[test]
fn deterministic_and_well_formed() {
    let g = synthetic(30, 10);
    let a = render_graphml(&g);
    assert_eq!(a, render_graphml(&g.clone()));
    assert!(a.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml"));
    assert!(a.trim_end().ends_with("</graphml>"));
    // Lists are documented as JSON in strings.
    assert!(a.contains("(a JSON array in a string)"));
}
