//! Hand-edited gazetteers: every malformed line gives `file:line: message` and exit code 1, from
//! `partygraph gazetteer check DIR` and from `partygraph build --gazetteers DIR`, never a panic.

mod robust_support;

use proptest::prelude::*;
use robust_support::*;
use std::fs;

/// (file name, contents, line, what the message says).
const CASES: &[(&str, &[u8], usize, &str)] = &[
    // Missing fields.
    ("x.entities.tsv", b"# header\n\nperson\n", 3, "missing name"),
    ("titles.tsv", "Bí thư\n".as_bytes(), 1, "missing category"),
    (
        "y.templates.tsv",
        "Tỉnh ủy {name}\n".as_bytes(),
        1,
        "missing applies_to",
    ),
    ("triggers.tsv", "chủ trì\n".as_bytes(), 1, "missing role"),
    // Unknown kind, or a kind that cannot be listed.
    (
        "x.entities.tsv",
        b"# c\nalien\tX\n",
        2,
        "unknown kind \"alien\"",
    ),
    (
        "x.entities.tsv",
        "meeting\tHội nghị Mẫu\n".as_bytes(),
        1,
        "cannot be listed",
    ),
    // Empty names and aliases.
    ("x.entities.tsv", b"person\t\tAlias\n", 1, "missing name"),
    ("x.entities.tsv", b"person\t  \n", 1, "missing name"),
    (
        "x.entities.tsv",
        b"person\t!!!\n",
        1,
        "has no letters or digits",
    ),
    (
        "x.entities.tsv",
        "person\tLê Văn Mẫu\tMẫu | ;;\n".as_bytes(),
        1,
        "alias \";;\" has no letters",
    ),
    // Bad attribute values.
    (
        "x.entities.tsv",
        "resolution\tNghị quyết Mẫu\t\tcode=hello\n".as_bytes(),
        1,
        "not a document code",
    ),
    (
        "x.entities.tsv",
        "resolution\tNghị quyết Mẫu\t\tcode=\n".as_bytes(),
        1,
        "not a document code",
    ),
    (
        "x.entities.tsv",
        "resolution\tNghị quyết Mẫu\t\tdate=2020-13-01\n".as_bytes(),
        1,
        "date \"2020-13-01\"",
    ),
    (
        "x.entities.tsv",
        "committee\tĐảng ủy Mẫu\t\tlevel\n".as_bytes(),
        1,
        "not key=value",
    ),
    (
        "x.entities.tsv",
        "committee\tĐảng ủy Mẫu\t\t=central\n".as_bytes(),
        1,
        "has no key",
    ),
    ("x.entities.tsv", b"person\tA\tB\tc=1\tD\n", 1, "5 columns"),
    (
        "doctypes.tsv",
        "Nghị quyết\tN-Q\n".as_bytes(),
        1,
        "letters only",
    ),
    (
        "issuers.tsv",
        "TW\tBan Chấp hành Trung ương\tmaybe\n".as_bytes(),
        1,
        "yes or no",
    ),
    (
        "titles.tsv",
        "Bí thư\tboss\n".as_bytes(),
        1,
        "unknown category",
    ),
    (
        "triggers.tsv",
        "chủ trì\tboss\n".as_bytes(),
        1,
        "unknown role",
    ),
    (
        "y.templates.tsv",
        "Tỉnh ủy\ttỉnh\n".as_bytes(),
        1,
        "has no {name}",
    ),
    (
        "surnames.txt",
        "Nguyễn Trần Lê\n".as_bytes(),
        1,
        "one family name per line",
    ),
    // Duplicate IDs (the same slug, whatever the spelling).
    (
        "x.entities.tsv",
        "person\tLê Thị Mẫu\nperson\tLe Thi Mau\n".as_bytes(),
        2,
        "duplicate person",
    ),
    // One alias claimed by two entities of one kind (in any spelling the matcher folds together).
    (
        "x.entities.tsv",
        "committee\tĐảng ủy Mẫu A\tĐU Mẫu\ncommittee\tĐảng ủy Mẫu B\tđu mẫu\n".as_bytes(),
        2,
        "already claimed by \"Đảng ủy Mẫu A\" at ",
    ),
    (
        "x.entities.tsv",
        "committee\tĐảng ủy Hòa Mẫu\ncommittee\tĐảng ủy Mẫu C\tĐảng uỷ Hoà Mẫu\n".as_bytes(),
        2,
        "already claimed",
    ),
    // Encoding.
    (
        "x.entities.tsv",
        b"# ok\nperson\tL\xEA V\xE3n\n",
        2,
        "not valid UTF-8",
    ),
];

/// Runs both commands on a folder holding `file` and checks the one error line.
fn check_case(file: &str, contents: &[u8], line: usize, what: &str) {
    let d = tempfile::tempdir().expect("temp dir");
    let gz = d.path().join("gz");
    fs::create_dir(&gz).expect("mkdir");
    fs::write(gz.join(file), contents).expect("write");
    fs::write(d.path().join("a.txt"), ARTICLE).expect("write");
    let expected = format!("partygraph: gz/{file}:{line}: ");
    for args in [
        &["gazetteer", "check", "gz"][..],
        &["build", "-q", "--gazetteers", "gz", "a.txt"][..],
    ] {
        let o = run(d.path(), args);
        assert_no_panic(&o);
        let err = stderr(&o);
        assert_eq!(code(&o), 1, "{file} {args:?}: exit 1 expected:\n{err}");
        assert_eq!(err.lines().count(), 1, "{file} {args:?}: one line:\n{err}");
        assert!(
            err.starts_with(&expected),
            "{file} {args:?}: expected {expected:?}, got:\n{err}"
        );
        assert!(
            err.contains(what),
            "{file} {args:?}: expected {what:?} in:\n{err}"
        );
        assert!(
            o.stdout.is_empty(),
            "{file} {args:?}: nothing written on stdout"
        );
    }
}

#[test]
fn every_malformed_line_kind_is_file_line_message() {
    for (file, contents, line, what) in CASES {
        check_case(file, contents, *line, what);
    }
}

#[test]
fn conflict_with_an_embedded_entry_names_both_places() {
    let d = tempfile::tempdir().expect("temp dir");
    let gz = d.path().join("gz");
    fs::create_dir(&gz).expect("mkdir");
    fs::write(gz.join("mine.entities.tsv"), "# mine\nperson\tTô Lâm\n").expect("write");
    let o = run(d.path(), &["gazetteer", "check", "gz"]);
    assert_no_panic(&o);
    assert_eq!(code(&o), 1);
    let err = stderr(&o);
    assert!(err.contains("duplicate person \"Tô Lâm\""), "{err}");
    assert!(
        err.contains("mine.entities.tsv:2") && err.contains("people.entities.tsv:"),
        "{err}"
    );
}

#[test]
fn unknown_file_and_missing_folder() {
    let d = tempfile::tempdir().expect("temp dir");
    let gz = d.path().join("gz");
    fs::create_dir(&gz).expect("mkdir");
    fs::write(gz.join("notes.tsv"), "x\n").expect("write");
    let o = run(d.path(), &["gazetteer", "check", "gz"]);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).starts_with("partygraph: gz/notes.tsv: unknown gazetteer file name"),
        "{}",
        stderr(&o)
    );
    let o = run(d.path(), &["gazetteer", "check", "nowhere"]);
    assert_no_panic(&o);
    assert_eq!(code(&o), 1);
    assert!(
        stderr(&o).contains("nowhere: cannot read gazetteer folder"),
        "{}",
        stderr(&o)
    );
    let o = run(d.path(), &["build", "--gazetteers", "nowhere", "-"]);
    assert_eq!(code(&o), 1);
}

#[test]
fn a_good_file_with_bom_and_crlf_loads_and_is_used() {
    let d = tempfile::tempdir().expect("temp dir");
    let gz = d.path().join("gz");
    fs::create_dir(&gz).expect("mkdir");
    fs::write(
        gz.join("mine.entities.tsv"),
        "\u{feff}# mine\r\ncommittee\tĐảng ủy Công ty Mẫu\tĐảng ủy CTM\tlevel=enterprise\r\n\r\n",
    )
    .expect("write");
    let o = run(d.path(), &["gazetteer", "check", "gz"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(
        out.contains("gz/mine.entities.tsv: ok (1 entities)"),
        "{out}"
    );
    fs::write(d.path().join("a.txt"), "Đảng ủy CTM họp.").expect("write");
    let o = run(d.path(), &["build", "-q", "--gazetteers", "gz", "a.txt"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = json(&o);
    assert!(
        mentions(&v)
            .iter()
            .any(|m| m.0 == "committee:dang-uy-cong-ty-mau" && m.4 == "Đảng ủy CTM"),
        "{v}"
    );
}

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just(" ".to_string()),
        "[a-zA-Z0-9 ]{1,12}",
        "(Đảng ủy|Tỉnh ủy|Ban|Lê Văn|Nguyễn|Bộ) [A-ZĐ][a-zà-ỹ]{0,6}",
        "(level|parent|code|date|type|x)=[-0-9A-Za-z/ ]{0,10}",
        "[|;=#{}\\t ]{1,4}",
        "\\PC{0,8}",
    ]
}

fn line() -> impl Strategy<Value = String> {
    (
        prop_oneof![
            Just("person"),
            Just("committee"),
            Just("resolution"),
            Just("organization"),
            Just("place"),
            Just("meeting"),
            Just("#"),
            Just(""),
            Just("bogus"),
        ],
        prop::collection::vec(cell(), 0..5),
    )
        .prop_map(|(k, cells)| {
            let mut l = k.to_string();
            for c in cells {
                l.push('\t');
                l.push_str(&c);
            }
            l
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, .. ProptestConfig::default() })]

    /// Random gazetteer files never panic: they load, or fail with `file:line: message`.
    #[test]
    fn random_gazetteer_files_never_panic(
        name in prop_oneof![
            Just("r.entities.tsv"), Just("r.templates.tsv"), Just("titles.tsv"),
            Just("doctypes.tsv"), Just("issuers.tsv"), Just("triggers.tsv"), Just("surnames.txt"),
        ],
        lines in prop::collection::vec(line(), 0..8),
        crlf in any::<bool>(),
    ) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        let r = partygraph::GazetteerBuilder::new().file(name, &text).build();
        if let Err(e) = r {
            let s = e.to_string();
            prop_assert!(!e.message.is_empty());
            prop_assert!(s.starts_with(&e.file), "{}", s);
            prop_assert!(e.line <= text.lines().count() + 1, "{}", s);
        }
    }
}

#[test]
fn a_misnamed_gazetteer_file_is_reported() {
    let d = tempfile::tempdir().expect("temp dir");
    let gz = d.path().join("gz");
    fs::create_dir(&gz).expect("mkdir");
    fs::write(gz.join("mine.entities.csv"), "person\tLê Văn Mẫu\n").expect("write");
    let o = run(d.path(), &["gazetteer", "check", "gz"]);
    assert_no_panic(&o);
    assert!(
        stderr(&o).contains("gz/mine.entities.csv"),
        "the ignored file is named: {}",
        stderr(&o)
    );
}
