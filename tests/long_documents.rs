//! A document longer than a section (a dump of many articles in one file) is read section by
//! section: each section's meeting is its own, offsets stay those of the whole file, the parts
//! merge to the graph of the whole extraction, and the command line streams the parts (the
//! same bytes whatever `--jobs`, JSON Lines that merge back to the JSON graph).

mod export_support;

use export_support::*;
use partygraph::{
    EntityKind, Extraction, ExtractorBuilder, KnowledgeGraph, RelationKind, corpus, export,
};
use std::collections::BTreeSet;
use std::path::Path;

/// Three articles written for this test, each with its own committee, meeting and chair.
const ARTICLES: [(&str, &str); 3] = [
    (
        "Tỉnh ủy Nghệ An",
        "Ngày 3/4/2024, Ban Thường vụ Tỉnh ủy Nghệ An tổ chức Hội nghị sơ kết công tác kiểm tra, \
         giám sát quý I. Đồng chí Hoàng Văn Khải, Bí thư Tỉnh ủy, chủ trì hội nghị. Dự hội nghị có \
         đồng chí Lưu Thị Diệp, Phó Bí thư Thường trực Tỉnh ủy. Hội nghị đã quán triệt Chỉ thị số \
         12-CT/TU của Ban Thường vụ Tỉnh ủy về công tác cán bộ.\n\n",
    ),
    (
        "Tỉnh ủy Hà Tĩnh",
        "Ngày 9/5/2024, Tỉnh ủy Hà Tĩnh tổ chức Hội nghị lần thứ mười bốn Ban Chấp hành Đảng bộ \
         tỉnh. Đồng chí Đặng Quốc Toản, Bí thư Tỉnh ủy, chủ trì hội nghị. Phát biểu tại hội nghị, \
         đồng chí Mai Văn Lực, Trưởng Ban Tổ chức Tỉnh ủy, đề nghị các cấp ủy nâng cao chất lượng \
         sinh hoạt chi bộ.\n\n",
    ),
    (
        "Tỉnh ủy Quảng Trị",
        "Ngày 20/6/2024, Tỉnh ủy Quảng Trị tổ chức Hội nghị tổng kết công tác dân vận. Đồng chí \
         Trịnh Minh Quý, Phó Bí thư Tỉnh ủy, chủ trì hội nghị. Tham dự có đồng chí Cù Thị Ngân, \
         Trưởng Ban Dân vận Tỉnh ủy.\n\n",
    ),
];

/// The three articles one after the other, `times` times.
fn dump(times: usize) -> String {
    ARTICLES
        .iter()
        .map(|(_, a)| *a)
        .collect::<String>()
        .repeat(times)
}

/// Section size: each section is then one article (at least as long as the longest, at most
/// twice the shortest, since a section ends at the last blank line of its second half, and
/// shorter than any two articles in a row).
const SECTION: usize = 500;

fn small_sections() -> partygraph::Extractor {
    let lens: Vec<usize> = ARTICLES.iter().map(|(_, a)| a.len()).collect();
    let (longest, shortest) = (lens.iter().max().unwrap(), lens.iter().min().unwrap());
    let two = (0..3).map(|k| lens[k] + lens[(k + 1) % 3]).min().unwrap();
    assert!(
        *longest <= SECTION && SECTION <= 2 * shortest && SECTION < two,
        "{lens:?}"
    );
    ExtractorBuilder::new()
        .section_bytes(SECTION)
        .build()
        .expect("embedded gazetteers")
}

fn chairs_of(x: &Extraction, meeting: &str) -> BTreeSet<String> {
    x.relations
        .iter()
        .filter(|r| r.kind == RelationKind::Chairs && r.target == meeting)
        .map(|r| r.source.clone())
        .collect()
}

#[test]
fn each_section_has_its_own_meeting_and_roles() {
    let ex = small_sections();
    let text = dump(1);
    let x = ex.extract_str("dump", &text);
    let meetings: Vec<&str> = x
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Meeting)
        .map(|e| e.id.as_str())
        .collect();
    assert_eq!(
        meetings,
        ["meeting:dump-1", "meeting:dump-2", "meeting:dump-3"]
    );
    let set = |ids: &[&str]| ids.iter().map(|s| s.to_string()).collect::<BTreeSet<_>>();
    assert_eq!(
        chairs_of(&x, "meeting:dump-1"),
        set(&["person:hoang-van-khai"])
    );
    assert_eq!(
        chairs_of(&x, "meeting:dump-2"),
        set(&["person:dang-quoc-toan"])
    );
    assert_eq!(
        chairs_of(&x, "meeting:dump-3"),
        set(&["person:trinh-minh-quy"])
    );
    // Each meeting is organized by its own article's committee.
    for (k, (committee, _)) in ARTICLES.iter().enumerate() {
        let meeting = format!("meeting:dump-{}", k + 1);
        let organizers: Vec<&str> = x
            .relations
            .iter()
            .filter(|r| r.kind == RelationKind::Organizes && r.target == meeting)
            .map(|r| r.source.as_str())
            .collect();
        let id = partygraph::gazetteer::node_id(EntityKind::Committee, committee);
        assert!(
            organizers
                .iter()
                .any(|o| o.ends_with(&id["committee:".len()..])),
            "{meeting}: {organizers:?}"
        );
    }
}

#[test]
fn offsets_are_those_of_the_whole_text() {
    let ex = small_sections();
    let text = dump(4);
    let x = ex.extract_str("dump", &text);
    assert_eq!(x.document.bytes, text.len());
    let mut mentions = 0;
    for e in &x.entities {
        for m in &e.mentions {
            assert_eq!(&text[m.start..m.end], m.text, "{}", e.id);
            mentions += 1;
        }
    }
    assert!(mentions > 40, "{mentions} mentions");
    for r in &x.relations {
        let ev = &r.evidence;
        assert_eq!(
            &text[ev.start..ev.end],
            ev.text,
            "{} -> {}",
            r.source,
            r.target
        );
    }
    // 12 sections, 12 meetings, numbered in the order of the text.
    let mut meetings: Vec<(usize, &str)> = x
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Meeting)
        .map(|e| (e.mentions[0].start, e.id.as_str()))
        .collect();
    meetings.sort();
    let ids: Vec<String> = meetings.iter().map(|(_, id)| id.to_string()).collect();
    let want: Vec<String> = (1..=12).map(|k| format!("meeting:dump-{k}")).collect();
    assert_eq!(ids, want);
}

#[test]
fn a_short_article_is_one_part_equal_to_its_extraction() {
    let ex = partygraph::Extractor::new().expect("gazetteers");
    let text = ARTICLES[0].1;
    let mut parts = Vec::new();
    ex.extract_parts(corpus::document_info("a", "a"), text, |p| parts.push(p));
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0], ex.extract_str("a", text));
}

#[test]
fn the_parts_merge_to_the_graph_of_the_whole_extraction() {
    let ex = small_sections();
    let text = dump(3);
    let mut parts = Vec::new();
    ex.extract_parts(corpus::document_info("dump", "dump"), &text, |p| {
        parts.push(p)
    });
    assert_eq!(parts.len(), 9);
    assert!(parts.iter().all(|p| p.document.id == "dump"));
    let mut by_parts = KnowledgeGraph::new();
    for p in parts {
        by_parts.add(p);
    }
    let mut whole = KnowledgeGraph::new();
    whole.add(ex.extract_str("dump", &text));
    let ids = |g: &KnowledgeGraph| {
        g.nodes()
            .iter()
            .map(|n| n.id().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&by_parts), ids(&whole));
    let edges = |g: &KnowledgeGraph| {
        g.edges()
            .iter()
            .map(|(a, b, e)| format!("{} {:?} {}", a.id(), e.kind, b.id()))
            .collect::<Vec<_>>()
    };
    assert_eq!(edges(&by_parts), edges(&whole));
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// A file of about 600 KB: the bundled example articles, over and over (nine sections).
fn long_file(dir: &Path) -> std::path::PathBuf {
    let mut names: Vec<_> = std::fs::read_dir(articles())
        .expect("examples/articles")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    let mut text = String::new();
    while text.len() < 600_000 {
        for p in &names {
            text.push_str(&std::fs::read_to_string(p).expect("article"));
            text.push_str("\n\n");
        }
    }
    let path = dir.join("dump.txt");
    std::fs::write(&path, text).expect("write");
    path
}

#[test]
fn the_command_line_gives_the_same_bytes_for_a_long_file_whatever_the_jobs() {
    let dir = tempdir();
    let file = long_file(dir.path());
    let one = ok(&["build", "-q", "--jobs", "1", s(&file)]);
    let two = ok(&["build", "-q", "--jobs", "2", s(&file)]);
    assert!(one == two, "--jobs 1 and --jobs 2 differ");
    let g: serde_json::Value = serde_json::from_slice(&one).expect("graph JSON");
    let meetings = g["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .filter(|n| n["kind"] == "meeting")
        .count();
    assert!(
        meetings >= 9,
        "{meetings} meetings in a file of nine sections"
    );
    let docs = g["graph"]["documents"].as_array().map_or(0, |d| d.len());
    assert_eq!(docs, 1, "one document");
}

#[test]
fn a_long_file_streams_as_json_lines_that_merge_to_its_graph() {
    let dir = tempdir();
    let file = long_file(dir.path());
    let lines = dir.path().join("dump.jsonl");
    ok(&[
        "build",
        "-q",
        "--format",
        "jsonl",
        "-o",
        s(&lines),
        s(&file),
    ]);
    let text = std::fs::read_to_string(&lines).expect("jsonl");
    assert!(text.lines().count() >= 9, "one line per section");
    let built = ok(&["build", "-q", s(&file)]);
    let merged = ok(&["merge", "-q", s(&lines)]);
    assert!(built == merged, "merge of the parts differs from build");
    // The library's writer gives what the command line gives.
    let ex = partygraph::Extractor::new().expect("gazetteers");
    let (inputs, _) = corpus::collect(&[file]);
    let (g, _, _) = partygraph::batch::build_graph(&ex, &inputs);
    let mut out = Vec::new();
    export::write_json(&g, &mut out).expect("json");
    assert!(out == built);
}

#[test]
fn the_batch_delivers_a_long_file_as_parts_then_done_and_stops_when_asked() {
    let dir = tempdir();
    let file = long_file(dir.path());
    std::fs::write(dir.path().join("short.txt"), ARTICLES[1].1).expect("write");
    let ex = partygraph::Extractor::new().expect("gazetteers");
    let (inputs, _) = corpus::collect(&[dir.path().to_path_buf()]);
    let mut seen: Vec<(String, bool)> = Vec::new();
    partygraph::batch::run(&ex, &inputs, |o| {
        match o {
            partygraph::batch::Outcome::Part(x) => seen.push((x.document.id.clone(), false)),
            partygraph::batch::Outcome::Done(x, _) => seen.push((x.document.id.clone(), true)),
            partygraph::batch::Outcome::Failed(e) => panic!("{e}"),
        }
        true
    });
    // dump.txt sorts first: its parts, then its Done, then the short article's Done.
    let parts = seen.iter().take_while(|(_, done)| !done).count();
    assert!(parts >= 8, "{parts} parts");
    assert!(seen[..=parts].iter().all(|(id, _)| id == "dump"));
    assert_eq!(seen[parts + 1..], [("short".to_string(), true)]);
    assert_eq!(seen.len(), parts + 2);
    // Asked to stop at the third part, it delivers nothing more.
    let mut n = 0;
    partygraph::batch::run(&ex, &inputs, |_| {
        n += 1;
        n < 3
    });
    assert_eq!(n, 3);
    let _ = file;
}
