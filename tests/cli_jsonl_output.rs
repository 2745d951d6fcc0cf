//! `--format jsonl -o PATH` writes like every other format: a link is followed and stays a link,
//! a named pipe (or a device such as /dev/null) is written in place, never replaced by a file.

use std::os::unix::fs::FileTypeExt;
use std::process::Command;

fn article(dir: &std::path::Path) -> std::path::PathBuf {
    let p = dir.join("a.txt");
    std::fs::write(
        &p,
        "Đồng chí Nguyễn Văn Bình, Bí thư Tỉnh ủy Nghệ An, chủ trì hội nghị.\n",
    )
    .unwrap();
    p
}

#[test]
fn jsonl_follows_links() {
    let d = tempfile::tempdir().unwrap();
    let input = article(d.path());
    let real = d.path().join("real.jsonl");
    std::fs::write(&real, "old\n").unwrap();
    let link = d.path().join("link.jsonl");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let st = Command::new(env!("CARGO_BIN_EXE_partygraph"))
        .args(["build", "--quiet", "--format", "jsonl", "-o"])
        .arg(&link)
        .arg(&input)
        .status()
        .unwrap();
    assert!(st.success());
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink(),
        "the link was replaced"
    );
    let written = std::fs::read_to_string(&real).unwrap();
    assert!(written.contains("person:nguyen-van-binh"), "{written}");
}

#[test]
fn jsonl_writes_a_named_pipe_in_place() {
    let d = tempfile::tempdir().unwrap();
    let input = article(d.path());
    let fifo = d.path().join("out.fifo");
    if Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .map(|s| !s.success())
        .unwrap_or(true)
    {
        if std::env::var_os("CI").is_some() {
            panic!("CI is set but mkfifo is missing");
        }
        eprintln!("notice: mkfifo not available; skipping");
        return;
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
    };
    let st = Command::new(env!("CARGO_BIN_EXE_partygraph"))
        .args(["build", "--quiet", "--format", "jsonl", "-o"])
        .arg(&fifo)
        .arg(&input)
        .status()
        .unwrap();
    assert!(st.success());
    // Checked before waiting for the reader: a replaced pipe would leave it waiting forever.
    assert!(
        std::fs::metadata(&fifo).unwrap().file_type().is_fifo(),
        "the pipe was replaced by a file"
    );
    let got = reader.join().unwrap();
    assert!(got.contains("person:nguyen-van-binh"), "{got}");
}
