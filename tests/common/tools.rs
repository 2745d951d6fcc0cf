//! The one rule for tests that need an external tool (Graphviz, Python with networkx, mkfifo):
//! when the tool does not run, skip with a notice — but fail when `CI` is set, since CI installs
//! every tool. Shared by the test support modules (included by path).
#![allow(dead_code)]

use std::process::{Command, Stdio};

/// True when `name args...` runs successfully; otherwise prints a skip notice and returns false,
/// or panics when the environment variable `CI` is set.
pub fn have_tool(name: &str, args: &[&str]) -> bool {
    let ok = Command::new(name)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        if std::env::var_os("CI").is_some() {
            panic!(
                "`{name} {}` is required when CI is set, but it does not run",
                args.join(" ")
            );
        }
        eprintln!(
            "SKIP: `{name} {}` does not run; install it to run this test",
            args.join(" ")
        );
    }
    ok
}

/// True when python3 with networkx is available (same rule as [`have_tool`]).
pub fn have_networkx() -> bool {
    have_tool("python3", &["-c", "import networkx"])
}
