//! Replays the committed regression inputs (`tests/data/regressions/`) through every invariant of
//! `tests/robust_support/invariants.rs`:
//!
//! - `fuzz/*`: inputs the fuzzer found interesting (new coverage), minimized; the first byte
//!   chooses text (even) or HTML (odd), as in `fuzz/fuzz_targets/pipeline.rs`;
//! - `*.txt`, `*.bin` (read as text) and `*.html` (read as HTML): inputs written by hand.
//!
//! The DOT of all of them is also rendered by Graphviz `dot`, to check the grammar checker
//! against the real parser.

mod robust_support;

use partygraph::KnowledgeGraph;
use partygraph::corpus::{self, InputFormat};
use partygraph::export::{self, DotOptions};
use robust_support::{have_tool, invariants, root};
use std::fs;
use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(rd) = fs::read_dir(dir) else {
        return out;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else if !p
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("README"))
        {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// The bytes and format of a regression input.
fn input(p: &Path) -> (Vec<u8>, InputFormat) {
    let raw = fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    let in_fuzz = p
        .parent()
        .and_then(|d| d.file_name())
        .is_some_and(|n| n == "fuzz");
    if in_fuzz {
        match raw.split_first() {
            Some((&mode, rest)) => (
                rest.to_vec(),
                if mode & 1 == 1 {
                    InputFormat::Html
                } else {
                    InputFormat::Text
                },
            ),
            None => (Vec::new(), InputFormat::Text),
        }
    } else if p.extension().is_some_and(|x| x == "html" || x == "htm") {
        (raw, InputFormat::Html)
    } else {
        (raw, InputFormat::Text)
    }
}

fn check_all(inputs: &[PathBuf]) -> Vec<String> {
    let mut failures = Vec::new();
    for p in inputs {
        let (raw, format) = input(p);
        let r = std::panic::catch_unwind(|| invariants::check_bytes(&raw, format));
        match r {
            Ok(Ok(())) => {}
            Ok(Err(e)) => failures.push(format!("{}: {e}", p.display())),
            Err(_) => failures.push(format!("{}: panicked", p.display())),
        }
    }
    failures
}

#[test]
fn regression_inputs_keep_every_invariant() {
    let dir = root().join("tests/data/regressions");
    let inputs = files(&dir);
    assert!(
        inputs.len() >= 20,
        "regression inputs missing in {}",
        dir.display()
    );
    let failures = check_all(&inputs);
    assert!(
        failures.is_empty(),
        "{} of {} inputs break an invariant:\n{}",
        failures.len(),
        inputs.len(),
        failures.join("\n")
    );
}

#[test]
fn the_checker_catches_a_bad_span() {
    // The invariants are worth something only if they fail on a broken extraction.
    let raw = "Bộ Chính trị họp.".as_bytes();
    let t = corpus::decode_as("x.txt", raw.to_vec(), InputFormat::Text).expect("decode");
    let mut x = t.extract(
        invariants::extractor(),
        partygraph::corpus::Input {
            source: corpus::Source::Stdin,
            id: "x".into(),
            format: InputFormat::Text,
        }
        .info(),
    );
    invariants::check_extraction(raw, &t, &x).expect("a good extraction passes");
    let e = x
        .entities
        .iter()
        .position(|e| e.id == "committee:bo-chinh-tri")
        .expect("found");
    let m = &mut x.entities[e].mentions[0];
    m.start += 1; // inside "Ộ"
    assert!(invariants::check_extraction(raw, &t, &x).is_err());
    let m = &mut x.entities[e].mentions[0];
    m.start -= 1;
    m.end = raw.len() + 1;
    assert!(invariants::check_extraction(raw, &t, &x).is_err());
}

#[test]
fn graphviz_accepts_the_dot_of_every_regression_input() {
    if !have_tool("dot", &["-V"]) {
        return;
    }
    let ex = invariants::extractor();
    let mut all = KnowledgeGraph::new();
    for (k, p) in files(&root().join("tests/data/regressions"))
        .iter()
        .enumerate()
    {
        let (raw, format) = input(p);
        let Ok(t) = corpus::decode_as("r", raw, format) else {
            continue;
        };
        let info = corpus::document_info(&format!("r{k}"), &p.display().to_string());
        all.add(t.extract(ex, info));
    }
    assert!(all.node_count() > 0);
    let dot = export::render_dot(&all, &DotOptions::default());
    invariants::dot_grammar::check(&dot).expect("grammar check");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("all.dot");
    fs::write(&path, &dot).expect("write");
    let o = std::process::Command::new("dot")
        .args(["-Tcanon", "-o"])
        .arg(dir.path().join("out.dot"))
        .arg(&path)
        .output()
        .expect("run dot");
    assert!(
        o.status.success(),
        "dot rejects the DOT: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("syntax error"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}
