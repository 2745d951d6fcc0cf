//! Helpers for the robustness tests (`tests/robust_*.rs`, `tests/prop_invariants.rs`).

#![allow(dead_code)]

pub mod invariants;
pub mod names;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The `partygraph` binary built for these tests.
pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_partygraph"))
}

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `partygraph ARGS` in `dir` with stdin empty; returns its output.
pub fn run(dir: &Path, args: &[&str]) -> Output {
    run_with_stdin(dir, args, b"")
}

/// Runs `partygraph ARGS` in `dir` with `stdin` as standard input.
pub fn run_with_stdin(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(bin())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run partygraph");
    {
        let mut i = child.stdin.take().expect("stdin");
        let _ = i.write_all(stdin);
    }
    child.wait_with_output().expect("wait for partygraph")
}

/// The exit code, or -signal when killed.
pub fn code(o: &Output) -> i32 {
    use std::os::unix::process::ExitStatusExt;
    o.status
        .code()
        .unwrap_or_else(|| -o.status.signal().unwrap_or(0))
}

/// Standard error as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Asserts the run did not panic (exit code 101 or a panic message).
pub fn assert_no_panic(o: &Output) {
    let err = stderr(o);
    assert!(!err.contains("panicked"), "panic message:\n{err}");
    assert_ne!(code(o), 101, "exit code 101 (panic):\n{err}");
}

/// The parsed JSON of a successful run's stdout.
pub fn json(o: &Output) -> serde_json::Value {
    serde_json::from_slice(&o.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr:\n{}\nstdout starts: {:?}",
            stderr(o),
            String::from_utf8_lossy(&o.stdout[..o.stdout.len().min(300)])
        )
    })
}

/// Every mention in a JSON graph: (node id, doc, start, end, text).
pub fn mentions(v: &serde_json::Value) -> Vec<(String, String, usize, usize, String)> {
    let mut out = Vec::new();
    for n in v["nodes"].as_array().into_iter().flatten() {
        for m in n["mentions"].as_array().into_iter().flatten() {
            out.push((
                n["id"].as_str().unwrap_or_default().to_string(),
                m["doc"].as_str().unwrap_or_default().to_string(),
                m["start"].as_u64().unwrap_or(u64::MAX) as usize,
                m["end"].as_u64().unwrap_or(u64::MAX) as usize,
                m["text"].as_str().unwrap_or_default().to_string(),
            ));
        }
    }
    out
}

#[path = "../common/tools.rs"]
mod tools;
#[allow(unused_imports)]
pub use tools::have_tool;

/// A small Vietnamese article naming gazetteer entities (a committee, a person, a document).
pub const ARTICLE: &str = "Ngày 5/3/2024, Tỉnh ủy Nghệ An tổ chức hội nghị quán triệt Chỉ thị số 05-CT/TW của Bộ Chính trị. \
Đồng chí Nguyễn Văn Bình, Bí thư Tỉnh ủy, chủ trì hội nghị.\n\
Ban Bí thư và Bộ Chính trị đánh giá cao kết quả.\n";
