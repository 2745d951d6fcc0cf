//! The command line's outputs: every `--format`, `merge` equal to building directly (byte for
//! byte), JSON Lines streamed while the run goes on, atomic files and folders, clean errors and
//! a quiet end when the reader goes away.

mod export_support;

use export_support::*;
use partygraph::export::write_json;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn article_files() -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(articles())
        .expect("examples/articles")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    assert!(v.len() >= 3, "need the example articles");
    v
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// The one line of stderr, checked to be a single `partygraph: ` line.
fn one_error_line(out: &Output) -> String {
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(
        err.lines().count(),
        1,
        "expected one line on stderr, got: {err}"
    );
    assert!(
        err.starts_with("partygraph: ") || err.starts_with("error: "),
        "{err}"
    );
    err
}

#[test]
fn merge_of_json_and_jsonl_equals_building_directly() {
    let files = article_files();
    let dir = tempdir();
    let all = ok(&["build", "-q", s(&articles())]);
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.jsonl");
    let (a, b) = files.split_at(2);
    let mut args = vec!["build", "-q", "-o", s(&old)];
    args.extend(a.iter().map(|p| s(p)));
    ok(&args);
    let mut args = vec!["build", "-q", "--format", "jsonl", "-o", s(&new)];
    args.extend(b.iter().map(|p| s(p)));
    ok(&args);
    assert_eq!(
        std::fs::read_to_string(&new).unwrap().lines().count(),
        b.len()
    );
    // Yesterday's graph + today's articles, in either order, to stdout or to a file.
    assert_eq!(ok(&["merge", "-q", s(&old), s(&new)]), all);
    let out = dir.path().join("merged.json");
    ok(&["merge", "-q", s(&new), s(&old), "-o", s(&out)]);
    assert_eq!(std::fs::read(&out).unwrap(), all);
    // JSON Lines of everything, read from stdin.
    let lines = ok(&["build", "-q", "--format", "jsonl", s(&articles())]);
    let mut child = pg()
        .args(["merge", "-q", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(&lines).unwrap();
    let merged = child.wait_with_output().unwrap();
    assert!(merged.status.success());
    assert_eq!(merged.stdout, all);
    // A merged graph written as JSON Lines merges back to itself.
    let relines = ok(&["merge", "-q", "--format", "jsonl", s(&out)]);
    let again = dir.path().join("again.jsonl");
    std::fs::write(&again, relines).unwrap();
    assert_eq!(ok(&["merge", "-q", s(&again)]), all);
}

#[test]
fn every_format_opens_in_its_tool() {
    let dir = tempdir();
    let json = ok(&["build", "-q", s(&articles())]);
    let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
    let (nodes, edges) = (
        v["nodes"].as_array().unwrap().len(),
        v["edges"].as_array().unwrap().len(),
    );

    let dot = ok(&["build", "-q", "--format", "dot", s(&articles())]);
    if have("dot", "-V") {
        let out = graphviz("dot", &String::from_utf8(dot).unwrap());
        assert!(out.status.success());
        assert!(
            out.stderr.is_empty(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    let gml = dir.path().join("g.graphml");
    ok(&[
        "build",
        "-q",
        "--format",
        "graphml",
        "-o",
        s(&gml),
        s(&articles()),
    ]);
    if have_networkx() {
        let got = python(
            "import sys, networkx as nx; g = nx.read_graphml(sys.argv[1]); print(g.number_of_nodes(), g.number_of_edges())",
            &[&gml],
        );
        assert_eq!(got.trim(), format!("{nodes} {edges}"));
    }

    let neo = dir.path().join("neo4j");
    ok(&[
        "build",
        "-q",
        "--format",
        "neo4j",
        "-o",
        s(&neo),
        s(&articles()),
    ]);
    let n = std::fs::read_to_string(neo.join("nodes.csv")).unwrap();
    let r = std::fs::read_to_string(neo.join("relationships.csv")).unwrap();
    assert!(n.starts_with("id:ID,:LABEL,"));
    assert!(r.starts_with(":START_ID,:END_ID,:TYPE,"));
    if have("python3", "--version") {
        let got = python(
            "import csv, sys\nd = sys.argv[1]\nn = list(csv.reader(open(d + '/nodes.csv', newline='', encoding='utf-8')))\nr = list(csv.reader(open(d + '/relationships.csv', newline='', encoding='utf-8')))\nprint(len(n) - 1, len(r) - 1)",
            &[&neo],
        );
        assert_eq!(got.trim(), format!("{nodes} {edges}"));
    }

    let jsonl = ok(&["build", "-q", "--format", "jsonl", s(&articles())]);
    let text = String::from_utf8(jsonl).unwrap();
    assert_eq!(text.lines().count(), article_files().len());
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        assert!(
            v["document"]["id"].is_string()
                && v["entities"].is_array()
                && v["relations"].is_array()
        );
    }
}

#[cfg(unix)]
#[test]
fn jsonl_streams_while_the_run_goes_on() {
    if !have("mkfifo", "--version") {
        return;
    }
    // Many small articles, then one that is a FIFO: reading it blocks until we write to it. With
    // streaming, the lines of the articles before it arrive while the run is blocked.
    let dir = tempdir();
    for i in 0..1100 {
        std::fs::write(dir.path().join(format!("a{i:04}.txt")), "Bộ Chính trị họp.").unwrap();
    }
    // Folders skip named pipes; one given by name is read (as `<(command)` would be).
    let fifo = dir.path().join("zzzz.txt");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let mut child = pg()
        .args(["build", "-q", "--format", "jsonl", s(dir.path()), s(&fifo)])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 4096];
        let mut signalled = false;
        loop {
            match stdout.read(&mut chunk) {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    buf.extend_from_slice(&chunk[..n]);
                    if !signalled && buf.contains(&b'\n') {
                        let _ = tx.send(());
                        signalled = true;
                    }
                }
            }
        }
        buf
    });
    let early = rx.recv_timeout(std::time::Duration::from_secs(120)).is_ok();
    // Unblock the run in any case: write the last article into the pipe.
    let path = fifo.clone();
    let writer = std::thread::spawn(move || {
        if let Ok(mut f) = std::fs::OpenOptions::new().write(true).open(&path) {
            let _ = f.write_all("Ban Bí thư họp.".as_bytes());
        }
    });
    let status = child.wait().unwrap();
    if !writer.is_finished() {
        // The run ended without opening the pipe: open it ourselves to release the writer.
        let _ = std::fs::File::open(&fifo);
    }
    writer.join().unwrap();
    let buf = reader.join().unwrap();
    assert!(
        early,
        "no line arrived before the last article was read: not streaming"
    );
    assert!(status.success());
    assert_eq!(String::from_utf8(buf).unwrap().lines().count(), 1101);
}

#[test]
fn neo4j_wants_a_folder() {
    let out = run(&["build", "-q", "--format", "neo4j", s(&articles())]);
    assert_eq!(out.status.code(), Some(2));
    assert!(one_error_line(&out).contains("-o DIR"));
    let dir = tempdir();
    let file = dir.path().join("file.csv");
    std::fs::write(&file, "keep").unwrap();
    let out = run(&[
        "build",
        "-q",
        "--format",
        "neo4j",
        "-o",
        s(&file),
        s(&articles()),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(one_error_line(&out).contains("not a folder"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
}

#[test]
fn merge_errors_are_one_clear_line() {
    let dir = tempdir();
    let bad = dir.path().join("bad.jsonl");
    let good_line = String::from_utf8(ok(&[
        "build",
        "-q",
        "--format",
        "jsonl",
        s(&article_files()[0]),
    ]))
    .unwrap();
    std::fs::write(&bad, format!("{good_line}{{\"document\": 1}}\n")).unwrap();
    let out_file = dir.path().join("out.json");
    let out = run(&["merge", "-o", s(&out_file), s(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    let err = one_error_line(&out);
    assert!(
        err.starts_with(&format!("partygraph: {}: line 2: ", bad.display())),
        "{err}"
    );
    assert!(!out_file.exists(), "nothing written on failure");
    let out = run(&["merge", s(&dir.path().join("missing.json"))]);
    assert_eq!(out.status.code(), Some(1));
    assert!(one_error_line(&out).contains("no such file"));
    let out = run(&["merge"]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["build", "--since", "20-1-2024", s(&articles())]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["build", "--kinds", "person,alien", s(&articles())]);
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["build", "--depth", "2", s(&articles())]);
    assert_eq!(out.status.code(), Some(2), "--depth needs --focus");
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = tempdir();
    let big = dir.path().join("big.json");
    let mut f = std::fs::File::create(&big).unwrap();
    write_json(&synthetic(250, 200), &mut f).unwrap();
    for format in ["json", "dot", "graphml", "jsonl"] {
        let mut child = pg()
            .args(["merge", "-q", "--format", format, s(&big)])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut head = [0u8; 64];
        child
            .stdout
            .as_mut()
            .unwrap()
            .read_exact(&mut head)
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{format}");
        assert!(
            out.stderr.is_empty(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

#[test]
fn outputs_are_deterministic() {
    for format in ["json", "dot", "graphml", "jsonl"] {
        let a = ok(&["build", "-q", "--format", format, s(&articles())]);
        let b = ok(&["build", "-q", "-j", "1", "--format", format, s(&articles())]);
        assert_eq!(a, b, "{format}");
    }
}

#[test]
fn strict_streaming_writes_nothing_on_failure() {
    let dir = tempdir();
    let input = dir.path().join("in");
    std::fs::create_dir(&input).unwrap();
    std::fs::write(input.join("a.txt"), "Bộ Chính trị họp.").unwrap();
    std::fs::write(input.join("b.txt"), b"\x00\x01binary").unwrap();
    let out_file = dir.path().join("out.jsonl");
    let out = run(&[
        "build",
        "-q",
        "--strict",
        "--format",
        "jsonl",
        "-o",
        s(&out_file),
        s(&input),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(!out_file.exists(), "nothing written under --strict");
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left.len(), 1, "no temporary file left: {left:?}");
    // Without --strict the good article is streamed.
    let out = run(&[
        "build",
        "-q",
        "--format",
        "jsonl",
        "-o",
        s(&out_file),
        s(&input),
    ]);
    assert_eq!(
        std::fs::read_to_string(&out_file).unwrap().lines().count(),
        1,
        "{out:?}"
    );
}
