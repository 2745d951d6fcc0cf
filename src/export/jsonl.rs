//! JSON Lines: one JSON object per article, each an [`Extraction`] (its `document`, its
//! `entities` with their mentions, its `relations` with their evidence), written as each article
//! finishes. Large corpora and other engines can consume results without waiting for the merge,
//! and [`read_graph`] (`partygraph merge`) merges such files, and earlier node-link JSON graphs,
//! into the same graph as building everything at once.

use super::json::{NodeLink, from_node_link};
use crate::extraction::{DocumentInfo, EntityRecord, Extraction, RelationRecord};
use crate::graph::KnowledgeGraph;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::{self, BufRead, Write};

/// Writes one extraction as one line of JSON (no line breaks inside, one `\n` after).
///
/// ```
/// use partygraph::{export, Extractor};
/// let ex = Extractor::new().unwrap();
/// let mut line = Vec::new();
/// export::write_extraction(&ex.extract_str("a", "Bộ Chính trị họp."), &mut line).unwrap();
/// assert_eq!(line.iter().filter(|&&b| b == b'\n').count(), 1);
/// let back: partygraph::Extraction = serde_json::from_slice(&line).unwrap();
/// assert_eq!(back.document.id, "a");
/// ```
pub fn write_extraction<W: Write>(ex: &Extraction, mut w: W) -> io::Result<()> {
    // Built in memory (as serde_json would write it: see `jsonw`), then written at once.
    thread_local! {
        static LINE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    LINE.with_borrow_mut(|line| {
        line.clear();
        super::jsonw::extraction(line, ex);
        line.push(b'\n');
        let written = w.write_all(line);
        if line.capacity() > 1 << 20 {
            // A huge article: do not keep its buffer.
            *line = Vec::new();
        }
        written
    })
}

type Bucket = (
    DocumentInfo,
    BTreeMap<String, EntityRecord>,
    Vec<RelationRecord>,
);

/// The bucket of article `doc`; evidence from an article the graph does not list adds it.
fn bucket<'a>(docs: &'a mut BTreeMap<String, Bucket>, doc: &str) -> &'a mut Bucket {
    docs.entry(doc.to_string()).or_insert_with(|| {
        (
            DocumentInfo {
                id: doc.to_string(),
                path: doc.to_string(),
                url: None,
                source: None,
                date: None,
                title: None,
                authors: Vec::new(),
                bytes: 0,
            },
            BTreeMap::new(),
            Vec::new(),
        )
    })
}

/// Splits a merged graph back into one extraction per article: each article's entities with the
/// mentions in it, and the relations with the evidence from it. Merging them gives the graph
/// back. An entity named in no article goes with the articles whose facts it is part of, or
/// else with the first article.
pub fn extractions_of(graph: &KnowledgeGraph) -> Vec<Extraction> {
    let g = graph;
    let mut docs: BTreeMap<String, Bucket> = g
        .documents()
        .map(|d| (d.id.clone(), (d, BTreeMap::new(), Vec::new())))
        .collect();
    let record = |n: &crate::graph::Node| EntityRecord {
        id: n.id.clone(),
        kind: n.kind,
        label: n.label.clone(),
        aliases: n.other_names().cloned().collect(),
        attrs: n.attrs().clone(),
        mentions: Vec::new(),
    };
    let mut placed: BTreeSet<String> = BTreeSet::new();
    for n in g.nodes() {
        for m in g.mentions(n) {
            let b = bucket(&mut docs, m.doc);
            b.1.entry(n.id.clone())
                .or_insert_with(|| record(n))
                .mentions
                .push(m.to_mention());
            placed.insert(n.id.clone());
        }
    }
    for (s, t, e) in g.edges() {
        let mut first = true;
        for ev in g.evidence(e) {
            let b = bucket(&mut docs, ev.doc);
            for n in [s, t] {
                b.1.entry(n.id.clone()).or_insert_with(|| record(n));
                placed.insert(n.id.clone());
            }
            let r = RelationRecord {
                source: s.id.clone(),
                target: t.id.clone(),
                kind: e.kind,
                title: g.title(e).map(String::from),
                date: None,
                evidence: ev.to_evidence(),
            };
            if first {
                // The edge's dates ride on its first evidence, one record per date.
                let dates: Vec<&str> = g.dates(e);
                if dates.is_empty() {
                    b.2.push(r);
                } else {
                    for d in dates {
                        let mut r = r.clone();
                        r.date = Some(d.to_string());
                        b.2.push(r);
                    }
                }
                first = false;
            } else {
                b.2.push(r);
            }
        }
    }
    let unplaced: Vec<&crate::graph::Node> = g
        .nodes()
        .into_iter()
        .filter(|n| !placed.contains(&n.id))
        .collect();
    if !unplaced.is_empty() {
        let first = docs.keys().next().cloned().unwrap_or_default();
        let b = bucket(&mut docs, &first);
        for n in unplaced {
            b.1.entry(n.id.clone()).or_insert_with(|| record(n));
        }
    }
    docs.into_values()
        .map(|(document, entities, relations)| Extraction {
            document,
            entities: entities.into_values().collect(),
            relations,
        })
        .collect()
}

/// Writes a merged graph as JSON Lines, one article per line (see [`extractions_of`]).
pub fn write_jsonl<W: Write>(graph: &KnowledgeGraph, mut w: W) -> io::Result<()> {
    for ex in extractions_of(graph) {
        write_extraction(&ex, &mut w)?;
    }
    w.flush()
}

/// A file that [`read_graph`] could not read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadError {
    /// The line (from 1) where it went wrong; 0 when not known.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}: {}", self.line, self.message)
        } else {
            f.write_str(&self.message)
        }
    }
}

impl std::error::Error for ReadError {}

/// What [`read_graph`] found in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFile {
    /// A node-link JSON graph (`--format json`).
    NodeLink,
    /// JSON Lines, with this many articles (`--format jsonl`).
    Lines(usize),
}

fn io_error(e: io::Error) -> ReadError {
    ReadError {
        line: 0,
        message: crate::corpus::describe_io(&e),
    }
}

/// Reads a node-link JSON graph or a JSON Lines file of extractions (told apart by their
/// content) and merges it into `graph`. JSON Lines is read a line at a time.
///
/// ```
/// use partygraph::{export, KnowledgeGraph};
/// let mut g = KnowledgeGraph::new();
/// let line = r#"{"document":{"id":"a","path":"a.txt"},"entities":[],"relations":[]}"#;
/// let got = export::read_graph(line.as_bytes(), &mut g).unwrap();
/// assert_eq!(got, export::GraphFile::Lines(1));
/// assert_eq!(g.documents().count(), 1);
/// let err = export::read_graph("{\"nodes\": 5}".as_bytes(), &mut g).unwrap_err();
/// assert!(err.to_string().contains("not a partygraph"));
/// ```
pub fn read_graph(mut r: impl BufRead, graph: &mut KnowledgeGraph) -> Result<GraphFile, ReadError> {
    let mut line_no = 0usize;
    let mut first = String::new();
    loop {
        first.clear();
        line_no += 1;
        if r.read_line(&mut first).map_err(io_error)? == 0 {
            return Err(ReadError {
                line: 0,
                message: "empty file: not a partygraph JSON graph or JSON Lines file".into(),
            });
        }
        if !first.trim().is_empty() {
            break;
        }
    }
    let start_line = line_no;
    match serde_json::from_str::<serde_json::Value>(first.trim()) {
        Ok(v) if v.get("document").is_some() => {
            let mut n = 0;
            let mut text = first;
            let mut at = start_line;
            loop {
                if !text.trim().is_empty() {
                    let ex: Extraction =
                        serde_json::from_str(text.trim()).map_err(|e| ReadError {
                            line: at,
                            message: format!("not a partygraph JSON Lines record: {e}"),
                        })?;
                    graph.add(ex);
                    n += 1;
                }
                text = String::new();
                if r.read_line(&mut text).map_err(io_error)? == 0 {
                    break;
                }
                line_no += 1;
                at = line_no;
            }
            Ok(GraphFile::Lines(n))
        }
        _ => {
            let mut all = first;
            r.read_to_string(&mut all).map_err(io_error)?;
            let nl: NodeLink = serde_json::from_str(&all).map_err(|e| ReadError {
                line: if e.line() > 0 {
                    e.line() + start_line - 1
                } else {
                    0
                },
                message: format!("not a partygraph JSON graph or JSON Lines file: {e}"),
            })?;
            graph.merge(from_node_link(nl));
            Ok(GraphFile::NodeLink)
        }
    }
}
