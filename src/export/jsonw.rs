//! Hand-written JSON for the records written by the hundred thousand: a graph's nodes with their
//! mentions and edges with their evidence, and the per-article lines of JSON Lines. Byte for
//! byte what `serde_json` writes for the same values (the tests compare the two), about twice as
//! fast: strings are escaped eight bytes at a time, and nothing goes through serde's generic
//! machinery.

use super::EvidenceMode;
use crate::extraction::{Attributes, DocumentInfo, Extraction, Mention};
use crate::graph::{EvidenceRef, KnowledgeGraph, MentionRef, Node, SentenceTable};
use crate::types::EntityKind;
use petgraph::stable_graph::EdgeIndex;
use serde_json::ser::Formatter;
use std::borrow::Cow;

/// Appends `s` as a JSON string, escaped as `serde_json` escapes: `"`, `\` and the control
/// characters below U+0020 (`\b \t \n \f \r`, the others as `\u00xx`); everything else as it is.
fn string(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let b = s.as_bytes();
    let mut run = 0; // start of the bytes not yet copied
    let mut i = 0;
    while i + 8 <= b.len() {
        let mut word = [0u8; 8];
        word.copy_from_slice(&b[i..i + 8]);
        if may_need_escape(u64::from_le_bytes(word)) {
            for k in i..i + 8 {
                if needs_escape(b[k]) {
                    out.extend_from_slice(&b[run..k]);
                    escape(out, b[k]);
                    run = k + 1;
                }
            }
        }
        i += 8;
    }
    for k in i..b.len() {
        if needs_escape(b[k]) {
            out.extend_from_slice(&b[run..k]);
            escape(out, b[k]);
            run = k + 1;
        }
    }
    out.extend_from_slice(&b[run..]);
    out.push(b'"');
}

#[inline]
fn needs_escape(c: u8) -> bool {
    c < 0x20 || c == b'"' || c == b'\\'
}

/// True when some byte of `w` may be below 0x20, `"` or `\` (never false when one is; may be
/// true when none is, the caller then looks byte by byte).
#[inline]
fn may_need_escape(w: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below = |x: u64, n: u8| x.wrapping_sub(ONES * n as u64) & !x & HIGH;
    below(w, 0x20) | below(w ^ (ONES * b'"' as u64), 1) | below(w ^ (ONES * b'\\' as u64), 1) != 0
}

fn escape(out: &mut Vec<u8>, c: u8) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    match c {
        b'"' => out.extend_from_slice(b"\\\""),
        b'\\' => out.extend_from_slice(b"\\\\"),
        0x08 => out.extend_from_slice(b"\\b"),
        0x09 => out.extend_from_slice(b"\\t"),
        0x0A => out.extend_from_slice(b"\\n"),
        0x0C => out.extend_from_slice(b"\\f"),
        0x0D => out.extend_from_slice(b"\\r"),
        _ => out.extend_from_slice(&[
            b'\\',
            b'u',
            b'0',
            b'0',
            HEX[(c >> 4) as usize],
            HEX[(c & 0xF) as usize],
        ]),
    }
}

/// `,"name":`.
#[inline]
fn next_key(out: &mut Vec<u8>, name: &str) {
    out.push(b',');
    key(out, name);
}

/// `"name":` (names are plain ASCII, written as they are).
#[inline]
fn key(out: &mut Vec<u8>, name: &str) {
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(b"\":");
}

#[inline]
fn number(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// A float as `serde_json` writes it (its own formatter; `null` when not finite).
fn float(out: &mut Vec<u8>, x: f32) {
    if x.is_finite() {
        // Writing to a vector does not fail.
        let _ = serde_json::ser::CompactFormatter.write_f32(out, x);
    } else {
        out.extend_from_slice(b"null");
    }
}

/// `[…,…]`: each item written by `each`, separated by commas.
fn array<T>(
    out: &mut Vec<u8>,
    items: impl IntoIterator<Item = T>,
    mut each: impl FnMut(&mut Vec<u8>, T),
) {
    out.push(b'[');
    for (i, x) in items.into_iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        each(out, x);
    }
    out.push(b']');
}

/// `["a","b"]`.
fn strings<'a>(out: &mut Vec<u8>, items: impl IntoIterator<Item = &'a str>) {
    array(out, items, string);
}

/// A mention, as a [`Mention`](crate::Mention) serializes.
fn mention(out: &mut Vec<u8>, m: &MentionRef<'_>) {
    place(out, m.doc, m.start, m.end, m.text);
    next_key(out, "recognizer");
    string(out, m.recognizer.as_str());
    next_key(out, "confidence");
    float(out, m.confidence);
    if m.reference_only {
        next_key(out, "reference_only");
        out.extend_from_slice(b"true");
    }
    out.push(b'}');
}

/// `{"doc":…,"start":…,"end":…,"text":…` (the object left open): how mentions and evidence
/// begin.
fn place(out: &mut Vec<u8>, doc: &str, start: usize, end: usize, text: &str) {
    out.push(b'{');
    span(out, doc, start, end);
    next_key(out, "text");
    string(out, text);
}

/// `"doc":…,"start":…,"end":…` (inside an object).
fn span(out: &mut Vec<u8>, doc: &str, start: usize, end: usize) {
    key(out, "doc");
    string(out, doc);
    next_key(out, "start");
    number(out, start);
    next_key(out, "end");
    number(out, end);
}

/// Row `id` of `graph.sentences`, as a [`JsonSentence`](super::json::JsonSentence)
/// serializes: with its text when `text` is set and the graph holds it.
pub(crate) fn sentence(out: &mut Vec<u8>, id: usize, v: &EvidenceRef<'_>, text: bool) {
    out.push(b'{');
    key(out, "id");
    number(out, id);
    next_key(out, "doc");
    string(out, v.doc);
    next_key(out, "start");
    number(out, v.start);
    next_key(out, "end");
    number(out, v.end);
    if text && !v.text.is_empty() {
        next_key(out, "text");
        string(out, &v.text);
    }
    out.push(b'}');
}

/// A node with its mentions, as a [`JsonNode`](super::json::JsonNode) serializes.
pub(crate) fn node(out: &mut Vec<u8>, graph: &KnowledgeGraph, n: &Node) {
    entity_head(out, n.id(), n.kind, n.label());
    next_key(out, "aliases");
    strings(out, n.other_names());
    for (name, value) in n.attribute_pairs() {
        next_key(out, name);
        string(out, value);
    }
    if let Some(x) = graph.namesake(n)
        && x.same_name_as(n.id()).next().is_some()
    {
        next_key(out, "same_name_as");
        strings(out, x.same_name_as(n.id()));
    }
    next_key(out, "mentions");
    array(out, &graph.mentions(n), mention);
    out.push(b'}');
}

/// Edge `e` with its evidence and its `key` among the edges of the same two nodes, as a
/// [`JsonEdge`](super::json::JsonEdge) serializes.
pub(crate) fn edge(
    out: &mut Vec<u8>,
    graph: &KnowledgeGraph,
    e: EdgeIndex,
    edge_key: usize,
    sentences: Option<&SentenceTable<'_>>,
) {
    let (src, dst, e) = graph.edge_at(e);
    relation_head(out, src.id(), dst.id());
    next_key(out, "key");
    number(out, edge_key);
    next_key(out, "kind");
    string(out, e.kind.as_str());
    optional(out, "title", graph.title(e));
    let dates = graph.dates(e);
    if !dates.is_empty() {
        next_key(out, "dates");
        strings(out, dates);
    }
    if let Some(table) = sentences {
        let ids = table.ids(e);
        if !ids.is_empty() {
            next_key(out, "evidence");
            array(out, ids, number);
        }
    }
    out.push(b'}');
}

/// `{"id":…,"kind":…,"label":…` (the object left open): how a graph node and an article's
/// entity record begin.
fn entity_head(out: &mut Vec<u8>, id: &str, kind: EntityKind, label: &str) {
    out.push(b'{');
    key(out, "id");
    string(out, id);
    next_key(out, "kind");
    string(out, kind.as_str());
    next_key(out, "label");
    string(out, label);
}

/// `{"source":…,"target":…` (the object left open): how a graph edge and an article's relation
/// record begin.
fn relation_head(out: &mut Vec<u8>, source: &str, target: &str) {
    out.push(b'{');
    key(out, "source");
    string(out, source);
    next_key(out, "target");
    string(out, target);
}

/// `,"name":"value"` when `value` is set.
fn optional(out: &mut Vec<u8>, name: &str, value: Option<&str>) {
    if let Some(v) = value {
        next_key(out, name);
        string(out, v);
    }
}

/// The set fields of `a`, each as `,"name":"value"` (as `#[serde(flatten)]` writes them).
fn attributes(out: &mut Vec<u8>, a: &Attributes) {
    optional(out, "level", a.level.as_deref());
    optional(out, "parent", a.parent.as_deref());
    optional(out, "code", a.code.as_deref());
    optional(out, "doc_type", a.doc_type.as_deref());
    optional(out, "number", a.number.as_deref());
    optional(out, "issuer", a.issuer.as_deref());
    optional(out, "date", a.date.as_deref());
    optional(out, "subject", a.subject.as_deref());
    optional(out, "meeting_type", a.meeting_type.as_deref());
    optional(out, "place", a.place.as_deref());
    optional(out, "org_type", a.org_type.as_deref());
}

fn document(out: &mut Vec<u8>, d: &DocumentInfo) {
    out.push(b'{');
    key(out, "id");
    string(out, &d.id);
    next_key(out, "path");
    string(out, &d.path);
    optional(out, "url", d.url.as_deref());
    optional(out, "source", d.source.as_deref());
    optional(out, "date", d.date.as_deref());
    optional(out, "title", d.title.as_deref());
    if !d.authors.is_empty() {
        next_key(out, "authors");
        strings(out, d.authors.iter().map(String::as_str));
    }
    next_key(out, "bytes");
    number(out, d.bytes);
    out.push(b'}');
}

fn owned_mention(out: &mut Vec<u8>, m: &Mention) {
    mention(
        out,
        &MentionRef {
            doc: &m.doc,
            start: m.start,
            end: m.end,
            text: &m.text,
            recognizer: m.recognizer,
            confidence: m.confidence,
            reference_only: m.reference_only,
        },
    );
}

/// An article's extraction as a [`LineRecord`](super::jsonl::LineRecord) serializes: each
/// evidence sentence once in `sentences` (offsets only for [`EvidenceMode::Span`], none for
/// [`EvidenceMode::None`]) and relations pointing into it.
pub(crate) fn extraction(out: &mut Vec<u8>, x: &Extraction, evidence: EvidenceMode) {
    out.push(b'{');
    key(out, "document");
    document(out, &x.document);
    let table = super::jsonl::line_sentences(x);
    if evidence != EvidenceMode::None && !table.is_empty() {
        next_key(out, "sentences");
        array(out, table.iter().enumerate(), |out, (id, v)| {
            let v = EvidenceRef {
                doc: &v.doc,
                start: v.start,
                end: v.end,
                text: Cow::Borrowed(&v.text),
            };
            sentence(out, id, &v, evidence == EvidenceMode::Text)
        });
    }
    next_key(out, "entities");
    array(out, &x.entities, |out, e| {
        entity_head(out, &e.id, e.kind, &e.label);
        if !e.aliases.is_empty() {
            next_key(out, "aliases");
            strings(out, e.aliases.iter().map(String::as_str));
        }
        attributes(out, &e.attrs);
        next_key(out, "mentions");
        array(out, &e.mentions, owned_mention);
        out.push(b'}');
    });
    next_key(out, "relations");
    array(out, &x.relations, |out, r| {
        relation_head(out, &r.source, &r.target);
        next_key(out, "kind");
        string(out, r.kind.as_str());
        optional(out, "title", r.title.as_deref());
        optional(out, "date", r.date.as_deref());
        let id = table.binary_search_by(|v| (*v).cmp(&r.evidence));
        if let (true, Ok(id)) = (evidence != EvidenceMode::None, id) {
            next_key(out, "evidence");
            number(out, id);
        }
        out.push(b'}');
    });
    out.push(b'}');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Recognizer;
    use proptest::prelude::*;

    fn ours(s: &str) -> String {
        let mut v = Vec::new();
        string(&mut v, s);
        String::from_utf8(v).unwrap()
    }

    #[test]
    fn escapes_like_serde_json() {
        for s in [
            "",
            "a",
            "\"",
            "\\",
            "Đảng ủy \"TKV\"\n\t\r\u{8}\u{c}\u{1}\u{1f}\u{7f} / end",
            "12345678\"2345678\\",
            "\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}",
            "ABCDEFGH ĐỒNG CHÍ",
        ] {
            assert_eq!(ours(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    #[test]
    fn records_like_serde_json() {
        for (conf, reference_only) in [(1.0f32, false), (0.85, true), (0.3333, false)] {
            for r in Recognizer::ALL {
                let m = MentionRef {
                    doc: "doc \"1\"",
                    start: 7,
                    end: 4_000_000_000,
                    text: "Lê Văn\nA",
                    recognizer: r,
                    confidence: conf,
                    reference_only,
                };
                let mut v = Vec::new();
                mention(&mut v, &m);
                assert_eq!(
                    String::from_utf8(v).unwrap(),
                    serde_json::to_string(&m).unwrap()
                );
            }
        }
        let e = EvidenceRef {
            doc: "d",
            start: 0,
            end: 12,
            text: "Câu \\ có \"ngoặc\".".into(),
        };
        for text in [true, false] {
            let mut v = Vec::new();
            sentence(&mut v, 3, &e, text);
            let record = super::super::json::JsonSentence {
                id: 3,
                doc: e.doc.into(),
                start: e.start,
                end: e.end,
                text: text.then(|| e.text.to_string()),
            };
            assert_eq!(
                String::from_utf8(v).unwrap(),
                serde_json::to_string(&record).unwrap()
            );
        }
    }

    #[test]
    fn extractions_like_serde_json() {
        let ex = crate::Extractor::new().unwrap();
        let mut texts: Vec<String> = Vec::new();
        for dir in [
            "examples/articles",
            "tests/data/articles",
            "tests/data/holdout",
        ] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            let mut files: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().collect();
            files.sort_by_key(|f| f.path());
            for f in files {
                if let Ok(t) = std::fs::read_to_string(f.path()) {
                    texts.push(t);
                }
            }
        }
        assert!(texts.len() > 10, "the bundled articles are there");
        texts.push("Đồng chí \"A\"\tB\u{1}: Nghị quyết số 05-NQ/TW.".to_string());
        for (i, t) in texts.iter().enumerate() {
            let mut x = ex.extract_str(&format!("doc \"{i}\""), t);
            x.document.title = Some("Tiêu đề \\ \n".into());
            x.document.authors = vec!["Lê A".into(), "B\"".into()];
            x.document.url = Some("https://example.org/a?b=\"c\"".into());
            x.document.source = Some("Báo \t".into());
            for mode in EvidenceMode::ALL {
                let mut v = Vec::new();
                extraction(&mut v, &x, mode);
                let record = super::super::jsonl::LineRecord::new(&x, mode);
                assert_eq!(
                    String::from_utf8(v).unwrap(),
                    serde_json::to_string(&record).unwrap(),
                    "article {i}, {mode:?}"
                );
            }
        }
    }

    proptest! {
        #[test]
        fn any_string_escapes_like_serde_json(s in any::<String>(), t in "[\\x00-\\x7f]{0,40}") {
            prop_assert_eq!(ours(&s), serde_json::to_string(&s).unwrap());
            prop_assert_eq!(ours(&t), serde_json::to_string(&t).unwrap());
        }
    }
}
