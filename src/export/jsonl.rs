//! JSON Lines: one JSON object per article, each an [`Extraction`] (its `document`, its
//! `entities` with their mentions, its `relations` with their evidence), written as each article
//! finishes. Large corpora and other engines can consume results without waiting for the merge,
//! and [`read_graph`] (`partygraph merge`) merges such files, and earlier node-link JSON graphs,
//! into the same graph as building everything at once.

use super::EvidenceMode;
use super::json::{EvidenceItem, JsonSentence, SentenceRows};
use crate::extraction::{DocumentInfo, EntityRecord, Extraction, RelationRecord};
use crate::graph::KnowledgeGraph;
use crate::types::{Evidence, RelationKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::io::{self, BufRead, Read, Write};

/// One line of JSON Lines as written: an [`Extraction`] with each evidence sentence once, in
/// `sentences`, which relations point into by `id` (see docs/OUTPUTS.md). Lines written
/// before the table (the sentence inline in each relation) are read as well.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineRecord {
    /// The article.
    pub document: DocumentInfo,
    /// Its evidence sentences, sorted by document, offsets and text (absent with
    /// `--evidence none`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sentences: Vec<JsonSentence>,
    /// Its entities, ordered by ID.
    #[serde(default)]
    pub entities: Vec<EntityRecord>,
    /// Its facts.
    #[serde(default)]
    pub relations: Vec<LineRelation>,
}

/// A relation of a [`LineRecord`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineRelation {
    /// The source node ID.
    pub source: String,
    /// The target node ID.
    pub target: String,
    /// What the edge says.
    pub kind: RelationKind,
    /// For `holds_position`: the office.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The date of the fact, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// Where it was read: the `id` of one of the record's `sentences` (or the sentence
    /// itself, in older lines); absent with `--evidence none`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evidence: Option<EvidenceItem>,
}

impl LineRecord {
    /// The line for `x`, with the evidence as `evidence` says.
    ///
    /// ```
    /// use partygraph::export::{EvidenceItem, EvidenceMode, LineRecord};
    /// let ex = partygraph::Extractor::new().unwrap();
    /// let x = ex.extract_str("a", "Bí thư Tỉnh ủy Nghệ An Nguyễn Văn A chủ trì hội nghị.");
    /// let line = LineRecord::new(&x, EvidenceMode::Text);
    /// assert_eq!(line.sentences.len(), 1); // one sentence for all the facts it supports
    /// assert!(line.relations.iter().all(|r| r.evidence == Some(EvidenceItem::Sentence(0))));
    /// assert_eq!(line.into_extraction().unwrap(), x);
    /// ```
    pub fn new(x: &Extraction, evidence: EvidenceMode) -> LineRecord {
        let table = line_sentences(x);
        LineRecord {
            document: x.document.clone(),
            sentences: match evidence {
                EvidenceMode::None => Vec::new(),
                _ => table
                    .iter()
                    .enumerate()
                    .map(|(id, v)| JsonSentence::of(id, v, evidence == EvidenceMode::Text))
                    .collect(),
            },
            entities: x.entities.clone(),
            relations: x
                .relations
                .iter()
                .map(|r| LineRelation {
                    source: r.source.clone(),
                    target: r.target.clone(),
                    kind: r.kind,
                    title: r.title.clone(),
                    date: r.date.clone(),
                    evidence: match evidence {
                        EvidenceMode::None => None,
                        _ => table
                            .binary_search_by(|v| (*v).cmp(&r.evidence))
                            .ok()
                            .map(EvidenceItem::Sentence),
                    },
                })
                .collect(),
        }
    }

    /// The extraction the line stands for; an error when a relation points to a sentence the
    /// line does not hold.
    pub fn into_extraction(self) -> Result<Extraction, String> {
        let sentences = SentenceRows::new(self.sentences);
        let mut relations = Vec::with_capacity(self.relations.len());
        for (i, r) in self.relations.into_iter().enumerate() {
            let evidence = match r.evidence {
                None => Evidence::default(),
                Some(EvidenceItem::Inline(v)) => v,
                Some(EvidenceItem::Sentence(id)) => {
                    let s = sentences.get(id).ok_or_else(|| {
                        format!(
                            "relation {} ({} -> {}): evidence {id} is not in the line's \
                             sentences ({} sentences)",
                            i + 1,
                            r.source,
                            r.target,
                            sentences.len()
                        )
                    })?;
                    s.to_evidence()
                }
            };
            relations.push(RelationRecord {
                source: r.source,
                target: r.target,
                kind: r.kind,
                title: r.title,
                date: r.date,
                evidence,
            });
        }
        Ok(Extraction {
            document: self.document,
            entities: self.entities,
            relations,
        })
    }
}

/// The distinct evidence of an extraction's relations, sorted (what a line's `sentences`
/// lists, by position).
pub(crate) fn line_sentences(x: &Extraction) -> Vec<&Evidence> {
    let mut v: Vec<&Evidence> = x
        .relations
        .iter()
        .map(|r| &r.evidence)
        .filter(|e| !e.doc.is_empty())
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Parses one line of JSON Lines (as [`write_extraction`] writes it, or as older versions
/// did) into the extraction it stands for.
///
/// ```
/// use partygraph::{export, Extractor};
/// let ex = Extractor::new().unwrap();
/// let x = ex.extract_str("a", "Bí thư Tỉnh ủy Nghệ An Nguyễn Văn A chủ trì hội nghị.");
/// let mut line = Vec::new();
/// export::write_extraction(&x, &mut line).unwrap();
/// assert_eq!(export::read_extraction(std::str::from_utf8(&line).unwrap()).unwrap(), x);
/// assert!(export::read_extraction("{\"document\": 1}").is_err());
/// ```
pub fn read_extraction(line: &str) -> Result<Extraction, ReadError> {
    let record: LineRecord = serde_json::from_str(line).map_err(|e| ReadError {
        line: 0,
        message: format!("not a partygraph JSON Lines record: {e}"),
    })?;
    record
        .into_extraction()
        .map_err(|message| ReadError { line: 0, message })
}

/// Writes one extraction as one line of JSON (no line breaks inside, one `\n` after): a
/// [`LineRecord`], each evidence sentence once.
///
/// ```
/// use partygraph::{export, Extractor};
/// let ex = Extractor::new().unwrap();
/// let mut line = Vec::new();
/// export::write_extraction(&ex.extract_str("a", "Bộ Chính trị họp."), &mut line).unwrap();
/// assert_eq!(line.iter().filter(|&&b| b == b'\n').count(), 1);
/// let back = export::read_extraction(std::str::from_utf8(&line).unwrap()).unwrap();
/// assert_eq!(back.document.id, "a");
/// ```
pub fn write_extraction<W: Write>(ex: &Extraction, w: W) -> io::Result<()> {
    write_extraction_with(ex, EvidenceMode::Text, w)
}

/// Writes one extraction as one line of JSON, with each relation's evidence as `evidence`
/// says: the sentence, its offsets only, or none.
///
/// ```
/// use partygraph::export::{write_extraction_with, EvidenceMode};
/// let ex = partygraph::Extractor::new().unwrap();
/// let x = ex.extract_str("a", "Bí thư Tỉnh ủy Nghệ An Nguyễn Văn A chủ trì hội nghị.");
/// let mut line = Vec::new();
/// write_extraction_with(&x, EvidenceMode::Span, &mut line).unwrap();
/// let back = partygraph::export::read_extraction(std::str::from_utf8(&line).unwrap()).unwrap();
/// assert_eq!(back.relations[0].evidence.end, x.relations[0].evidence.end);
/// assert_eq!(back.relations[0].evidence.text, ""); // offsets only
/// ```
pub fn write_extraction_with<W: Write>(
    ex: &Extraction,
    evidence: EvidenceMode,
    mut w: W,
) -> io::Result<()> {
    // Built in memory (as serde_json would write it: see `jsonw`), then written at once.
    thread_local! {
        static LINE: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    LINE.with_borrow_mut(|line| {
        line.clear();
        super::jsonw::extraction(line, ex, evidence);
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
        id: n.id().to_string(),
        kind: n.kind,
        label: n.label().to_string(),
        aliases: n.other_names().map(String::from).collect(),
        attrs: n.attrs().clone(),
        mentions: Vec::new(),
    };
    let mut placed: BTreeSet<String> = BTreeSet::new();
    for n in g.nodes() {
        for m in g.mentions(n) {
            let b = bucket(&mut docs, m.doc);
            b.1.entry(n.id().to_string())
                .or_insert_with(|| record(n))
                .mentions
                .push(m.to_mention());
            placed.insert(n.id().to_string());
        }
    }
    // A fact read from a graph written without evidence goes with the first article.
    let first_doc = docs.keys().next().cloned().unwrap_or_default();
    for (s, t, e) in g.edges() {
        let mut first = true;
        let mut evidence: Vec<(&str, Evidence)> = g
            .evidence(e)
            .iter()
            .map(|ev| (ev.doc, ev.to_evidence()))
            .collect();
        if evidence.is_empty() {
            evidence.push((&first_doc, Evidence::default()));
        }
        for (doc, ev) in evidence {
            let b = bucket(&mut docs, doc);
            for n in [s, t] {
                b.1.entry(n.id().to_string()).or_insert_with(|| record(n));
                placed.insert(n.id().to_string());
            }
            let r = RelationRecord {
                source: s.id().to_string(),
                target: t.id().to_string(),
                kind: e.kind,
                title: g.title(e).map(String::from),
                date: None,
                evidence: ev,
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
        .filter(|n| !placed.contains(n.id()))
        .collect();
    if !unplaced.is_empty() {
        let first = docs.keys().next().cloned().unwrap_or_default();
        let b = bucket(&mut docs, &first);
        for n in unplaced {
            b.1.entry(n.id().to_string()).or_insert_with(|| record(n));
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
pub fn write_jsonl<W: Write>(graph: &KnowledgeGraph, w: W) -> io::Result<()> {
    write_jsonl_with(graph, EvidenceMode::Text, w)
}

/// Writes a merged graph as JSON Lines with the evidence as `evidence` says (see
/// [`write_extraction_with`]).
pub fn write_jsonl_with<W: Write>(
    graph: &KnowledgeGraph,
    evidence: EvidenceMode,
    mut w: W,
) -> io::Result<()> {
    for ex in extractions_of(graph) {
        write_extraction_with(&ex, evidence, &mut w)?;
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

/// Adds parsed records to `graph` in order, up to the first that failed (its error returned);
/// the number added.
fn add_in_order(
    graph: &mut KnowledgeGraph,
    parsed: Vec<Result<Extraction, ReadError>>,
) -> Result<usize, ReadError> {
    let mut n = 0;
    for ex in parsed {
        graph.add(ex?);
        n += 1;
    }
    Ok(n)
}

/// Bytes of JSON Lines read before they are parsed (on the pool) and added.
const BATCH_BYTES: usize = 4 << 20;

/// A batch of JSON Lines: the bytes, and each non-blank line's number and place in them.
#[derive(Default)]
struct Lines {
    bytes: Vec<u8>,
    at: Vec<(usize, std::ops::Range<usize>)>,
}

impl Lines {
    /// Adds line `no` (blank lines are skipped).
    fn push(&mut self, no: usize, line: &[u8]) {
        let line = line.trim_ascii();
        if !line.is_empty() {
            let start = self.bytes.len();
            self.bytes.extend_from_slice(line);
            self.at.push((no, start..self.bytes.len()));
        }
    }

    fn clear(&mut self) {
        self.bytes.clear();
        self.at.clear();
    }

    /// Reads lines from `r` until the batch holds `batch` bytes or more (`line_no` counts the
    /// lines read); false at the end of the input.
    fn fill(
        &mut self,
        r: &mut impl BufRead,
        line_no: &mut usize,
        batch: usize,
    ) -> Result<bool, ReadError> {
        let mut line = Vec::new();
        while self.bytes.len() < batch {
            line.clear();
            if r.read_until(b'\n', &mut line).map_err(io_error)? == 0 {
                return Ok(false);
            }
            *line_no += 1;
            self.push(*line_no, &line);
        }
        Ok(true)
    }

    /// Each line parsed as an extraction, in order.
    fn parse(&self) -> Vec<Result<Extraction, ReadError>> {
        use rayon::prelude::*;
        self.at
            .par_iter()
            .map(|(no, range)| {
                // Checked once here (fast) rather than string by string by the parser.
                let text =
                    simdutf8::compat::from_utf8(&self.bytes[range.clone()]).map_err(|e| {
                        ReadError {
                            line: *no,
                            message: format!(
                                "not UTF-8 (byte {} of the line)",
                                e.valid_up_to() + 1
                            ),
                        }
                    })?;
                read_extraction(text).map_err(|e| ReadError { line: *no, ..e })
            })
            .collect()
    }
}

/// Reads the JSON Lines after `first` (its line number and text; `line_no` lines read so far)
/// into `graph`, `batch` bytes at a time: each batch is parsed on the pool while the one
/// before is added to the graph, in order, so the graph is the one reading a line after
/// another gives. The number of records; on an error, the records before it are added.
fn read_lines(
    mut r: impl BufRead,
    graph: &mut KnowledgeGraph,
    first: (usize, &str),
    mut line_no: usize,
    batch: usize,
) -> Result<usize, ReadError> {
    let mut lines = Lines::default();
    lines.push(first.0, first.1.as_bytes());
    let mut more = lines.fill(&mut r, &mut line_no, batch)?;
    let mut n = 0;
    let mut parsed: Vec<Result<Extraction, ReadError>> = Vec::new();
    loop {
        let (next, added) = rayon::join(
            || lines.parse(),
            || add_in_order(graph, std::mem::take(&mut parsed)),
        );
        n += added?;
        parsed = next;
        if !more {
            break;
        }
        lines.clear();
        more = match lines.fill(&mut r, &mut line_no, batch) {
            Ok(more) => more,
            Err(e) => {
                add_in_order(graph, parsed)?;
                return Err(e);
            }
        };
    }
    Ok(n + add_in_order(graph, parsed)?)
}

/// Reads a node-link JSON graph or a JSON Lines file of extractions (told apart by their
/// content) and merges it into `graph`. JSON Lines is read a batch of lines at a time, parsed
/// in parallel (the global rayon pool) and added in order.
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
    // Blank space before the first value skipped, its lines counted.
    let mut line_no = 1usize;
    loop {
        let buf = r.fill_buf().map_err(io_error)?;
        if buf.is_empty() {
            return Err(ReadError {
                line: 0,
                message: "empty file: not a partygraph JSON graph or JSON Lines file".into(),
            });
        }
        let blank = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
        line_no += buf[..blank].iter().filter(|&&b| b == b'\n').count();
        let done = blank < buf.len();
        r.consume(blank);
        if done {
            break;
        }
    }
    // A node-link graph (one line: the whole file) is parsed from the reader, never held
    // whole; told by its first key, read from what is buffered.
    let first_key = r.fill_buf().map_err(io_error).map(first_key)?;
    if first_key
        .as_deref()
        .is_some_and(|k| NODE_LINK_KEYS.contains(&k))
    {
        let start_line = line_no;
        // A file of up to WHOLE_BYTES is parsed from memory (serde_json's positions are
        // exact there; from a reader some are a column past); a longer one from the reader,
        // its first WHOLE_BYTES replayed.
        let mut head = Vec::new();
        (&mut r)
            .take(WHOLE_BYTES)
            .read_to_end(&mut head)
            .map_err(io_error)?;
        let read = if (head.len() as u64) < WHOLE_BYTES {
            let text = String::from_utf8(head).map_err(|_| {
                io_error(io::Error::new(
                    io::ErrorKind::InvalidData,
                    "stream did not contain valid UTF-8",
                ))
            })?;
            super::json::read_json_streaming(&text)
        } else {
            super::json::read_json_from_reader(io::BufReader::new(Replay {
                head,
                at: 0,
                rest: r,
            }))
        };
        return adopt(graph, read, start_line);
    }
    // The first line, which starts with a value (the blank space before it is skipped).
    let mut first = String::new();
    r.read_line(&mut first).map_err(io_error)?;
    let start_line = line_no;
    // Which of the two the file is, told by the first line's keys (values skipped, not built:
    // the first line of a node-link graph is the whole graph).
    #[derive(Deserialize)]
    struct FirstLine {
        document: Option<serde::de::IgnoredAny>,
    }
    match serde_json::from_str::<FirstLine>(first.trim()) {
        Ok(FirstLine { document: Some(_) }) => {
            let n = read_lines(r, graph, (start_line, &first), line_no, BATCH_BYTES)?;
            Ok(GraphFile::Lines(n))
        }
        _ => {
            let mut all = first;
            r.read_to_string(&mut all).map_err(io_error)?;
            // Read a node and an edge at a time, not as a whole structure first.
            adopt(graph, super::json::read_json_streaming(&all), start_line)
        }
    }
}

/// Takes the node-link graph `read` (from line `start_line` of its file) into `graph`, or
/// names what is wrong with it.
fn adopt(
    graph: &mut KnowledgeGraph,
    read: Result<KnowledgeGraph, Result<serde_json::Error, ReadError>>,
    start_line: usize,
) -> Result<GraphFile, ReadError> {
    let read = read.map_err(|e| match e {
        Ok(e) if e.is_io() => ReadError {
            line: 0,
            message: format!("cannot read: {e}"),
        },
        Ok(e) => ReadError {
            line: if e.line() > 0 {
                e.line() + start_line - 1
            } else {
                0
            },
            message: format!("not a partygraph JSON graph or JSON Lines file: {e}"),
        },
        Err(e) => e,
    })?;
    if graph.is_new() {
        *graph = read;
    } else {
        graph.merge(read);
    }
    Ok(GraphFile::NodeLink)
}

/// The size up to which a node-link graph is read whole before it is parsed.
const WHOLE_BYTES: u64 = 16 << 20;

/// The bytes already read from a reader, then the rest of it; the first part is freed once
/// it is read.
struct Replay<R> {
    head: Vec<u8>,
    at: usize,
    rest: R,
}

impl<R: Read> Read for Replay<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.at < self.head.len() {
            let n = buf.len().min(self.head.len() - self.at);
            buf[..n].copy_from_slice(&self.head[self.at..self.at + n]);
            self.at += n;
            if self.at == self.head.len() {
                self.head = Vec::new();
                self.at = 0;
            }
            return Ok(n);
        }
        self.rest.read(buf)
    }
}

/// The top-level keys of a node-link graph (networkx's `node_link_data`, and ours).
const NODE_LINK_KEYS: [&str; 6] = ["directed", "multigraph", "graph", "nodes", "edges", "links"];

/// The first key of the JSON object `buf` begins with, when `buf` holds all of it and it
/// has no escapes (enough to tell a node-link graph from a JSON Lines record; anything else
/// is read line by line and told apart as before).
fn first_key(buf: &[u8]) -> Option<String> {
    let rest = buf.strip_prefix(b"{")?;
    let rest = &rest[rest.iter().take_while(|b| b.is_ascii_whitespace()).count()..];
    let rest = rest.strip_prefix(b"\"")?;
    let end = rest.iter().position(|&b| b == b'"' || b == b'\\')?;
    (rest[end] == b'"')
        .then(|| std::str::from_utf8(&rest[..end]).ok().map(String::from))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Extractor;

    #[test]
    fn a_node_link_graph_is_read_from_the_reader_whatever_its_layout() {
        let ex = Extractor::new().unwrap();
        let mut g = KnowledgeGraph::new();
        g.add(ex.extract_str(
            "a",
            "Tỉnh ủy Nghệ An tổ chức hội nghị. Bí thư Tỉnh ủy Nguyễn Văn A chủ trì hội nghị.",
        ));
        let mut compact = Vec::new();
        crate::export::write_json(&g, &mut compact).unwrap();
        let value: serde_json::Value = serde_json::from_slice(&compact).unwrap();
        let pretty = serde_json::to_string_pretty(&value).unwrap();
        let again = |text: &[u8]| {
            let mut back = KnowledgeGraph::new();
            let kind = read_graph(text, &mut back).unwrap();
            let mut out = Vec::new();
            crate::export::write_json(&back, &mut out).unwrap();
            (kind, out)
        };
        // Blank lines before it, pretty-printed, keys in another order: the same graph.
        let padded = format!("\n  \n{pretty}\n");
        assert_eq!(
            again(padded.as_bytes()),
            (GraphFile::NodeLink, compact.clone())
        );
        let reordered = format!(
            "{{\"nodes\":{},\"edges\":{},\"graph\":{},\"directed\":true,\"multigraph\":true}}",
            value["nodes"], value["edges"], value["graph"]
        );
        assert_eq!(again(reordered.as_bytes()).1, compact);
        // A broken graph names its line, counted from the top of the file.
        let broken = format!(
            "\n\n{}",
            pretty.replacen("\"nodes\": [", "\"nodes\": [}", 1)
        );
        let mut back = KnowledgeGraph::new();
        let err = read_graph(broken.as_bytes(), &mut back).unwrap_err();
        let at = broken
            .lines()
            .position(|l| l.contains("\"nodes\": [}"))
            .unwrap()
            + 1;
        assert_eq!(err.line, at, "{err}");
        assert!(
            err.message.starts_with("not a partygraph JSON graph"),
            "{err}"
        );
    }

    #[test]
    fn replay_gives_the_head_then_the_rest_and_frees_the_head() {
        let mut r = Replay {
            head: b"abc".to_vec(),
            at: 0,
            rest: &b"defg"[..],
        };
        let mut buf = [0u8; 2];
        assert_eq!(r.read(&mut buf).unwrap(), 2);
        assert_eq!(&buf, b"ab");
        assert_eq!(r.read(&mut buf).unwrap(), 1);
        assert_eq!(r.head.capacity(), 0);
        let mut rest = String::new();
        r.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, "defg");
    }

    #[test]
    fn first_key_tells_a_node_link_graph_from_a_record() {
        assert_eq!(
            first_key(br#"{"directed":true,"#).as_deref(),
            Some("directed")
        );
        assert_eq!(first_key(b"{ \n \"nodes\": []}").as_deref(), Some("nodes"));
        assert_eq!(
            first_key(br#"{"document":{"id":"a"}}"#).as_deref(),
            Some("document")
        );
        // Not all there, escaped, or not an object: read line by line instead.
        assert_eq!(first_key(br#"{"direc"#), None);
        assert_eq!(first_key(br#"{"a\"b":1}"#), None);
        assert_eq!(first_key(b"[1, 2]"), None);
        assert_eq!(first_key(b"{}"), None);
    }

    /// JSON Lines of `n` small articles (each names a committee and a person), blank lines
    /// and a CRLF among them.
    fn corpus(n: usize) -> Vec<u8> {
        let ex = Extractor::new().unwrap();
        let mut out = Vec::new();
        for i in 0..n {
            let text = format!(
                "Ngày 3/4/2020, Tỉnh ủy Nghệ An họp. Đồng chí Lê Văn Bảy {i}, Bí thư Tỉnh ủy, chủ trì."
            );
            write_extraction(&ex.extract_str(&format!("a{i}"), &text), &mut out).unwrap();
            if i % 7 == 3 {
                out.extend_from_slice(b"\n   \n");
            }
            if i % 5 == 1 {
                out.pop();
                out.extend_from_slice(b"\r\n");
            }
        }
        out
    }

    fn snapshot(g: &KnowledgeGraph) -> Vec<u8> {
        let mut out = Vec::new();
        crate::export::write_json(g, &mut out).unwrap();
        out
    }

    /// Reads `text` as `read_graph` does, `batch` bytes at a time.
    fn read_in(text: &[u8], batch: usize, g: &mut KnowledgeGraph) -> Result<usize, ReadError> {
        let mut r = text;
        let mut first = String::new();
        r.read_line(&mut first).unwrap();
        read_lines(r, g, (1, &first), 1, batch)
    }

    #[test]
    fn batches_of_any_size_read_the_same_graph() {
        let text = corpus(40);
        let mut one_by_one = KnowledgeGraph::new();
        for line in text.split(|&b| b == b'\n') {
            let line = line.trim_ascii();
            if !line.is_empty() {
                one_by_one.add(read_extraction(std::str::from_utf8(line).unwrap()).unwrap());
            }
        }
        let want = snapshot(&one_by_one);
        for batch in [1, 100, 1000, 1 << 20] {
            let mut g = KnowledgeGraph::new();
            assert_eq!(read_in(&text, batch, &mut g).unwrap(), 40, "batch {batch}");
            assert_eq!(snapshot(&g), want, "batch {batch}");
        }
    }

    #[test]
    fn a_bad_line_in_a_later_batch_is_named_and_the_records_before_it_are_kept() {
        let good = corpus(12);
        let lines_before = good.iter().filter(|&&b| b == b'\n').count();
        let mut text = good.clone();
        text.extend_from_slice(b"{\"document\": 5}\n");
        text.extend_from_slice(&corpus(3));
        for batch in [1, 300, 1 << 20] {
            let mut g = KnowledgeGraph::new();
            let err = read_in(&text, batch, &mut g).unwrap_err();
            assert_eq!(err.line, lines_before + 1, "batch {batch}");
            assert!(err.message.contains("not a partygraph JSON Lines record"));
            assert_eq!(g.documents().count(), 12, "batch {batch}");
        }
    }

    #[test]
    fn a_line_that_is_not_utf8_is_named_with_its_byte() {
        let mut text = corpus(2);
        text.extend_from_slice(b"{\"document\": \"caf\xe9\"}\n");
        let mut g = KnowledgeGraph::new();
        let err = read_in(&text, 1, &mut g).unwrap_err();
        let lines_before = corpus(2).iter().filter(|&&b| b == b'\n').count();
        assert_eq!(err.line, lines_before + 1);
        assert_eq!(err.message, "not UTF-8 (byte 18 of the line)");
        assert_eq!(g.documents().count(), 2);
    }
}
