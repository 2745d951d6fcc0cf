//! Neo4j CSV checked with Python's csv module: the neo4j-admin header rules (`id:ID`, `:LABEL`,
//! `:START_ID`, `:END_ID`, `:TYPE`, typed properties, `string[]` arrays with `;`), RFC 4180
//! quoting, and the atomic folder write.

mod export_support;

use export_support::*;
use partygraph::export::{write_neo4j_csv, write_neo4j_dir};
use partygraph::query;
use std::path::Path;

/// Reads both files with the csv module, checks the header rules and every row, and returns a
/// JSON summary.
const CHECK: &str = r#"
import csv, json, re, sys
d = sys.argv[1]
TYPES = {"int", "long", "float", "double", "boolean", "string", "date", "string[]", "int[]", "float[]"}
def read(name):
    raw = open(f"{d}/{name}", "rb").read()
    # RFC 4180: records end with CRLF.
    assert raw.endswith(b"\r\n"), name
    with open(f"{d}/{name}", newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f, strict=True))
    header, body = rows[0], rows[1:]
    for r in body:
        assert len(r) == len(header), (name, r)
    return header, body
def check_props(header, special):
    names = set()
    for h in header:
        if h in special:
            continue
        assert re.fullmatch(r"[a-z_]+(:[a-z\[\]]+)?", h), h
        name, _, typ = h.partition(":")
        assert not typ or typ in TYPES, h
        assert name not in names, h
        names.add(name)
def convert(header, row):
    out = {}
    for h, v in zip(header, row):
        if v == "":
            continue
        name, _, typ = h.partition(":")
        if typ == "int":
            v = int(v)
        elif typ == "float":
            v = float(v)
        elif typ.endswith("[]"):
            v = v.split(";")
        out[h if h.startswith(":") or name == "id" else name] = v
    return out
nh, nodes = read("nodes.csv")
rh, rels = read("relationships.csv")
assert nh[0] == "id:ID" and nh[1] == ":LABEL", nh
assert rh[:3] == [":START_ID", ":END_ID", ":TYPE"], rh
check_props(nh, {"id:ID", ":LABEL"})
check_props(rh, {":START_ID", ":END_ID", ":TYPE"})
ids = [r[0] for r in nodes]
assert len(ids) == len(set(ids)), "duplicate ids"
for r in rels:
    assert r[0] in ids and r[1] in ids, r
    assert re.fullmatch(r"[A-Z_]+", r[2]), r[2]
for r in nodes:
    assert re.fullmatch(r"[A-Z][a-z]+", r[1]), r[1]
print(json.dumps({
    "node_header": nh, "rel_header": rh,
    "nodes": {r[0]: convert(nh, r) for r in nodes},
    "rels": [convert(rh, r) for r in rels],
}, ensure_ascii=False))
"#;

fn check(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&python(CHECK, &[dir])).expect("json from python")
}

#[test]
fn headers_types_and_rows() {
    if !have("python3", "--version") {
        return;
    }
    let g = synthetic(60, 20);
    let tmp = tempdir();
    let dir = tmp.path().join("neo4j");
    write_neo4j_dir(&g, &dir).expect("write");
    let v = check(&dir);
    let nh: Vec<&str> = v["node_header"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    for h in [
        "name",
        "aliases:string[]",
        "mentions:int",
        "confidence:float",
        "documents:string[]",
        "date",
    ] {
        assert!(nh.contains(&h), "{h} not in {nh:?}");
    }
    let rh: Vec<&str> = v["rel_header"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    for h in ["title", "dates:string[]", "weight:int", "evidence:string[]"] {
        assert!(rh.contains(&h), "{h} not in {rh:?}");
    }
    assert_eq!(v["nodes"].as_object().unwrap().len(), g.node_count());
    assert_eq!(v["rels"].as_array().unwrap().len(), g.edge_count());
    let m = &v["nodes"]["meeting:m3"];
    assert_eq!(m[":LABEL"], "Meeting");
    assert_eq!(m["name"], "Hội nghị sơ kết số 3");
    assert_eq!(m["mentions"], 1);
    assert_eq!(m["confidence"], 0.9);
    let types: std::collections::BTreeSet<&str> = v["rels"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r[":TYPE"].as_str().unwrap())
        .collect();
    for t in [
        "CHAIRS",
        "ATTENDS",
        "SPEAKS_AT",
        "ORGANIZES",
        "REFERENCES",
        "HOLDS_POSITION",
        "ISSUED_BY",
        "PART_OF",
    ] {
        assert!(types.contains(t), "{t} missing: {types:?}");
    }
}

#[test]
fn quoting_and_arrays() {
    if !have("python3", "--version") {
        return;
    }
    let g = tricky();
    let tmp = tempdir();
    let dir = tmp.path().join("out");
    write_neo4j_dir(&g, &dir).expect("write");
    let v = check(&dir);
    // Quotes and commas survive through RFC 4180 quoting; line breaks become spaces.
    assert_eq!(v["nodes"]["person:t0"]["name"], "Trần \"Ba\" Văn \\ Tư");
    assert_eq!(v["nodes"]["person:t4"]["name"], "Lê, Văn; \"A\" B");
    assert_eq!(
        v["nodes"]["meeting:t2"]["name"],
        "Hội nghị sơ kết; quý I, 2024"
    );
    assert_eq!(v["nodes"]["person:t5"]["name"], "Phạm 'Văn' C D");
    // Arrays split on `;`; a `;` inside an element is written as `,`.
    let aliases = v["nodes"]["person:t0"]["aliases"].as_array().unwrap();
    assert_eq!(aliases.len(), 2, "{aliases:?}");
    assert!(
        aliases.iter().any(|a| a == "alias, 0, \"q\""),
        "{aliases:?}"
    );
    assert!(aliases.iter().any(|a| a == "alias <0>"), "{aliases:?}");
    let hp = v["rels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[":TYPE"] == "HOLDS_POSITION")
        .unwrap();
    assert_eq!(hp["title"], "Bí thư \"Đảng ủy\"");
    let chairs = v["rels"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[":TYPE"] == "CHAIRS")
        .unwrap();
    assert_eq!(chairs["weight"], 3);
    assert_eq!(chairs["evidence"].as_array().unwrap().len(), 3);
}

#[test]
fn co_attendance_projection() {
    if !have("python3", "--version") {
        return;
    }
    let co = query::co_attendance(&synthetic(60, 20));
    let tmp = tempdir();
    let dir = tmp.path().join("co");
    write_neo4j_dir(&co, &dir).expect("write");
    let v = check(&dir);
    assert_eq!(v["nodes"].as_object().unwrap().len(), co.people.len());
    let rels = v["rels"].as_array().unwrap();
    assert_eq!(rels.len(), co.edges.len());
    assert!(rels.iter().all(|r| r[":TYPE"] == "CO_ATTENDS"));
    assert_eq!(rels[0]["weight"], co.edges[0].weight);
    assert_eq!(
        rels[0]["meetings"].as_array().unwrap().len(),
        co.edges[0].meetings.len()
    );
}

#[test]
fn folder_is_written_atomically() {
    let g = synthetic(10, 3);
    let tmp = tempdir();
    // A new folder appears whole.
    let dir = tmp.path().join("new");
    write_neo4j_dir(&g, &dir).expect("write new");
    let first = std::fs::read(dir.join("nodes.csv")).unwrap();
    // An existing folder gets both files replaced; nothing else is left behind.
    std::fs::write(dir.join("nodes.csv"), "old").unwrap();
    write_neo4j_dir(&g, &dir).expect("write existing");
    assert_eq!(std::fs::read(dir.join("nodes.csv")).unwrap(), first);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["nodes.csv", "relationships.csv"]);
    let siblings = std::fs::read_dir(tmp.path()).unwrap().count();
    assert_eq!(siblings, 1, "no temporary folder left beside it");
    // A file in the way is an error, and is left alone.
    let file = tmp.path().join("file");
    std::fs::write(&file, "keep").unwrap();
    assert!(write_neo4j_dir(&g, &file).is_err());
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
    // A missing parent is an error, and leaves nothing.
    assert!(write_neo4j_dir(&g, &tmp.path().join("missing/sub")).is_err());
    assert!(!tmp.path().join("missing").exists());
}

#[test]
fn writers_are_deterministic() {
    let g = synthetic(30, 10);
    let (mut n1, mut r1, mut n2, mut r2) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    write_neo4j_csv(&g, &mut n1, &mut r1).unwrap();
    write_neo4j_csv(&g.clone(), &mut n2, &mut r2).unwrap();
    assert_eq!(n1, n2);
    assert_eq!(r1, r2);
}
