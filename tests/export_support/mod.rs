//! Shared helpers for the export and CLI tests: synthetic graphs built through the library API,
//! and access to the real consumers (Graphviz, Python) with the skip/fail rule.
#![allow(dead_code)]

use partygraph::{
    Attributes, DocumentInfo, EntityKind, EntityRecord, Evidence, Extraction, KnowledgeGraph,
    Mention, Recognizer, RelationKind, RelationRecord,
};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

#[path = "../common/tools.rs"]
mod tools;
#[allow(unused_imports)]
pub use tools::have_networkx;

/// True when the tool runs (`tool version_arg`); the skip/fail rule of [`tools::have_tool`].
pub fn have(tool: &str, version_arg: &str) -> bool {
    tools::have_tool(tool, &[version_arg])
}

/// Runs `python3 -c script args...` and returns its stdout, panicking with stderr on failure.
pub fn python(script: &str, args: &[&Path]) -> String {
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "python failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8 from python")
}

/// Runs a Graphviz engine on DOT text, returning the output.
pub fn graphviz(engine: &str, dot: &str) -> Output {
    use std::io::Write;
    let mut child = Command::new(engine)
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn graphviz");
    let mut stdin = child.stdin.take().expect("stdin");
    let text = dot.to_string();
    let writer = std::thread::spawn(move || stdin.write_all(text.as_bytes()));
    let out = child.wait_with_output().expect("graphviz output");
    writer.join().expect("join").expect("write dot");
    out
}

/// The text of every `<text>` element of an SVG, entities decoded.
pub fn svg_texts(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<text") {
        rest = &rest[i..];
        let Some(gt) = rest.find('>') else { break };
        let Some(end) = rest.find("</text>") else {
            break;
        };
        out.push(unescape(&rest[gt + 1..end]));
        rest = &rest[end + 7..];
    }
    out
}

/// Decodes the XML entities Graphviz writes.
pub fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(semi) = rest.find(';') else { break };
        let ent = &rest[1..semi];
        let c = match ent {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "amp" => Some('&'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match c {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// A tiny deterministic random number generator (no dependency, same numbers everywhere).
pub struct Lcg(u64);

impl Lcg {
    pub fn new(seed: u64) -> Lcg {
        Lcg(seed)
    }
    pub fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

pub fn doc(id: &str) -> DocumentInfo {
    DocumentInfo {
        id: id.into(),
        path: format!("corpus/{id}.txt"),
        url: None,
        source: None,
        date: None,
        title: None,
        authors: Vec::new(),
        bytes: 1000,
    }
}

pub fn entity(doc: &str, id: &str, kind: EntityKind, label: &str, at: usize) -> EntityRecord {
    EntityRecord {
        id: id.into(),
        kind,
        label: label.into(),
        aliases: BTreeSet::new(),
        attrs: Attributes::default(),
        mentions: vec![Mention {
            doc: doc.into(),
            start: at,
            end: at + label.len(),
            text: label.into(),
            recognizer: Recognizer::Gazetteer,
            confidence: 0.9,
            reference_only: false,
        }],
    }
}

pub fn relation(
    doc: &str,
    s: &str,
    t: &str,
    kind: RelationKind,
    sentence: &str,
    at: usize,
) -> RelationRecord {
    RelationRecord {
        source: s.into(),
        target: t.into(),
        kind,
        title: None,
        date: None,
        evidence: Evidence {
            doc: doc.into(),
            start: at,
            end: at + sentence.len(),
            text: sentence.into(),
        },
    }
}

const SURNAMES: [&str; 8] = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi"];
const MIDDLE: [&str; 5] = ["Văn", "Thị", "Đình", "Minh", "Quốc"];
const GIVEN: [&str; 12] = [
    "An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Long", "Nam", "Ninh", "Tuấn",
];

/// One extraction per meeting article: an organizer, a chair, attendees, speakers, references,
/// positions, issuers and parents. `people` people, `meetings` meetings (one per article),
/// 20 committees and 15 resolutions.
pub fn synthetic_extractions(people: usize, meetings: usize) -> Vec<Extraction> {
    let mut rng = Lcg::new(42);
    let person = |i: usize| {
        let label = format!(
            "{} {} {} {}",
            SURNAMES[i % 8],
            MIDDLE[(i / 8) % 5],
            GIVEN[(i / 40) % 12],
            i
        );
        (format!("person:p{i}"), label)
    };
    let committee = |i: usize| {
        (
            format!("committee:c{i}"),
            format!("Đảng ủy Khối doanh nghiệp số {i}"),
        )
    };
    let resolution = |i: usize| {
        (
            format!("resolution:{i}-nq-tw"),
            format!("Nghị quyết số {i}-NQ/TW"),
        )
    };
    let mut out = Vec::new();
    for m in 0..meetings {
        let d = format!("doc-{m:03}");
        let mut ents = Vec::new();
        let mut rels = Vec::new();
        let date = format!("20{:02}-{:02}-{:02}", 18 + m % 6, 1 + m % 12, 1 + m % 28);
        let mid = format!("meeting:m{m}");
        let mut me = entity(
            &d,
            &mid,
            EntityKind::Meeting,
            &format!("Hội nghị sơ kết số {m}"),
            10,
        );
        me.attrs.date = Some(date.clone());
        me.attrs.meeting_type = Some("hội nghị".into());
        ents.push(me);
        let (cid, clabel) = committee(m % 20);
        let mut ce = entity(&d, &cid, EntityKind::Committee, &clabel, 50);
        ce.attrs.level = Some("enterprise".into());
        ents.push(ce);
        let (pid, plabel) = committee(20 + m % 3);
        ents.push(entity(&d, &pid, EntityKind::Committee, &plabel, 90));
        rels.push(relation(
            &d,
            &cid,
            &pid,
            RelationKind::PartOf,
            &format!("{clabel} thuộc {plabel}."),
            300,
        ));
        let mut o = relation(
            &d,
            &cid,
            &mid,
            RelationKind::Organizes,
            &format!("{clabel} tổ chức hội nghị."),
            100,
        );
        o.date = Some(date.clone());
        rels.push(o);
        let chair = rng.below(people);
        let (chid, chl) = person(chair);
        ents.push(entity(&d, &chid, EntityKind::Person, &chl, 150));
        let mut r = relation(
            &d,
            &chid,
            &mid,
            RelationKind::Chairs,
            &format!("Đồng chí {chl} chủ trì hội nghị."),
            140,
        );
        r.date = Some(date.clone());
        rels.push(r);
        let mut pos = relation(
            &d,
            &chid,
            &cid,
            RelationKind::HoldsPosition,
            &format!("{chl}, Bí thư {clabel}."),
            140,
        );
        pos.title = Some("Bí thư".into());
        rels.push(pos);
        let n_att = 3 + rng.below(4);
        for k in 0..n_att {
            let (aid, al) = person(rng.below(people));
            if aid == chid {
                continue;
            }
            ents.push(entity(&d, &aid, EntityKind::Person, &al, 400 + 40 * k));
            let kind = if k % 3 == 0 {
                RelationKind::SpeaksAt
            } else {
                RelationKind::Attends
            };
            rels.push(relation(
                &d,
                &aid,
                &mid,
                kind,
                &format!("Dự hội nghị có đồng chí {al}."),
                390 + 40 * k,
            ));
        }
        for k in 0..1 + rng.below(2) {
            let (rid, rl) = resolution(rng.below(15));
            let mut re = entity(&d, &rid, EntityKind::Resolution, &rl, 800 + 40 * k);
            re.attrs.code = Some(rl.trim_start_matches("Nghị quyết số ").to_string());
            re.attrs.doc_type = Some("Nghị quyết".into());
            ents.push(re);
            rels.push(relation(
                &d,
                &mid,
                &rid,
                RelationKind::References,
                &format!("Hội nghị quán triệt {rl}."),
                790 + 40 * k,
            ));
            let (bid, bl) = committee(22);
            ents.push(entity(&d, &bid, EntityKind::Committee, &bl, 900));
            rels.push(relation(
                &d,
                &rid,
                &bid,
                RelationKind::IssuedBy,
                &format!("{rl} của {bl}."),
                790 + 40 * k,
            ));
        }
        // Every article also names each of its people once more: parallel facts across articles.
        out.push(Extraction {
            document: doc(&d),
            entities: ents,
            relations: rels,
        });
    }
    // The whole corpus must mention every person at least once.
    let d = "doc-people";
    let ents = (0..people)
        .map(|i| {
            let (id, l) = person(i);
            entity(d, &id, EntityKind::Person, &l, i * 60)
        })
        .collect();
    out.push(Extraction {
        document: doc(d),
        entities: ents,
        relations: Vec::new(),
    });
    out
}

/// The merged graph of [`synthetic_extractions`].
pub fn synthetic(people: usize, meetings: usize) -> KnowledgeGraph {
    let mut g = KnowledgeGraph::new();
    for ex in synthetic_extractions(people, meetings) {
        g.add(ex);
    }
    g
}

/// Labels that break naive writers: quotes, backslashes, Graphviz escapes, markup, braces,
/// line breaks, commas, semicolons, tabs and a control character.
pub const TRICKY: [&str; 6] = [
    "Trần \"Ba\" Văn \\ Tư",
    "Đảng ủy <Khối> {A|B} & Co",
    "Hội nghị\nsơ kết; quý I, 2024",
    "Nghị quyết \\N \\l \\G số 1",
    "Lê, Văn; \"A\"\tB\u{7}",
    "Phạm 'Văn' C\r\nD",
];

/// A small graph whose labels, aliases and evidence are the [`TRICKY`] strings.
pub fn tricky() -> KnowledgeGraph {
    let d = "doc-\"tricky\"";
    let kinds = [
        EntityKind::Person,
        EntityKind::Committee,
        EntityKind::Meeting,
        EntityKind::Resolution,
        EntityKind::Person,
        EntityKind::Person,
    ];
    let mut ents = Vec::new();
    for (i, (label, kind)) in TRICKY.iter().zip(kinds).enumerate() {
        let mut e = entity(d, &format!("{}:t{i}", kind.as_str()), kind, label, i * 100);
        e.aliases.insert(format!("alias; {i}, \"q\""));
        e.aliases.insert(format!("alias <{i}>"));
        ents.push(e);
    }
    let rels = vec![
        relation(
            d,
            "person:t0",
            "meeting:t2",
            RelationKind::Chairs,
            TRICKY[1],
            0,
        ),
        relation(
            d,
            "person:t0",
            "meeting:t2",
            RelationKind::Chairs,
            TRICKY[4],
            200,
        ),
        relation(
            d,
            "person:t0",
            "meeting:t2",
            RelationKind::Chairs,
            TRICKY[5],
            400,
        ),
        relation(
            d,
            "committee:t1",
            "meeting:t2",
            RelationKind::Organizes,
            TRICKY[0],
            0,
        ),
        relation(
            d,
            "meeting:t2",
            "resolution:t3",
            RelationKind::References,
            TRICKY[3],
            0,
        ),
        relation(
            d,
            "person:t4",
            "meeting:t2",
            RelationKind::Attends,
            TRICKY[2],
            0,
        ),
        relation(d, "person:t5", "meeting:t2", RelationKind::SpeaksAt, "x", 0),
    ];
    let mut hp = relation(
        d,
        "person:t0",
        "committee:t1",
        RelationKind::HoldsPosition,
        "y",
        0,
    );
    hp.title = Some("Bí thư \"Đảng ủy\"".into());
    let mut rels = rels;
    rels.push(hp);
    let mut g = KnowledgeGraph::new();
    g.add(Extraction {
        document: doc(d),
        entities: ents,
        relations: rels,
    });
    g
}

/// A fresh temporary folder.
/// The `partygraph` binary under test.
pub fn pg() -> Command {
    Command::new(env!("CARGO_BIN_EXE_partygraph"))
}

/// Runs `partygraph ARGS` and returns what it did.
pub fn run(args: &[&str]) -> Output {
    pg().args(args).output().expect("run partygraph")
}

/// Runs `partygraph ARGS`, asserts success, and returns its standard output.
pub fn ok(args: &[&str]) -> Vec<u8> {
    let out = run(args);
    assert!(
        out.status.success(),
        "partygraph {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("temp dir")
}

/// The repository's own example articles: every clone has them (the seeds in `../shared` are
/// only for the tests about their gold).
pub fn articles() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/articles")
}
