//! `partygraph build` on corpus files of one article per row: JSON Lines, gzipped JSON Lines and
//! CSV give the graph of the same articles as files; metadata reaches the document records; a
//! bad row is one warning with file:line; a duplicate ID is an error naming both rows.

use serde_json::{Value, json};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output};

const ARTICLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/articles");

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_partygraph"))
        .current_dir(dir)
        .args(args)
        .output()
        .expect("run partygraph")
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn graph(o: &Output) -> Value {
    assert!(o.status.success(), "{}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("JSON graph")
}

/// (id, text) of the example articles.
fn examples() -> Vec<(String, String)> {
    let mut v: Vec<_> = std::fs::read_dir(ARTICLES)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    v.iter()
        .map(|p| {
            (
                p.file_stem().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(p).unwrap(),
            )
        })
        .collect()
}

fn rows() -> Vec<Value> {
    examples()
        .into_iter()
        .map(|(id, text)| {
            json!({"id": id, "url": format!("https://example.org/{id}"), "source": "Báo A", "text": text})
        })
        .collect()
}

fn jsonl(rows: &[Value]) -> String {
    rows.iter().map(|r| format!("{r}\n")).collect()
}

fn csv_field(s: &str) -> String {
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn nodes_and_edges(g: &Value) -> (String, String) {
    (g["nodes"].to_string(), g["edges"].to_string())
}

#[test]
fn jsonl_gz_and_csv_give_the_graph_of_the_files() {
    let d = tempfile::tempdir().unwrap();
    let files = graph(&run(d.path(), &["build", "-q", ARTICLES]));
    let rows = rows();
    std::fs::write(d.path().join("c.jsonl"), jsonl(&rows)).unwrap();
    let mut gz = flate2::write::GzEncoder::new(
        std::fs::File::create(d.path().join("c.jsonl.gz")).unwrap(),
        flate2::Compression::default(),
    );
    gz.write_all(jsonl(&rows).as_bytes()).unwrap();
    gz.finish().unwrap();
    let mut csv = String::from("id,url,source,text\n");
    for r in &rows {
        csv.push_str(&format!(
            "{},{},{},{}\r\n",
            r["id"].as_str().unwrap(),
            r["url"].as_str().unwrap(),
            csv_field(r["source"].as_str().unwrap()),
            csv_field(r["text"].as_str().unwrap())
        ));
    }
    std::fs::write(d.path().join("c.csv"), csv).unwrap();
    for name in ["c.jsonl", "c.jsonl.gz", "c.csv"] {
        let g = graph(&run(d.path(), &["build", "-q", name]));
        assert_eq!(nodes_and_edges(&g), nodes_and_edges(&files), "{name}");
        let docs = g["graph"]["documents"].as_array().unwrap();
        assert_eq!(docs.len(), rows.len());
        let id = docs[0]["id"].as_str().unwrap();
        assert_eq!(
            docs[0]["url"],
            format!("https://example.org/{id}"),
            "{name}"
        );
        assert_eq!(docs[0]["source"], "Báo A");
        let line = if name == "c.csv" { 2 } else { 1 };
        assert_eq!(docs[0]["path"], format!("{name}:{line}"));
        // The rest of the record is the file's: date, title, authors, bytes.
        let file_doc = &files["graph"]["documents"][0];
        for k in ["id", "date", "title", "authors", "bytes"] {
            assert_eq!(docs[0][k], file_doc[k], "{name}: {k}");
        }
    }
}

#[test]
fn offsets_index_the_text_field() {
    let d = tempfile::tempdir().unwrap();
    let text = "Đồng chí Nguyễn Văn Bình, Bí thư Tỉnh ủy Nghệ An, chủ trì hội nghị.";
    let row = json!({"id": "a", "title": "Tin \"một\"", "text": text});
    std::fs::write(d.path().join("c.jsonl"), format!("{row}\n")).unwrap();
    let g = graph(&run(d.path(), &["build", "-q", "c.jsonl"]));
    let mut n = 0;
    for node in g["nodes"].as_array().unwrap() {
        for m in node["mentions"].as_array().unwrap() {
            let (s, e) = (m["start"].as_u64().unwrap(), m["end"].as_u64().unwrap());
            assert_eq!(&text[s as usize..e as usize], m["text"].as_str().unwrap());
            n += 1;
        }
    }
    assert!(n >= 2, "{g}");
    assert_eq!(g["graph"]["documents"][0]["title"], "Tin \"một\"");
}

#[test]
fn the_rows_date_is_the_articles_without_a_dateline() {
    let d = tempfile::tempdir().unwrap();
    let text = "Đồng chí Nguyễn Văn Bình, Bí thư Tỉnh ủy Nghệ An, chủ trì hội nghị giao ban.";
    let dated = format!("Ngày 1/2/2023, Tỉnh ủy Nghệ An tổ chức hội nghị.\n{text}");
    let rows = [
        json!({"id": "undated", "date": "2024-03-05T07:30:00+07:00", "text": text}),
        json!({"id": "dated", "date": "2024-03-05", "text": dated}),
        json!({"id": "none", "text": text}),
    ];
    std::fs::write(d.path().join("c.jsonl"), jsonl(&rows)).unwrap();
    let g = graph(&run(d.path(), &["build", "-q", "c.jsonl"]));
    let date = |id: &str| {
        g["graph"]["documents"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["id"] == id)
            .unwrap()
            .get("date")
            .cloned()
    };
    assert_eq!(date("undated"), Some(json!("2024-03-05")));
    assert_eq!(date("dated"), Some(json!("2023-02-01")));
    assert_eq!(date("none"), None);
    // Facts are dated with it.
    let held = g["edges"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "holds_position")
        .expect("a position");
    let dates = held["dates"].as_array().unwrap();
    assert!(dates.contains(&json!("2024-03-05")), "{held}");
}

#[test]
fn bad_rows_are_one_warning_each_and_the_rest_is_read() {
    let d = tempfile::tempdir().unwrap();
    let data = "{\"id\": \"a\", \"text\": \"Bộ Chính trị họp.\"}\n\
                not json\n\
                \n\
                {\"id\": \"b\"}\n\
                {\"id\": \"c\", \"text\": [\"x\"]}\n\
                [1, 2]\n\
                {\"id\": \"d\", \"text\": \"Ban Bí thư họp.\", \"date\": \"sớm\"}\n";
    std::fs::write(d.path().join("c.jsonl"), data).unwrap();
    let o = run(d.path(), &["build", "c.jsonl"]);
    let err = stderr(&o);
    let lines: Vec<&str> = err.lines().collect();
    assert_eq!(
        &lines[..5],
        [
            "partygraph: c.jsonl:2: warning: not JSON (expected ident at line 1 column 2); skipped",
            "partygraph: c.jsonl:4: warning: no \"text\" field; skipped",
            "partygraph: c.jsonl:5: warning: \"text\" is a list, not a string; skipped",
            "partygraph: c.jsonl:6: warning: not a JSON object (the line is a list); skipped",
            "partygraph: c.jsonl:7: warning: date \"sớm\" is not a date (YYYY-MM-DD, YYYY-MM, YYYY or D/M/YYYY); ignored",
        ],
        "{err}"
    );
    let g = graph(&o);
    let ids: Vec<&str> = g["graph"]["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "d"]);
    // --strict: a warning fails the run and nothing is written.
    let o = run(d.path(), &["build", "-q", "--strict", "c.jsonl"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(o.stdout.is_empty());
}

#[test]
fn a_duplicate_id_is_an_error_naming_both_rows() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("a.jsonl"),
        "{\"id\": \"x\", \"text\": \"Bộ Chính trị họp.\"}\n",
    )
    .unwrap();
    std::fs::write(
        d.path().join("b.csv"),
        "id,text\ny,Ban Bí thư họp.\nx,Bộ Chính trị họp lần hai.\n",
    )
    .unwrap();
    std::fs::write(d.path().join("y.txt"), "Bộ Chính trị họp.").unwrap();
    let o = run(
        d.path(),
        &["build", "-o", "g.json", "a.jsonl", "b.csv", "y.txt"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.contains(
            "partygraph: b.csv:2: duplicate id \"y\" (also the ID of y.txt); row not read"
        ),
        "{err}"
    );
    assert!(
        err.contains(
            "partygraph: b.csv:3: duplicate id \"x\" (also the ID of a.jsonl:1); row not read"
        ),
        "{err}"
    );
    assert!(err.contains("2 inputs could not be read; g.json holds the 2 articles read"));
    // What was read is written.
    let g: Value =
        serde_json::from_str(&std::fs::read_to_string(d.path().join("g.json")).unwrap()).unwrap();
    assert_eq!(g["graph"]["documents"].as_array().unwrap().len(), 2);
}

#[test]
fn text_and_id_fields_and_ids_of_rows_without_one() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(
        d.path().join("c.csv"),
        "key,body\n7,Bộ Chính trị họp.\n,Ban Bí thư họp.\n",
    )
    .unwrap();
    let o = run(
        d.path(),
        &[
            "build",
            "-q",
            "--text-field",
            "body",
            "--id-field",
            "key",
            "c.csv",
        ],
    );
    let g = graph(&o);
    let ids: Vec<&str> = g["graph"]["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["7", "c-3"]);
    // Without the flag, the header has no "text" column: one error naming the file and line.
    let o = run(d.path(), &["build", "-q", "c.csv"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o).lines().next().unwrap(),
        "partygraph: c.csv:1: no \"text\" column (the header has: key, body); name the text column with --text-field"
    );
}

#[test]
fn a_corrupt_gzip_file_is_an_error_and_the_other_inputs_are_read() {
    let d = tempfile::tempdir().unwrap();
    std::fs::write(d.path().join("bad.jsonl.gz"), b"this is not gzip").unwrap();
    std::fs::write(d.path().join("a.txt"), "Bộ Chính trị họp.").unwrap();
    let o = run(
        d.path(),
        &["build", "-o", "g.json", "bad.jsonl.gz", "a.txt"],
    );
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with("partygraph: bad.jsonl.gz:1: cannot read on: "),
        "{err}"
    );
    assert!(d.path().join("g.json").exists());
}

#[test]
fn jsonl_output_of_rows_streams_in_file_order() {
    let d = tempfile::tempdir().unwrap();
    let rows: Vec<Value> = rows().into_iter().rev().collect();
    std::fs::write(d.path().join("c.jsonl"), jsonl(&rows)).unwrap();
    let o = run(d.path(), &["build", "-q", "--format", "jsonl", "c.jsonl"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let ids: Vec<String> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            v["document"]["id"].as_str().unwrap().to_string()
        })
        .collect();
    let want: Vec<&str> = rows.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(ids, want);
}
