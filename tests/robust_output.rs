//! Output robustness through the CLI: `-o` is atomic (a failed or killed run leaves the previous
//! file intact), a closed pipe ends the run quietly, and output is byte-identical whatever the
//! order of the inputs or the number of threads.

mod robust_support;

use robust_support::*;
use std::fs;
use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// The bundled articles (examples and test data), as absolute paths.
fn articles() -> Vec<PathBuf> {
    let mut v = Vec::new();
    for d in ["examples/articles", "tests/data/articles"] {
        for e in fs::read_dir(root().join(d))
            .expect("articles folder")
            .flatten()
        {
            if e.path().extension().is_some_and(|x| x == "txt") {
                v.push(e.path());
            }
        }
    }
    v.sort();
    assert!(v.len() >= 6, "bundled articles missing");
    v
}

/// A corpus of `copies` copies of every bundled article in `dir`.
fn corpus(dir: &Path, copies: usize) -> PathBuf {
    let c = dir.join("corpus");
    for k in 0..copies {
        let sub = c.join(format!("part{k:03}"));
        fs::create_dir_all(&sub).expect("mkdir");
        for a in articles() {
            fs::copy(&a, sub.join(a.file_name().expect("name"))).expect("copy");
        }
    }
    c
}

/// Files in `dir` whose names mark them as partygraph's temporary output.
fn temp_files(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .expect("read dir")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".partygraph-"))
        .collect()
}

fn sh_with_limit(dir: &Path, script_prefix: &str, args: &[&str]) -> std::process::Output {
    Command::new("sh")
        .arg("-c")
        .arg(format!("{script_prefix} exec \"$0\" \"$@\""))
        .arg(bin())
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run sh")
}

#[test]
fn failed_write_leaves_the_previous_file_intact() {
    let d = tmp();
    let c = corpus(d.path(), 1);
    let out = d.path().join("graph.json");
    fs::write(&out, "previous").expect("write");
    let c = c.to_string_lossy().into_owned();
    let args = ["build", "-q", &c, "-o", "graph.json"];

    // The file-size limit makes the write fail half-way. Ignoring SIGXFSZ turns that into an
    // EFBIG error: partygraph reports it, removes its temporary file and exits 1.
    let o = sh_with_limit(d.path(), "trap '' XFSZ; ulimit -f 8;", &args);
    assert_no_panic(&o);
    assert_eq!(code(&o), 1, "{}", stderr(&o));
    assert!(
        stderr(&o).contains("graph.json: cannot write:"),
        "{}",
        stderr(&o)
    );
    assert_eq!(fs::read_to_string(&out).expect("read"), "previous");
    assert_eq!(
        temp_files(d.path()),
        Vec::<String>::new(),
        "temporary file removed"
    );

    // With the default action, SIGXFSZ kills the process in the middle of the write.
    let o = sh_with_limit(d.path(), "ulimit -f 8;", &args);
    assert_eq!(
        o.status.signal(),
        Some(25),
        "killed by SIGXFSZ: {:?}",
        o.status
    );
    assert_eq!(fs::read_to_string(&out).expect("read"), "previous");

    // Without the limit the same run replaces the file.
    let o = run(d.path(), &args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(&out).expect("read")).expect("JSON");
    assert!(v["nodes"].as_array().is_some_and(|n| !n.is_empty()));
}

#[test]
fn killed_run_leaves_either_the_previous_or_the_complete_file() {
    let d = tmp();
    let c = corpus(d.path(), 8);
    let out = d.path().join("graph.json");
    for (k, delay_ms) in [50u64, 300, 800, 1500].into_iter().enumerate() {
        fs::write(&out, "previous").expect("write");
        let mut child = Command::new(bin())
            .args(["build", "-q"])
            .arg(&c)
            .arg("-o")
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        std::thread::sleep(Duration::from_millis(delay_ms));
        // SIGINT (Ctrl-C) for some runs, SIGKILL for the others.
        if k % 2 == 0 {
            let _ = Command::new("kill")
                .arg("-INT")
                .arg(child.id().to_string())
                .status();
        } else {
            let _ = child.kill();
        }
        let _ = child.wait();
        let now = fs::read_to_string(&out).expect("read");
        if now != "previous" {
            serde_json::from_str::<serde_json::Value>(&now)
                .unwrap_or_else(|e| panic!("after a kill at {delay_ms} ms the output is neither the previous file nor complete JSON: {e}"));
        }
    }
}

#[test]
fn early_output_errors_fail_before_any_work() {
    let d = tmp();
    fs::write(d.path().join("a.txt"), ARTICLE).expect("write");
    let o = run(d.path(), &["build", "a.txt", "-o", "no/such/dir/g.json"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("does not exist"), "{}", stderr(&o));
    fs::create_dir(d.path().join("adir")).expect("mkdir");
    let o = run(d.path(), &["build", "a.txt", "-o", "adir"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("is a folder"), "{}", stderr(&o));
    assert!(d.path().join("adir").is_dir());
}

#[test]
fn output_through_a_link_replaces_the_target_and_keeps_the_link_and_mode() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let d = tmp();
    fs::write(d.path().join("a.txt"), ARTICLE).expect("write");
    fs::create_dir(d.path().join("real")).expect("mkdir");
    let target = d.path().join("real/graph.json");
    fs::write(&target, "previous").expect("write");
    fs::set_permissions(&target, fs::Permissions::from_mode(0o640)).expect("chmod");
    symlink("real/graph.json", d.path().join("link.json")).expect("symlink");
    let o = run(d.path(), &["build", "-q", "a.txt", "-o", "link.json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let link = fs::symlink_metadata(d.path().join("link.json")).expect("stat");
    assert!(link.file_type().is_symlink(), "the link is kept");
    let text = fs::read_to_string(&target).expect("read");
    assert!(text.starts_with('{'), "the target is replaced");
    let mode = fs::metadata(&target).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640, "the mode of the replaced file is kept");
    assert_eq!(temp_files(&d.path().join("real")), Vec::<String>::new());
}

#[test]
fn output_to_a_named_pipe_writes_into_it() {
    use std::os::unix::fs::FileTypeExt;
    if !have_tool("mkfifo", &["--version"]) {
        return;
    }
    let d = tmp();
    fs::write(d.path().join("a.txt"), ARTICLE).expect("write");
    let fifo = d.path().join("pipe.json");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .expect("mkfifo")
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut s = String::new();
            fs::File::open(&fifo)
                .expect("open fifo")
                .read_to_string(&mut s)
                .expect("read fifo");
            s
        })
    };
    let o = run(d.path(), &["build", "-q", "a.txt", "-o", "pipe.json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let got = reader.join().expect("reader");
    serde_json::from_str::<serde_json::Value>(&got).expect("JSON through the pipe");
    assert!(
        fs::symlink_metadata(&fifo)
            .expect("stat")
            .file_type()
            .is_fifo(),
        "still a pipe, not replaced"
    );
}

#[test]
fn closed_pipe_exits_quietly() {
    let d = tmp();
    let c = corpus(d.path(), 2);
    for format in ["json", "dot"] {
        let mut child = Command::new(bin())
            .args(["build", "-q", "--format", format])
            .arg(&c)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        let mut head = [0u8; 100];
        child
            .stdout
            .as_mut()
            .expect("stdout")
            .read_exact(&mut head)
            .expect("read head");
        drop(child.stdout.take()); // `| head -c 100`
        let o = child.wait_with_output().expect("wait");
        assert_no_panic(&o);
        assert_eq!(code(&o), 0, "{format}: {}", stderr(&o));
        assert!(o.stderr.is_empty(), "{format}: quiet, got {}", stderr(&o));
    }
    // Through a shell pipeline too.
    let o = Command::new("sh")
        .arg("-c")
        .arg("\"$0\" build \"$1\" | head -c 10 >/dev/null")
        .arg(bin())
        .arg(&c)
        .output()
        .expect("sh");
    assert!(!stderr(&o).contains("panicked"), "{}", stderr(&o));
    assert!(!stderr(&o).contains("Broken pipe"), "{}", stderr(&o));
}

#[test]
fn closed_stderr_does_not_panic() {
    let d = tmp();
    fs::write(d.path().join("bad.txt"), b"Ban B\xEDth\xF0 h\xE1p").expect("write");
    fs::write(d.path().join("bin.txt"), b"a\0b").expect("write");
    let mut child = Command::new(bin())
        .args(["build", "bad.txt", "bin.txt", "missing.txt"])
        .current_dir(d.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    drop(child.stderr.take()); // `2>&1 | head -0`
    let o = child.wait_with_output().expect("wait");
    assert_eq!(
        code(&o),
        1,
        "exit 1 for the missing file, not 101 for a panic"
    );
    serde_json::from_slice::<serde_json::Value>(&o.stdout).expect("JSON still written");
}

#[test]
fn output_is_byte_identical_whatever_the_order_and_threads() {
    let d = tmp();
    fs::write(
        d.path().join("page.html"),
        format!("<html><body><p>{ARTICLE}</p></body></html>"),
    )
    .expect("write");
    fs::write(
        d.path().join("bad.txt"),
        b"B\xF4 Ch\xEDnh tr\xEF. Ban B\xED th\xF0.",
    )
    .expect("write");
    // Two files with the same stem: IDs `a` and `a~2` must not depend on the order given.
    fs::create_dir(d.path().join("x")).expect("mkdir");
    fs::write(d.path().join("x/a.txt"), ARTICLE).expect("write");
    fs::create_dir(d.path().join("y")).expect("mkdir");
    fs::write(d.path().join("y/a.txt"), "Ban Bí thư họp.").expect("write");
    let mut files: Vec<String> = articles()
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    files.extend(["page.html", "bad.txt", "x/a.txt", "y/a.txt"].map(String::from));
    let mut reversed = files.clone();
    reversed.reverse();
    let mut interleaved: Vec<String> = files.iter().step_by(2).cloned().collect();
    interleaved.extend(files.iter().skip(1).step_by(2).cloned());
    for format in ["json", "dot"] {
        let mut outputs = Vec::new();
        for (order, jobs) in [
            (&files, "1"),
            (&reversed, "2"),
            (&interleaved, "2"),
            (&files, "2"),
            (&reversed, "1"),
        ] {
            let mut args = vec!["build", "-q", "--format", format, "--jobs", jobs];
            args.extend(order.iter().map(String::as_str));
            let o = run(d.path(), &args);
            assert_no_panic(&o);
            assert_eq!(code(&o), 0, "{}", stderr(&o));
            outputs.push(o.stdout);
        }
        assert!(outputs[0].len() > 1000);
        for (k, o) in outputs.iter().enumerate().skip(1) {
            assert!(o == &outputs[0], "{format}: run {k} differs from run 0");
        }
    }
    // A folder gives what its files give.
    let folder = run(d.path(), &["build", "-q", "x", "y"]);
    let files = run(d.path(), &["build", "-q", "y/a.txt", "x/a.txt"]);
    assert_eq!(code(&folder), 0);
    assert!(folder.stdout == files.stdout, "folder and files differ");
}

/// What each format's `-o` holds before a run: a file, or for neo4j a folder with its two files.
fn previous_output(dir: &Path, format: &str) -> PathBuf {
    let out = dir.join(format!("out-{format}"));
    if format == "neo4j" {
        fs::create_dir(&out).expect("mkdir");
        fs::write(out.join("nodes.csv"), "previous nodes").expect("write");
        fs::write(out.join("relationships.csv"), "previous edges").expect("write");
    } else {
        fs::write(&out, "previous").expect("write");
    }
    out
}

/// The bytes of an output file, or of a neo4j folder's files, for comparing.
fn output_bytes(out: &Path) -> Vec<u8> {
    if out.is_dir() {
        let mut all = fs::read(out.join("nodes.csv")).expect("nodes.csv");
        all.extend(fs::read(out.join("relationships.csv")).expect("relationships.csv"));
        all
    } else {
        fs::read(out).expect("read output")
    }
}

const FORMATS: [&str; 5] = ["json", "jsonl", "dot", "graphml", "neo4j"];

#[test]
fn a_run_that_reads_nothing_writes_nothing_in_every_format() {
    let d = tmp();
    fs::create_dir(d.path().join("empty")).expect("mkdir");
    for format in FORMATS {
        let out = previous_output(d.path(), format);
        let before = output_bytes(&out);
        let o_arg = out.to_string_lossy().into_owned();
        for inputs in [
            &["missing.txt"][..],
            &["missing.txt", "gone.txt"],
            &["empty"],
        ] {
            let mut args = vec!["build", "-q", "--format", format, "-o", &o_arg];
            args.extend(inputs);
            let o = run(d.path(), &args);
            assert_no_panic(&o);
            assert_eq!(code(&o), 1, "{format} {inputs:?}: {}", stderr(&o));
            let last = stderr(&o).lines().last().unwrap_or("").to_string();
            assert_eq!(
                last,
                format!(
                    "partygraph: no input could be read; {o_arg} not written (it keeps what it held)"
                ),
                "{format} {inputs:?}"
            );
            assert_eq!(
                output_bytes(&out),
                before,
                "{format} {inputs:?}: output changed"
            );
            assert_eq!(temp_files(d.path()), Vec::<String>::new(), "{format}");
        }
        // To standard output: nothing at all.
        let o = run(
            d.path(),
            &["build", "-q", "--format", format, "missing.txt"],
        );
        if format != "neo4j" {
            assert_eq!(code(&o), 1, "{format}: {}", stderr(&o));
            assert!(o.stdout.is_empty(), "{format}: wrote to stdout");
            assert!(
                stderr(&o).ends_with("no input could be read; nothing written\n"),
                "{format}: {}",
                stderr(&o)
            );
        }
    }
    // Not there before: still not there.
    let o = run(d.path(), &["build", "-q", "missing.txt", "-o", "new.json"]);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).ends_with("no input could be read; new.json not written\n"));
    assert!(!d.path().join("new.json").exists());
}

#[test]
fn a_run_where_some_inputs_fail_writes_what_was_read_in_every_format() {
    let d = tmp();
    let a = articles();
    let first = a[0].to_string_lossy().into_owned();
    for format in FORMATS {
        let out = previous_output(d.path(), format);
        let o_arg = out.to_string_lossy().into_owned();
        let args = [
            "build",
            "-q",
            "--format",
            format,
            "-o",
            &o_arg,
            "missing.txt",
            &first,
            "gone.txt",
        ];
        let o = run(d.path(), &args);
        assert_no_panic(&o);
        assert_eq!(code(&o), 1, "{format}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("missing.txt: no such file or folder"), "{err}");
        assert!(
            err.ends_with(&format!(
                "partygraph: 2 inputs could not be read; {o_arg} holds the 1 article read\n"
            )),
            "{format}: {err}"
        );
        // The output is the graph of the article that was read, the same as building it alone.
        let alone = d.path().join(format!("alone-{format}"));
        let alone_arg = alone.to_string_lossy().into_owned();
        let o = run(
            d.path(),
            &["build", "-q", "--format", format, "-o", &alone_arg, &first],
        );
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        assert_eq!(output_bytes(&out), output_bytes(&alone), "{format}");
    }
}
