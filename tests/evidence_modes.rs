//! Evidence stored once: `graph.sentences` in JSON, a `sentences` table per JSON Lines line,
//! `--evidence text|span|none`, graphs of the older layout still merged, and the text of a
//! graph written with offsets only read back from its articles (`merge`, `show`).

mod export_support;

use export_support::*;
use serde_json::Value;
use std::path::{Path, PathBuf};

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Articles written for this test in the style of the press, copied into `dir/articles` (so
/// that a test can move one away).
fn articles_in(dir: &Path) -> PathBuf {
    let at = dir.join("articles");
    std::fs::create_dir_all(&at).unwrap();
    let texts = [
        (
            "a.txt",
            "Ngày 12/3/2024, Ban Thường vụ Tỉnh ủy Nghệ An tổ chức hội nghị quán triệt Chỉ thị \
             số 35-CT/TW của Bộ Chính trị. Đồng chí Nguyễn Văn Bình, Ủy viên Trung ương Đảng, \
             Bí thư Tỉnh ủy, chủ trì hội nghị. Dự hội nghị có đồng chí Lê Thị Hoa, Phó Bí thư \
             Thường trực Tỉnh ủy. Phát biểu chỉ đạo, đồng chí Nguyễn Văn Bình đề nghị các cấp \
             ủy thực hiện nghiêm Chỉ thị số 35-CT/TW.",
        ),
        (
            "b.html",
            "<html><body><h1>Đảng ủy xã Hưng Lộc sơ kết</h1><p>Ngày 5/6/2024, Đảng ủy xã \
             Hưng Lộc tổ chức hội nghị sơ kết 6 tháng. Đồng chí <b>Trần Văn Nam</b>, Bí thư \
             Đảng ủy xã, chủ trì hội nghị &amp; phát biểu kết luận.</p></body></html>",
        ),
    ];
    for (name, text) in texts {
        std::fs::write(at.join(name), text).unwrap();
    }
    // A corpus file: its rows are read back by line.
    std::fs::write(
        at.join("rows.jsonl"),
        "{\"id\":\"r1\",\"text\":\"Ngày 2/2/2023, Huyện ủy Yên Thành tổ chức hội nghị. Đồng chí \
         Phan Văn Tùng, Bí thư Huyện ủy, chủ trì hội nghị.\"}\n",
    )
    .unwrap();
    at
}

/// The corpus file among the articles (folders are searched for articles, not corpus files).
fn rows(at: &Path) -> String {
    s(&at.join("rows.jsonl")).to_string()
}

/// The graph of the articles written with `--evidence span` to `dir/span.json`.
fn built_with_offsets(dir: &Path, at: &Path) -> PathBuf {
    let span = dir.join("span.json");
    ok(&[
        "build",
        "-q",
        "--evidence",
        "span",
        "-o",
        s(&span),
        s(at),
        &rows(at),
    ]);
    span
}

fn json(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).expect("JSON")
}

#[test]
fn each_sentence_is_written_once_and_edges_point_to_it() {
    let dir = tempdir();
    let at = articles_in(dir.path());
    let g = json(&ok(&["build", "-q", s(&at), &rows(&at)]));
    let sentences = g["graph"]["sentences"].as_array().expect("graph.sentences");
    let mut pointed = vec![0usize; sentences.len()];
    for e in g["edges"].as_array().unwrap() {
        let ids = e["evidence"].as_array().expect("evidence");
        assert!(!ids.is_empty(), "{e}");
        for id in ids {
            pointed[id.as_u64().unwrap() as usize] += 1;
        }
    }
    // Every row is used, by position, and most support more than one fact.
    for (i, row) in sentences.iter().enumerate() {
        assert_eq!(row["id"], i);
        assert!(row["text"].as_str().is_some_and(|t| !t.is_empty()));
        assert!(pointed[i] > 0, "sentence {i} supports no fact");
    }
    assert!(pointed.iter().sum::<usize>() > sentences.len());
    // Sorted by document and offsets, each once.
    let keys: Vec<(String, u64, u64)> = sentences
        .iter()
        .map(|r| {
            (
                r["doc"].as_str().unwrap().to_string(),
                r["start"].as_u64().unwrap(),
                r["end"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "{keys:?}");
    // The text of an HTML page's sentence is its visible text.
    let html = sentences
        .iter()
        .find(|r| r["doc"] == "b" && r["text"].as_str().unwrap().contains("chủ trì"))
        .expect("sentence of b.html");
    assert!(html["text"].as_str().unwrap().contains("Trần Văn Nam"));
    assert!(
        html["text"]
            .as_str()
            .unwrap()
            .contains("hội nghị & phát biểu")
    );
}

#[test]
fn span_and_none_are_smaller_and_keep_every_fact() {
    let dir = tempdir();
    let at = articles_in(dir.path());
    let text = ok(&["build", "-q", s(&at), &rows(&at)]);
    let span = ok(&["build", "-q", "--evidence", "span", s(&at), &rows(&at)]);
    let none = ok(&["build", "-q", "--evidence", "none", s(&at), &rows(&at)]);
    assert!(none.len() < span.len() && none.len() < text.len());
    let (t, sp, n) = (json(&text), json(&span), json(&none));
    let facts = |g: &Value| -> Vec<(String, String, String)> {
        g["edges"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["source"].as_str().unwrap().into(),
                    e["target"].as_str().unwrap().into(),
                    e["kind"].as_str().unwrap().into(),
                )
            })
            .collect()
    };
    assert_eq!(facts(&sp), facts(&t));
    assert_eq!(facts(&n), facts(&t));
    assert_eq!(sp["nodes"], t["nodes"]);
    assert_eq!(n["nodes"], t["nodes"]);
    // span: the same table without the text; none: no table, no evidence.
    let rows = sp["graph"]["sentences"].as_array().unwrap();
    assert_eq!(
        rows.len(),
        t["graph"]["sentences"].as_array().unwrap().len()
    );
    assert!(rows.iter().all(|r| r.get("text").is_none()));
    assert!(n["graph"].get("sentences").is_none());
    assert!(
        n["edges"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e.get("evidence").is_none())
    );
    // Dates stay with the facts.
    let dated = |g: &Value| {
        g["edges"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e.get("dates").is_some())
            .count()
    };
    assert!(dated(&t) > 0);
    assert_eq!(dated(&n), dated(&t));
}

#[test]
fn every_mode_merges_back_to_itself_from_json_and_json_lines() {
    let dir = tempdir();
    let at = articles_in(dir.path());
    for mode in ["text", "span", "none"] {
        let built = ok(&["build", "-q", "--evidence", mode, s(&at), &rows(&at)]);
        let g = dir.path().join(format!("{mode}.json"));
        std::fs::write(&g, &built).unwrap();
        assert_eq!(
            ok(&["merge", "-q", "--evidence", mode, s(&g)]),
            built,
            "{mode}"
        );
        let lines = ok(&[
            "build",
            "-q",
            "--format",
            "jsonl",
            "--evidence",
            mode,
            s(&at),
            &rows(&at),
        ]);
        let l = dir.path().join(format!("{mode}.jsonl"));
        std::fs::write(&l, &lines).unwrap();
        assert_eq!(
            ok(&["merge", "-q", "--evidence", mode, s(&l)]),
            built,
            "{mode} jsonl"
        );
        // Built with the same -j or another, the bytes are the same.
        assert_eq!(
            ok(&[
                "build",
                "-q",
                "-j",
                "1",
                "--evidence",
                mode,
                s(&at),
                &rows(&at)
            ]),
            built
        );
    }
}

#[test]
fn json_lines_hold_each_sentence_of_an_article_once() {
    let dir = tempdir();
    let at = articles_in(dir.path());
    let lines = ok(&["build", "-q", "--format", "jsonl", s(&at), &rows(&at)]);
    for line in String::from_utf8(lines).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        let table = v["sentences"].as_array().expect("sentences");
        let mut used = vec![false; table.len()];
        for r in v["relations"].as_array().unwrap() {
            used[r["evidence"].as_u64().unwrap() as usize] = true;
        }
        assert!(used.iter().all(|u| *u), "{line}");
        assert!(table.iter().all(|t| t["doc"] == v["document"]["id"]));
    }
}

/// The graph of `built` with every edge's evidence written inline, as before the table.
fn inline_layout(built: &[u8]) -> Vec<u8> {
    let mut g = json(built);
    let rows = g["graph"]["sentences"].as_array().unwrap().clone();
    g["graph"].as_object_mut().unwrap().remove("sentences");
    for e in g["edges"].as_array_mut().unwrap() {
        let inline: Vec<Value> = e["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| {
                let mut r = rows[id.as_u64().unwrap() as usize].clone();
                r.as_object_mut().unwrap().remove("id");
                r
            })
            .collect();
        e["evidence"] = Value::Array(inline);
    }
    serde_json::to_vec(&g).unwrap()
}

#[test]
fn graphs_of_the_older_layout_are_merged() {
    let dir = tempdir();
    let at = articles_in(dir.path());
    let built = ok(&["build", "-q", s(&at), &rows(&at)]);
    let old = dir.path().join("old.json");
    std::fs::write(&old, inline_layout(&built)).unwrap();
    assert_eq!(ok(&["merge", "-q", s(&old)]), built);
}

#[test]
fn text_written_with_offsets_only_is_read_back_from_the_articles() {
    let dir = tempdir();
    let at = articles_in(dir.path());
    let text = ok(&["build", "-q", s(&at), &rows(&at)]);
    let span = built_with_offsets(dir.path(), &at);
    // Text files, an HTML page (its visible text) and a corpus row all read back.
    assert_eq!(ok(&["merge", "-q", s(&span)]), text);
    // show prints the sentences.
    let shown = String::from_utf8(ok(&["show", "Trần Văn Nam", s(&span)])).unwrap();
    assert!(
        shown.contains("\"Ngày 5/6/2024") || shown.contains("chủ trì hội nghị"),
        "{shown}"
    );
    assert!(!shown.contains("(no text)"), "{shown}");

    // An article moved away: its sentences go without text, and a warning names it.
    std::fs::rename(at.join("a.txt"), dir.path().join("moved.txt")).unwrap();
    let out = run(&["merge", "-q", s(&span)]);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("a.txt: no such file"), "{err}");
    assert!(err.contains("could not be read back"), "{err}");
    let g = json(&out.stdout);
    let rows = g["graph"]["sentences"].as_array().unwrap();
    assert!(
        rows.iter()
            .any(|r| r["doc"] == "a" && r.get("text").is_none())
    );
    assert!(
        rows.iter()
            .any(|r| r["doc"] == "b" && r.get("text").is_some())
    );
    let shown = String::from_utf8(run(&["show", "Nguyễn Văn Bình", s(&span)]).stdout).unwrap();
    assert!(shown.contains("(no text) (a:"), "{shown}");
    // Merged into a graph that keeps offsets only, nothing is read.
    let out = run(&["merge", "-q", "--evidence", "span", s(&span)]);
    assert!(out.status.success() && out.stderr.is_empty());
}

#[test]
fn a_sentence_the_table_lacks_is_one_clear_error() {
    let dir = tempdir();
    let at = articles_in(dir.path());
    let mut g = json(&ok(&["build", "-q", s(&at), &rows(&at)]));
    g["graph"]["sentences"].as_array_mut().unwrap().truncate(1);
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, serde_json::to_vec(&g).unwrap()).unwrap();
    let out = run(&[
        "merge",
        "-q",
        s(&bad),
        "-o",
        s(&dir.path().join("out.json")),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("bad.json") && err.contains("is not in graph.sentences"),
        "{err}"
    );
    assert!(!dir.path().join("out.json").exists());
}

#[test]
fn graphml_carries_sentences_spans_or_neither_and_every_fact() {
    let dir = tempdir();
    let at = articles_in(dir.path());
    let build = |mode: &str| {
        String::from_utf8(ok(&[
            "build",
            "-q",
            "--format",
            "graphml",
            "--evidence",
            mode,
            s(&at),
            &rows(&at),
        ]))
        .unwrap()
    };
    let (text, span, none) = (build("text"), build("span"), build("none"));
    let edges = |g: &str| g.matches("<edge ").count();
    assert!(edges(&text) > 0);
    assert_eq!(edges(&span), edges(&text));
    assert_eq!(edges(&none), edges(&text));
    assert!(text.contains("attr.name=\"evidence\""));
    assert!(text.contains("chủ trì hội nghị"));
    for key in ["evidence_documents", "evidence_starts", "evidence_ends"] {
        assert!(span.contains(&format!("attr.name=\"{key}\"")), "{key}");
        assert!(!text.contains(&format!("attr.name=\"{key}\"")), "{key}");
    }
    assert!(!span.contains("attr.name=\"evidence\""));
    assert!(!none.contains("attr.name=\"evidence"));
    // The sentences are in no edge of `span` or `none` (the titles of offices still are).
    assert!(!span.contains("Chỉ thị số 35-CT/TW của Bộ Chính trị. "));
    assert!(none.len() < span.len() && none.len() < text.len());
    // An unknown mode is refused by name.
    let out = run(&["build", "-q", "--evidence", "all", s(&at), &rows(&at)]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_offsets_of_span_are_those_of_the_sentences_of_text() {
    // GraphML with offsets only points at the very bytes the sentences of `text` were read
    // from: each (document, start, end) slices the article to that sentence.
    let dir = tempdir();
    let at = articles_in(dir.path());
    let g = json(&ok(&["build", "-q", s(&at.join("a.txt"))]));
    let rows = g["graph"]["sentences"].as_array().unwrap();
    let span = String::from_utf8(ok(&[
        "build",
        "-q",
        "--format",
        "graphml",
        "--evidence",
        "span",
        s(&at.join("a.txt")),
    ]))
    .unwrap();
    let article = std::fs::read_to_string(at.join("a.txt")).unwrap();
    let mut seen = 0;
    for row in rows {
        let (a, b) = (row["start"].as_u64().unwrap(), row["end"].as_u64().unwrap());
        assert_eq!(
            &article[a as usize..b as usize],
            row["text"].as_str().unwrap()
        );
        assert!(
            span.contains(&format!("[{a}")) || span.contains(&format!(",{a}")),
            "{a}"
        );
        seen += 1;
    }
    assert!(seen >= 3);
}

#[test]
fn neo4j_and_dot_follow_the_evidence_mode() {
    let dir = tempdir();
    let at = articles_in(dir.path());
    let header = |mode: &str| {
        let out = dir.path().join(format!("neo4j-{mode}"));
        ok(&[
            "build",
            "-q",
            "--format",
            "neo4j",
            "--evidence",
            mode,
            "-o",
            s(&out),
            s(&at),
            &rows(&at),
        ]);
        let rels = std::fs::read_to_string(out.join("relationships.csv")).unwrap();
        (
            rels.lines().next().unwrap().to_string(),
            rels.lines().count(),
        )
    };
    let (text, n_text) = header("text");
    let (span, n_span) = header("span");
    let (none, n_none) = header("none");
    assert!(text.ends_with(",evidence:string[]"), "{text}");
    assert!(
        span.ends_with(",evidence_documents:string[],evidence_starts:int[],evidence_ends:int[]"),
        "{span}"
    );
    assert!(!none.contains("evidence"), "{none}");
    assert_eq!((n_span, n_none), (n_text, n_text));

    let dot = |mode: &str| {
        String::from_utf8(ok(&[
            "build",
            "-q",
            "--format",
            "dot",
            "--evidence",
            mode,
            s(&at.join("a.txt")),
        ]))
        .unwrap()
    };
    let (text, span, none) = (dot("text"), dot("span"), dot("none"));
    assert!(
        text.contains("tooltip=\"chairs: Ngày 12/3/2024") || text.contains("tooltip=\"chairs: ")
    );
    assert!(span.contains("tooltip=\"chairs: a, bytes "), "{span}");
    assert!(none.contains("tooltip=\"chairs\""), "{none}");
    assert!(!none.contains("Đồng chí Nguyễn Văn Bình, Ủy viên"));
    assert_eq!(text.matches(" -> ").count(), none.matches(" -> ").count());
}

#[test]
fn a_merge_into_graphml_reads_text_back_only_when_it_carries_text() {
    let dir = tempdir();
    let at = articles_in(dir.path());
    let span = built_with_offsets(dir.path(), &at);
    let direct = ok(&["build", "-q", "--format", "graphml", s(&at), &rows(&at)]);
    // The sentences come back from the articles.
    assert_eq!(
        ok(&["merge", "-q", "--format", "graphml", s(&span)]),
        direct
    );
    // With offsets only, the articles are not needed: moved away, nothing is read or missed.
    std::fs::rename(&at, dir.path().join("gone")).unwrap();
    let out = run(&[
        "merge",
        "-q",
        "--format",
        "graphml",
        "--evidence",
        "span",
        s(&span),
    ]);
    assert!(out.status.success() && out.stderr.is_empty(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("evidence_starts"));
}

#[test]
fn networkx_reads_spans_from_graphml() {
    if !have_networkx() {
        return;
    }
    let dir = tempdir();
    let at = articles_in(dir.path());
    let path = dir.path().join("g.graphml");
    ok(&[
        "build",
        "-q",
        "--format",
        "graphml",
        "--evidence",
        "span",
        "-o",
        s(&path),
        s(&at),
        &rows(&at),
    ]);
    let got = python(
        "import json, sys, networkx as nx\n\
         G = nx.read_graphml(sys.argv[1])\n\
         n = 0\n\
         for _, _, d in G.edges(data=True):\n\
         \x20   docs, starts, ends = (json.loads(d[k]) for k in ('evidence_documents', 'evidence_starts', 'evidence_ends'))\n\
         \x20   assert len(docs) == len(starts) == len(ends) == d['weight'], d\n\
         \x20   assert all(a < b for a, b in zip(starts, ends)), d\n\
         \x20   n += 1\n\
         print(n)",
        &[&path],
    );
    assert!(got.trim().parse::<usize>().unwrap() > 5, "{got}");
}

#[test]
fn networkx_reads_the_sentences_through_the_graph_attributes() {
    if !have_networkx() {
        return;
    }
    let dir = tempdir();
    let at = articles_in(dir.path());
    let path = dir.path().join("g.json");
    ok(&["build", "-q", "-o", s(&path), s(&at), &rows(&at)]);
    let got = python(
        "import json, sys, networkx as nx\n\
         G = nx.node_link_graph(json.load(open(sys.argv[1], encoding='utf-8')), edges='edges')\n\
         rows = G.graph['sentences']\n\
         texts = [rows[i]['text'] for _, _, d in G.edges(data=True) if d['kind'] == 'chairs' for i in d['evidence']]\n\
         print(sum('chủ trì' in t for t in texts), len(texts))",
        &[&path],
    );
    let counts: Vec<usize> = got.split_whitespace().map(|n| n.parse().unwrap()).collect();
    assert_eq!(counts[1], 3, "{got}"); // one per article
    assert_eq!(counts[0], counts[1], "{got}");
}
