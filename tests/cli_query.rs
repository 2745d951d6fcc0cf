//! Questions from the command line: `--focus/--depth/--kinds/--since/--until` filters, the
//! co-attendance projection in every format, `show` and `stats`.

mod export_support;

use export_support::*;
use partygraph::export::write_json;
use partygraph::{EntityKind, KnowledgeGraph, RelationKind};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn json(args: &[&str]) -> Value {
    serde_json::from_slice(&ok(args)).expect("json output")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The synthetic graph and its JSON file.
fn setup() -> (KnowledgeGraph, tempfile::TempDir, PathBuf) {
    let mut g = synthetic(60, 24);
    // As `show` and `stats` see it: namesakes told apart.
    let gaz = partygraph::Gazetteer::embedded().unwrap();
    g.settle_people(&partygraph::identity::Roster::from_gazetteer(&gaz));
    let dir = tempdir();
    let path = dir.path().join("graph.json");
    let f = std::fs::File::create(&path).unwrap();
    write_json(&g, f).unwrap();
    (g, dir, path)
}

fn ids(v: &Value) -> BTreeSet<String> {
    v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["id"].as_str().unwrap().to_string())
        .collect()
}

fn neighbours(g: &KnowledgeGraph, id: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::from([id.to_string()]);
    for (a, b, _) in g.edges() {
        if a.id() == id {
            out.insert(b.id().to_string());
        }
        if b.id() == id {
            out.insert(a.id().to_string());
        }
    }
    out
}

#[test]
fn focus_and_depth() {
    let (g, _dir, path) = setup();
    let one = json(&["merge", "-q", s(&path), "--focus", "Hội nghị sơ kết số 3"]);
    assert_eq!(ids(&one), neighbours(&g, "meeting:m3"));
    // Every edge kept joins two kept nodes, with its evidence.
    for e in one["edges"].as_array().unwrap() {
        assert!(ids(&one).contains(e["source"].as_str().unwrap()));
        assert!(!e["evidence"].as_array().unwrap().is_empty());
    }
    // Names match without regard to case or diacritics; IDs work too.
    let ascii = json(&["merge", "-q", s(&path), "--focus", "HOI NGHI SO KET SO 3"]);
    assert_eq!(ids(&ascii), ids(&one));
    let by_id = json(&["merge", "-q", s(&path), "--focus", "meeting:m3"]);
    assert_eq!(ids(&by_id), ids(&one));
    // Depth 2: the neighbours' neighbours.
    let two = json(&[
        "merge",
        "-q",
        s(&path),
        "--focus",
        "meeting:m3",
        "--depth",
        "2",
    ]);
    let mut want = BTreeSet::new();
    for n in neighbours(&g, "meeting:m3") {
        want.extend(neighbours(&g, &n));
    }
    assert_eq!(ids(&two), want);
    // A resolution by its code.
    let res = json(&[
        "merge",
        "-q",
        s(&path),
        "--focus",
        "3-NQ/TW",
        "--depth",
        "0",
    ]);
    assert_eq!(
        ids(&res),
        BTreeSet::from(["resolution:3-nq-tw".to_string()])
    );
}

#[test]
fn focus_errors() {
    let (_g, _dir, path) = setup();
    let out = run(&["merge", "-q", s(&path), "--focus", "Hội nghị sơ kết"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.starts_with("partygraph: --focus \"Hội nghị sơ kết\": no node"),
        "{err}"
    );
    assert!(err.contains("did you mean"), "{err}");
    let out = run(&["merge", "-q", s(&path), "--focus", "Nobody At All"]);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn kinds_and_dates() {
    let (g, _dir, path) = setup();
    let v = json(&["merge", "-q", s(&path), "--kinds", "person,meeting"]);
    let kinds: BTreeSet<&str> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, BTreeSet::from(["meeting", "person"]));
    let edge_kinds: BTreeSet<&str> = v["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert!(
        edge_kinds
            .iter()
            .all(|k| ["chairs", "attends", "speaks_at"].contains(k)),
        "{edge_kinds:?}"
    );

    // Meetings of 2019 only; the partial bound "2019" covers the year.
    let v = json(&[
        "merge",
        "-q",
        s(&path),
        "--since",
        "2019",
        "--until",
        "2019-12-31",
    ]);
    let meetings: Vec<&Value> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "meeting")
        .collect();
    assert!(!meetings.is_empty());
    assert!(
        meetings
            .iter()
            .all(|m| m["date"].as_str().unwrap().starts_with("2019"))
    );
    let want = g
        .nodes()
        .iter()
        .filter(|n| {
            n.kind == EntityKind::Meeting && n.attrs().date.as_deref().unwrap().starts_with("2019")
        })
        .count();
    assert_eq!(meetings.len(), want);
    // People who only took part in other meetings are gone; those never in a meeting stay.
    let kept = ids(&v);
    for (p, m, e) in g.edges() {
        if e.kind == RelationKind::Chairs && !kept.contains(m.id()) {
            let elsewhere = g.edges().iter().any(|(a, b, _)| {
                (a.id() == p.id() && kept.contains(b.id()))
                    || (b.id() == p.id() && kept.contains(a.id()))
            });
            assert_eq!(kept.contains(p.id()), elsewhere, "{}", p.id());
        }
    }
}

#[test]
fn co_attendance_in_every_format() {
    let (_g, dir, path) = setup();
    let v = json(&["merge", "-q", s(&path), "--project", "co-attendance"]);
    assert_eq!(v["directed"], false);
    assert_eq!(v["multigraph"], false);
    let edges = v["edges"].as_array().unwrap();
    assert!(!edges.is_empty());
    for e in edges {
        assert_eq!(
            e["weight"].as_u64().unwrap() as usize,
            e["meetings"].as_array().unwrap().len()
        );
        assert!(e["source"].as_str().unwrap() < e["target"].as_str().unwrap());
    }
    assert!(
        v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["kind"] == "person")
    );
    if have_networkx() {
        let file = dir.path().join("co.json");
        std::fs::write(&file, serde_json::to_vec(&v).unwrap()).unwrap();
        let got = python(
            "import json, sys, networkx as nx\ng = nx.node_link_graph(json.load(open(sys.argv[1])), edges='edges')\nprint(type(g).__name__, g.number_of_nodes(), g.number_of_edges(), max(d['weight'] for _, _, d in g.edges(data=True)))",
            &[&file],
        );
        let max = edges
            .iter()
            .map(|e| e["weight"].as_u64().unwrap())
            .max()
            .unwrap();
        assert_eq!(
            got.trim(),
            format!(
                "Graph {} {} {max}",
                v["nodes"].as_array().unwrap().len(),
                edges.len()
            )
        );
    }
    let dot = String::from_utf8(ok(&[
        "merge",
        "-q",
        s(&path),
        "--project",
        "co-attendance",
        "--format",
        "dot",
    ]))
    .unwrap();
    assert!(dot.starts_with("graph {"));
    if have("dot", "-V") {
        let out = graphviz("dot", &dot);
        assert!(out.status.success() && out.stderr.is_empty());
    }
    let gml = String::from_utf8(ok(&[
        "merge",
        "-q",
        s(&path),
        "--project",
        "co-attendance",
        "--format",
        "graphml",
    ]))
    .unwrap();
    assert!(gml.contains("edgedefault=\"undirected\""));
    let neo = dir.path().join("co-neo4j");
    ok(&[
        "merge",
        "-q",
        s(&path),
        "--project",
        "co-attendance",
        "--format",
        "neo4j",
        "-o",
        s(&neo),
    ]);
    let rels = std::fs::read_to_string(neo.join("relationships.csv")).unwrap();
    assert!(
        rels.starts_with(":START_ID,:END_ID,:TYPE,weight:int,meetings:string[],dates:string[]\r\n")
    );
    assert_eq!(rels.lines().count(), edges.len() + 1);
    let lines = String::from_utf8(ok(&[
        "merge",
        "-q",
        s(&path),
        "--project",
        "co-attendance",
        "--format",
        "jsonl",
    ]))
    .unwrap();
    let edge_lines = lines
        .lines()
        .filter(|l| serde_json::from_str::<Value>(l).unwrap()["type"] == "edge")
        .count();
    assert_eq!(edge_lines, edges.len());
    // With a focus: the person's co-attendance network.
    let ego = json(&[
        "merge",
        "-q",
        s(&path),
        "--focus",
        "person:p5",
        "--depth",
        "2",
        "--project",
        "co-attendance",
    ]);
    assert!(
        ego["edges"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["source"] == "person:p5" || e["target"] == "person:p5")
    );
}

#[test]
fn build_takes_the_same_filters() {
    let articles = articles();
    let all = json(&["build", "-q", s(&articles)]);
    let people = json(&["build", "-q", s(&articles), "--kinds", "person"]);
    assert!(
        people["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .all(|n| n["kind"] == "person")
    );
    let n_people = all["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "person")
        .count();
    assert_eq!(people["nodes"].as_array().unwrap().len(), n_people);
    // Filters with jsonl: written after the merge, and still merge back.
    let lines = ok(&[
        "build",
        "-q",
        s(&articles),
        "--kinds",
        "person",
        "--format",
        "jsonl",
    ]);
    let dir = tempdir();
    let f = dir.path().join("p.jsonl");
    std::fs::write(&f, lines).unwrap();
    assert_eq!(json(&["merge", "-q", s(&f)]), people);
}

#[test]
fn show_tells_what_the_corpus_says() {
    let (g, _dir, path) = setup();
    // A person who chaired something.
    let (chair, _, _) = g
        .edges()
        .into_iter()
        .find(|(_, _, e)| e.kind == RelationKind::Chairs)
        .unwrap();
    let text = String::from_utf8(ok(&["show", chair.label(), s(&path)])).unwrap();
    assert!(
        text.starts_with(&format!("{} ({})\n", chair.label(), chair.id())),
        "{text}"
    );
    assert!(text.contains("  kind: person"), "{text}");
    assert!(text.contains("\nMeetings chaired\n"), "{text}");
    assert!(
        text.contains("\nPositions\n  - Bí thư, Đảng ủy Khối"),
        "{text}"
    );
    assert!(
        text.contains("chủ trì hội nghị.\" (doc-"),
        "evidence sentence with its place: {text}"
    );
    assert!(
        text.contains("Documents referenced at its meetings"),
        "{text}"
    );
    let v = json(&["show", chair.id(), s(&path), "--format", "json"]);
    assert_eq!(v["id"], chair.id());
    let facts = v["facts"].as_array().unwrap();
    assert!(facts.iter().any(|f| f["relation"] == "chairs"
        && f["direction"] == "out"
        && f["other"]["date"].is_string()));
    assert!(
        facts
            .iter()
            .all(|f| !f["evidence"].as_array().unwrap().is_empty())
    );
    // A meeting: its chairs, attendees, organizer and documents, each with evidence.
    let m = String::from_utf8(ok(&["show", "Hội nghị sơ kết số 3", s(&path)])).unwrap();
    for h in ["Chaired by", "Organized by", "Documents referenced"] {
        assert!(m.contains(&format!("\n{h}\n")), "{h}: {m}");
    }
    // Unknown names fail with one line.
    let out = run(&["show", "Không Ai Cả", s(&path)]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(String::from_utf8_lossy(&out.stderr).lines().count(), 1);
}

#[test]
fn show_reads_articles_too() {
    // From the example articles directly (whatever recognition finds there).
    let v = json(&["build", "-q", s(&articles())]);
    let Some(person) = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["kind"] == "person")
    else {
        return;
    };
    let label = person["label"].as_str().unwrap();
    let text = String::from_utf8(ok(&["show", label, s(&articles())])).unwrap();
    assert!(text.starts_with(label), "{text}");
    assert!(text.contains("kind: person"));
}

#[test]
fn stats_counts_and_ranks() {
    let (g, _dir, path) = setup();
    let text = String::from_utf8(ok(&["stats", s(&path)])).unwrap();
    assert!(
        text.starts_with(&format!(
            "{} articles, {} nodes, {} edges",
            g.documents().count(),
            g.node_count(),
            g.edge_count()
        )),
        "{text}"
    );
    for h in [
        "Nodes by kind",
        "Edges by kind",
        "Top people by meetings chaired",
        "Top people by meetings attended (any role)",
        "Most referenced resolutions",
        "Committees by meetings organized",
    ] {
        assert!(text.contains(h), "{h}: {text}");
    }
    let v = json(&["stats", s(&path), "--format", "json", "--top", "3"]);
    assert_eq!(v["nodes"], g.node_count());
    assert_eq!(v["nodes_by_kind"]["meeting"], 24);
    let top = v["top_chairs"].as_array().unwrap();
    assert!(top.len() <= 3 && !top.is_empty());
    let counts: Vec<u64> = top.iter().map(|r| r["count"].as_u64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    // The top chair's count is the number of meetings they chaired.
    let id = top[0]["id"].as_str().unwrap();
    let chaired = g
        .edges_from(id)
        .iter()
        .filter(|(_, _, e)| e.kind == RelationKind::Chairs)
        .count();
    assert_eq!(counts[0] as usize, chaired);
    // Committees by meetings organized: 24 meetings over 20 committees.
    let org: u64 = json(&["stats", s(&path), "--format", "json", "--top", "100"])["top_organizers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["count"].as_u64().unwrap())
        .sum();
    assert_eq!(org, 24);
    // On the example articles.
    let examples = String::from_utf8(ok(&["stats", s(&articles())])).unwrap();
    assert!(examples.starts_with("6 articles"), "{examples}");
}
