//! What `partygraph build` writes on stderr when stderr is not a terminal: no progress bar, only
//! the one-line summary (and nothing at all with `--quiet`).

use std::process::Command;

fn build(extra: &[&str]) -> (bool, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_partygraph"))
        .arg("build")
        .args(extra)
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/articles"))
        .output()
        .expect("partygraph runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn not_a_terminal_only_the_summary() {
    for jobs in ["1", "2"] {
        let (ok, err) = build(&["--jobs", jobs, "--format", "jsonl"]);
        assert!(ok, "{err}");
        assert_eq!(err.lines().count(), 1, "{err:?}");
        assert!(
            err.starts_with("partygraph: ") && err.contains(" files, "),
            "{err:?}"
        );
        assert!(
            !err.contains('\u{1b}') && !err.contains('\r'),
            "terminal codes: {err:?}"
        );
        let (ok, err) = build(&["--jobs", jobs]);
        assert!(ok, "{err}");
        assert!(
            err.contains(" nodes, ") && err.contains(" edges in "),
            "{err:?}"
        );
        assert_eq!(err.lines().count(), 1, "{err:?}");
    }
}

#[test]
fn quiet_writes_nothing() {
    let (ok, err) = build(&["--quiet"]);
    assert!(ok);
    assert_eq!(err, "");
}
