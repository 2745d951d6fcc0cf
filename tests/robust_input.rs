//! Bad and odd inputs, end to end through the CLI: each gets one clear line, the others are still
//! processed, offsets index the original bytes, and the exit code says what happened
//! (docs/ROBUSTNESS.md).

mod robust_support;

use robust_support::*;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// Node IDs of a JSON graph.
fn ids(v: &serde_json::Value) -> BTreeSet<String> {
    v["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| n["id"].as_str().map(String::from))
        .collect()
}

/// Node IDs with the document ID (which some IDs carry, e.g. `meeting:DOC-1`) made generic.
fn ids_of(v: &serde_json::Value, doc: &str) -> BTreeSet<String> {
    ids(v).into_iter().map(|i| i.replace(doc, "DOC")).collect()
}

/// Asserts every mention of `doc` is its text at its offsets in `raw` (U+FFFD for bad bytes).
fn assert_offsets(raw: &[u8], v: &serde_json::Value, doc: &str) -> usize {
    let mut n = 0;
    for (id, d, s, e, text) in mentions(v) {
        if d != doc {
            continue;
        }
        assert!(
            s <= e && e <= raw.len(),
            "{id}: {s}..{e} outside {}",
            raw.len()
        );
        assert_eq!(
            String::from_utf8_lossy(&raw[s..e]),
            text,
            "{id} at {s}..{e}"
        );
        n += 1;
    }
    n
}

/// Where the last mention of `id` in `doc` starts.
fn last_start_of(v: &serde_json::Value, id: &str, doc: &str) -> Option<usize> {
    mentions(v)
        .into_iter()
        .filter(|m| m.0 == id && m.1 == doc)
        .map(|m| m.2)
        .max()
}

const BCT: &str = "committee:bo-chinh-tri";

#[test]
fn invalid_utf8_warns_once_with_offset_and_keeps_offsets() {
    let d = tmp();
    let (head, tail) = ARTICLE.split_at(ARTICLE.find("Đồng chí").expect("split"));
    let mut raw = head.as_bytes().to_vec();
    let bad_at = raw.len();
    raw.extend([0xFF, b' ', 0xC3, b'(']);
    raw.extend(tail.as_bytes());
    raw.push(0xE1);
    fs::write(d.path().join("bad.txt"), &raw).expect("write");
    let o = run(d.path(), &["build", "-q", "bad.txt"]);
    assert_no_panic(&o);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "one warning per file:\n{err}");
    assert!(
        err.contains("bad.txt: warning: not valid UTF-8: first bad byte at offset ")
            && err.contains(&format!("offset {bad_at};"))
            && err.contains("3 bad sequences"),
        "{err}"
    );
    let v = json(&o);
    assert!(assert_offsets(&raw, &v, "bad") >= 3);
    // A mention after the bad bytes still points at the original bytes.
    let bct = tail.find("Bộ Chính trị").expect("in tail") + bad_at + 4;
    assert_eq!(last_start_of(&v, BCT, "bad"), Some(bct));

    // --strict: the warning fails the run and nothing is written.
    let o = run(d.path(), &["build", "-q", "--strict", "bad.txt"]);
    assert_eq!(code(&o), 1);
    assert!(o.stdout.is_empty());
    assert!(stderr(&o).contains("--strict"), "{}", stderr(&o));
    fs::write(d.path().join("prev.json"), "previous").expect("write");
    let o = run(
        d.path(),
        &["build", "-q", "--strict", "bad.txt", "-o", "prev.json"],
    );
    assert_eq!(code(&o), 1);
    assert_eq!(
        fs::read_to_string(d.path().join("prev.json")).expect("read"),
        "previous"
    );
}

#[test]
fn binary_files_are_skipped_with_a_warning() {
    let d = tmp();
    fs::write(d.path().join("img.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").expect("write");
    fs::write(d.path().join("good.txt"), ARTICLE).expect("write");
    let o = run(d.path(), &["build", "-q", "img.txt", "good.txt"]);
    assert_no_panic(&o);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let err = stderr(&o);
    assert_eq!(
        err.trim(),
        "partygraph: img.txt: warning: binary file (NUL byte at offset 8), not read; skipped"
    );
    let v = json(&o);
    let docs: Vec<&str> = v["graph"]["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["id"].as_str())
        .collect();
    assert_eq!(docs, ["good"]);
    assert!(ids(&v).contains(BCT));
    let o = run(
        d.path(),
        &["build", "-q", "--strict", "img.txt", "good.txt"],
    );
    assert_eq!(code(&o), 1);
    assert!(o.stdout.is_empty());
}

#[test]
fn utf16_is_named_and_skipped() {
    let d = tmp();
    let mut raw = vec![0xFF, 0xFE];
    for u in ARTICLE.encode_utf16() {
        raw.extend(u.to_le_bytes());
    }
    fs::write(d.path().join("u16.txt"), &raw).expect("write");
    let o = run(d.path(), &["build", "-q", "u16.txt"]);
    assert_no_panic(&o);
    // The only input, not read: nothing is written.
    assert_eq!(code(&o), 1);
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).contains("u16.txt: warning: UTF-16 text"),
        "{}",
        stderr(&o)
    );
    assert!(stderr(&o).contains("iconv"), "says how to fix it");
}

#[test]
fn empty_files_and_empty_stdin_work() {
    let d = tmp();
    fs::write(d.path().join("empty.txt"), b"").expect("write");
    fs::write(d.path().join("good.txt"), ARTICLE).expect("write");
    let o = run(d.path(), &["build", "-q", "empty.txt", "good.txt"]);
    assert_no_panic(&o);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["graph"]["documents"].as_array().map(Vec::len), Some(2));
    let o = run(d.path(), &["build", "-q", "empty.txt"]);
    assert_eq!(code(&o), 0);
    assert_eq!(json(&o)["nodes"].as_array().map(Vec::len), Some(0));
    let o = run_with_stdin(d.path(), &["build", "-q"], b"");
    assert_eq!(code(&o), 0);
    json(&o);
    let o = run_with_stdin(d.path(), &["build", "-q", "--format", "dot"], b"");
    assert_eq!(code(&o), 0);
    invariants::dot_grammar::check(&String::from_utf8_lossy(&o.stdout)).expect("DOT grammar");
}

/// Runs one variant of the article and checks its entities and offsets against the plain one.
fn same_entities_with_offsets(name: &str, raw: &[u8]) {
    let d = tmp();
    fs::write(d.path().join("plain.txt"), ARTICLE).expect("write");
    fs::write(d.path().join(name), raw).expect("write");
    let plain = json(&run(d.path(), &["build", "-q", "plain.txt"]));
    let o = run(d.path(), &["build", "-q", name]);
    assert_no_panic(&o);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(o.stderr.is_empty(), "no warning for {name}: {}", stderr(&o));
    let v = json(&o);
    assert!(ids(&plain).contains(BCT));
    let stem = Path::new(name)
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("stem");
    assert_eq!(
        ids_of(&v, stem),
        ids_of(&plain, "plain"),
        "{name} finds what the plain text finds"
    );
    assert!(assert_offsets(raw, &v, stem) >= ids(&plain).len());
}

#[test]
fn bom_keeps_offsets_into_the_file() {
    let mut raw = b"\xEF\xBB\xBF".to_vec();
    raw.extend(ARTICLE.as_bytes());
    same_entities_with_offsets("bom.txt", &raw);
}

#[test]
fn crlf_and_cr_line_ends() {
    same_entities_with_offsets("crlf.txt", ARTICLE.replace('\n', "\r\n").as_bytes());
    same_entities_with_offsets("cr.txt", ARTICLE.replace('\n', "\r").as_bytes());
}

#[test]
fn nfd_text_keeps_offsets_into_the_file() {
    let nfd: String = ARTICLE.nfd().collect();
    assert_ne!(nfd.len(), ARTICLE.len());
    same_entities_with_offsets("nfd.txt", nfd.as_bytes());
}

#[test]
fn nbsp_zero_width_and_tone_styles() {
    let odd = ARTICLE
        .replace("Bộ Chính trị", "Bộ\u{a0}Chính\u{200b} trị")
        .replace("Ban Bí thư", "Ban\u{a0}\u{a0}Bí\u{feff} thư")
        .replace("Tỉnh ủy", "Tỉnh uỷ");
    same_entities_with_offsets("odd.txt", odd.as_bytes());
}

#[test]
fn missing_path_is_one_line_and_the_rest_is_processed() {
    let d = tmp();
    fs::write(d.path().join("good.txt"), ARTICLE).expect("write");
    let o = run(
        d.path(),
        &["build", "-q", "good.txt", "missing.txt", "nodir/"],
    );
    assert_no_panic(&o);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 3, "{err}");
    assert!(
        err.ends_with(
            "partygraph: 2 inputs could not be read; the output holds the 1 article read\n"
        ),
        "{err}"
    );
    assert!(
        err.contains("partygraph: missing.txt: no such file or folder"),
        "{err}"
    );
    assert!(
        err.contains("partygraph: nodir/: no such file or folder"),
        "{err}"
    );
    assert!(
        ids(&json(&o)).contains(BCT),
        "the good input is still in the output"
    );
}

/// True when the current user can read a file whatever its mode (root).
fn reads_everything(p: &Path) -> bool {
    fs::File::open(p).is_ok()
}

#[test]
fn unreadable_file_and_folder() {
    use std::os::unix::fs::PermissionsExt;
    use std::process::Command;
    let d = tmp();
    fs::set_permissions(d.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
    fs::write(d.path().join("good.txt"), ARTICLE).expect("write");
    let locked = d.path().join("locked.txt");
    fs::write(&locked, ARTICLE).expect("write");
    fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).expect("chmod");
    let sub = d.path().join("sub");
    fs::create_dir(&sub).expect("mkdir");
    fs::write(sub.join("x.txt"), ARTICLE).expect("write");
    fs::set_permissions(&sub, fs::Permissions::from_mode(0o000)).expect("chmod");
    let args = ["build", "-q", "good.txt", "locked.txt", "sub"];
    let o = if !reads_everything(&locked) {
        run(d.path(), &args)
    } else if Command::new("setpriv")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        // Root reads mode-000 files: run as nobody instead.
        Command::new("setpriv")
            .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(bin())
            .args(args)
            .current_dir(d.path())
            .output()
            .expect("run partygraph as nobody")
    } else {
        fs::set_permissions(&sub, fs::Permissions::from_mode(0o755)).expect("chmod back");
        eprintln!(
            "SKIPPED: running as root (mode 000 does not stop reads) without setpriv to drop privileges; the unreadable-file case cannot be staged"
        );
        return;
    };
    fs::set_permissions(&sub, fs::Permissions::from_mode(0o755)).expect("chmod back");
    assert_no_panic(&o);
    let err = stderr(&o);
    assert_eq!(code(&o), 1, "{err}");
    assert!(err.contains("locked.txt: permission denied"), "{err}");
    assert!(
        err.contains("sub: cannot list folder: permission denied"),
        "{err}"
    );
    // One line per problem, and how many failed.
    assert_eq!(err.lines().count(), 3, "{err}");
    assert!(err.contains("2 inputs could not be read"), "{err}");
    assert!(ids(&json(&o)).contains(BCT));
}

#[test]
fn symlink_loops_and_broken_links() {
    use std::os::unix::fs::symlink;
    let d = tmp();
    let corpus = d.path().join("corpus");
    fs::create_dir_all(corpus.join("sub")).expect("mkdir");
    fs::write(corpus.join("a.txt"), ARTICLE).expect("write");
    fs::write(corpus.join("sub/b.txt"), "Ban Bí thư họp.").expect("write");
    symlink("..", corpus.join("sub/up")).expect("symlink");
    symlink("self.txt", corpus.join("self.txt")).expect("symlink");
    symlink("nowhere.txt", corpus.join("dead.txt")).expect("symlink");
    symlink("sub", corpus.join("again")).expect("symlink");
    let o = run(d.path(), &["build", "-q", "corpus"]);
    assert_no_panic(&o);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert_eq!(
        err.lines().count(),
        4,
        "one line per problem, and how many failed:\n{err}"
    );
    assert!(
        err.ends_with("3 inputs could not be read; the output holds the 2 articles read\n"),
        "{err}"
    );
    assert!(
        err.contains("corpus/sub/up: folder link loop: leads back to corpus"),
        "{err}"
    );
    assert!(
        err.contains("corpus/self.txt: too many levels of links (a link loop)"),
        "{err}"
    );
    assert!(err.contains("corpus/dead.txt: broken link"), "{err}");
    let v = json(&o);
    let docs: Vec<&str> = v["graph"]["documents"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["id"].as_str())
        .collect();
    // Each file once, though reachable through a link.
    assert_eq!(docs, ["a", "b"]);
}

#[test]
fn a_file_given_twice_is_read_once() {
    let d = tmp();
    fs::create_dir(d.path().join("c")).expect("mkdir");
    fs::write(d.path().join("c/a.txt"), ARTICLE).expect("write");
    let o = run(d.path(), &["build", "-q", "c", "c/a.txt", "./c/a.txt"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["graph"]["documents"].as_array().map(Vec::len), Some(1));
    assert_eq!(v["graph"]["documents"][0]["path"], "./c/a.txt");
}

#[test]
fn empty_folder_is_a_warning() {
    let d = tmp();
    fs::create_dir(d.path().join("none")).expect("mkdir");
    fs::write(d.path().join("none/readme.md"), "x").expect("write");
    fs::write(d.path().join("a.txt"), ARTICLE).expect("write");
    // Beside an article that is read: a warning, and the graph of what was read.
    let o = run(d.path(), &["build", "-q", "none", "a.txt"]);
    assert_eq!(code(&o), 0);
    assert!(
        stderr(&o).contains("none: warning: folder holds no .txt, .html or .htm file"),
        "{}",
        stderr(&o)
    );
    assert_eq!(
        json(&o)["graph"]["documents"].as_array().map(Vec::len),
        Some(1)
    );
    // Alone: nothing could be read, so nothing is written.
    let o = run(d.path(), &["build", "-q", "none"]);
    assert_eq!(code(&o), 1);
    assert!(o.stdout.is_empty());
    assert!(
        stderr(&o).ends_with("no input could be read; nothing written\n"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn too_large_files_are_refused_without_reading() {
    let d = tmp();
    let f = fs::File::create(d.path().join("huge.txt")).expect("create");
    // Sparse: takes no disk space.
    f.set_len(partygraph::corpus::MAX_INPUT_BYTES + 1)
        .expect("set_len");
    drop(f);
    let o = run(d.path(), &["build", "-q", "huge.txt"]);
    assert_no_panic(&o);
    assert_eq!(code(&o), 1);
    assert!(stderr(&o).contains("huge.txt: too large"), "{}", stderr(&o));
}

const PAGE: &str = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Bộ Chính trị họp</title>\
<script>var s = \"Ban Bí thư\";</script><style>p { color: red }</style></head>\n\
<body><h1>Hội nghị Tỉnh ủy Nghệ An</h1>\n<p>Ngày 5/3/2024, <b>Tỉnh&nbsp;ủy</b> Nghệ An tổ chức hội nghị. \
Đồng chí Nguyễn Văn Bình chủ trì. <a href=\"/x?a=1&amp;b=2\">B&#7897; Ch&iacute;nh tr&#x1ECB;</a> đánh giá cao.</p>\
<!-- Ban Bí thư --></body></html>\n";

#[test]
fn html_pages_read_their_visible_text_with_offsets_into_the_page() {
    let d = tmp();
    fs::write(d.path().join("page.html"), PAGE).expect("write");
    let o = run(d.path(), &["build", "-q", "page.html"]);
    assert_no_panic(&o);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = json(&o);
    let found = ids(&v);
    assert!(found.contains(BCT), "{found:?}");
    assert!(found.contains("committee:tinh-uy-nghe-an"), "{found:?}");
    // Script, style, title and comments are not text.
    assert!(!found.contains("committee:ban-bi-thu"), "{found:?}");
    let ms = mentions(&v);
    assert!(!ms.is_empty());
    for (id, _, s, e, text) in &ms {
        assert!(
            PAGE.is_char_boundary(*s) && PAGE.is_char_boundary(*e),
            "{id} {s}..{e}"
        );
        assert!(
            !text.contains('<') && !text.contains("&#"),
            "{id}: visible text, got {text:?}"
        );
    }
    let bct = ms.iter().find(|m| m.0 == BCT).expect("BCT mention");
    assert_eq!(bct.4, "Bộ Chính trị");
    assert_eq!(&PAGE[bct.2..bct.3], "B&#7897; Ch&iacute;nh tr&#x1ECB;");

    // The same page as text: tags and references are read as they are.
    fs::write(d.path().join("page.txt"), PAGE).expect("write");
    let as_text = json(&run(d.path(), &["build", "-q", "page.txt"]));
    assert_offsets(PAGE.as_bytes(), &as_text, "page");
    // --input html reads a .txt as HTML; --input text reads a .html as text.
    let forced = json(&run(
        d.path(),
        &["build", "-q", "--input", "html", "page.txt"],
    ));
    assert_eq!(ids_of(&forced, "page"), ids_of(&v, "page"));
    let o = run(d.path(), &["build", "-q", "--input", "text", "page.html"]);
    assert_offsets(PAGE.as_bytes(), &json(&o), "page");
    // Standard input is sniffed.
    let piped = json(&run_with_stdin(d.path(), &["build", "-q"], PAGE.as_bytes()));
    assert_eq!(ids_of(&piped, "stdin"), ids_of(&v, "page"));
}

#[test]
fn html_with_a_legacy_charset_warns_and_says_how_to_fix() {
    let d = tmp();
    let mut raw = b"<html><head><meta charset=\"windows-1258\"></head><body><p>B\xD4 Ch\xCDnh</p><p>Ban B\xED th\xF0</p></body></html>".to_vec();
    raw.extend(b"\n");
    fs::write(d.path().join("old.htm"), &raw).expect("write");
    let o = run(d.path(), &["build", "-q", "old.htm"]);
    assert_no_panic(&o);
    assert_eq!(code(&o), 0);
    let err = stderr(&o);
    let first = raw.iter().position(|&b| b >= 0x80).expect("a high byte");
    assert!(
        err.contains(&format!(
            "old.htm: warning: not valid UTF-8: first bad byte at offset {first};"
        )),
        "{err}"
    );
    assert!(err.contains("iconv -f windows-1258 -t UTF-8"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let d = tmp();
    let o = run(d.path(), &["build", "--input", "pdf", "x.txt"]);
    assert_eq!(code(&o), 2);
    let o = run(d.path(), &["build", "--jobs", "0", "x.txt"]);
    assert_eq!(code(&o), 2);
}
