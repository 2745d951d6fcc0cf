//! JSON in networkx node-link form: `networkx.node_link_graph(data)` loads it as a directed
//! multigraph.

use super::jsonl::ReadError;
use super::{EvidenceMode, jsonw};
use crate::extraction::{Attributes, DocumentInfo, Mention};
use crate::graph::{KnowledgeGraph, StoredRow};
use crate::types::{EntityKind, Evidence, RelationKind};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};
use std::io::{self, Write};

/// The top level of the JSON output.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NodeLink {
    /// Always true.
    pub directed: bool,
    /// Always true: two people may have several edges of different kinds.
    pub multigraph: bool,
    /// Graph attributes.
    pub graph: GraphMeta,
    /// Nodes, sorted by ID.
    pub nodes: Vec<JsonNode>,
    /// Edges, sorted by source, target, kind, title.
    pub edges: Vec<JsonEdge>,
}

/// Graph-level attributes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct GraphMeta {
    /// `partygraph <version>`.
    pub generator: String,
    /// The articles the graph was built from.
    pub documents: Vec<DocumentInfo>,
    /// Every evidence sentence once, sorted by document, offsets and text; an edge's
    /// `evidence` lists positions in it (absent with `--evidence none`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sentences: Vec<JsonSentence>,
}

/// One evidence sentence of [`GraphMeta::sentences`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonSentence {
    /// Its position in the table.
    pub id: usize,
    /// The article's ID.
    pub doc: String,
    /// Byte offset of its first byte in the article's file.
    pub start: usize,
    /// Byte offset past its last byte.
    pub end: usize,
    /// The sentence (absent with `--evidence span`: read it back from the article).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

impl JsonSentence {
    /// Row `id` for `v`, with its text when `text` is set and there is one.
    pub fn of(id: usize, v: &Evidence, text: bool) -> JsonSentence {
        JsonSentence {
            id,
            doc: v.doc.clone(),
            start: v.start,
            end: v.end,
            text: (text && !v.text.is_empty()).then(|| v.text.clone()),
        }
    }

    /// The evidence it stands for (an empty text when the row has none).
    pub fn to_evidence(&self) -> Evidence {
        Evidence {
            doc: self.doc.clone(),
            start: self.start,
            end: self.end,
            text: self.text.clone().unwrap_or_default(),
        }
    }
}

/// A table of sentence rows looked up by `id`: by position when every row's `id` is its
/// position (as written), else through a map (a table a script filtered or reordered).
pub(crate) struct SentenceRows {
    rows: Vec<JsonSentence>,
    by_id: Option<HashMap<usize, usize>>,
}

impl SentenceRows {
    pub(crate) fn new(rows: Vec<JsonSentence>) -> SentenceRows {
        let positional = rows.iter().enumerate().all(|(i, r)| r.id == i);
        let by_id =
            (!positional).then(|| rows.iter().enumerate().map(|(i, r)| (r.id, i)).collect());
        SentenceRows { rows, by_id }
    }

    /// The row of `id`.
    pub(crate) fn get(&self, id: usize) -> Option<&JsonSentence> {
        match &self.by_id {
            None => self.rows.get(id),
            Some(map) => map.get(&id).and_then(|&i| self.rows.get(i)),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.rows.len()
    }
}

/// One entry of an edge's `evidence`: a position in [`GraphMeta::sentences`], or (graphs
/// written before the table, and read by `merge`) the sentence itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum EvidenceItem {
    /// A position in [`GraphMeta::sentences`].
    Sentence(usize),
    /// The sentence itself.
    Inline(Evidence),
}

/// One node.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JsonNode {
    /// Stable ID.
    pub id: String,
    /// Its kind.
    pub kind: EntityKind,
    /// Display name.
    pub label: String,
    /// Other names.
    #[serde(default)]
    pub aliases: BTreeSet<String>,
    /// Kind-specific attributes (flattened into the node object).
    #[serde(flatten)]
    pub attrs: Attributes,
    /// People: the IDs of the other nodes of the same name, when [`crate::identity`] told
    /// namesakes apart.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub same_name_as: Vec<String>,
    /// Where it is named.
    #[serde(default)]
    pub mentions: Vec<Mention>,
}

/// One edge.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JsonEdge {
    /// Source node ID.
    pub source: String,
    /// Target node ID.
    pub target: String,
    /// Index among the edges between the same two nodes.
    pub key: usize,
    /// What it says.
    pub kind: RelationKind,
    /// For `holds_position`: the office.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Dates the fact holds at.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub dates: BTreeSet<String>,
    /// The sentences it was read from: positions in [`GraphMeta::sentences`] (absent with
    /// `--evidence none`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<EvidenceItem>,
}

/// Builds the node-link structure (sorted, so output is deterministic), with the evidence
/// sentences in full ([`EvidenceMode::Text`]).
pub fn node_link(graph: &KnowledgeGraph) -> NodeLink {
    node_link_with(graph, EvidenceMode::Text)
}

/// Builds the node-link structure with the evidence as `evidence` says: what
/// [`write_json_with`] writes.
///
/// ```
/// use partygraph::export::{node_link_with, EvidenceItem, EvidenceMode};
/// use partygraph::{Extractor, KnowledgeGraph};
/// let mut g = KnowledgeGraph::new();
/// g.add(Extractor::new().unwrap().extract_str("a", "Bí thư Tỉnh ủy Nghệ An Nguyễn Văn A chủ trì hội nghị."));
/// let nl = node_link_with(&g, EvidenceMode::Span);
/// assert_eq!(nl.graph.sentences.len(), 1); // one sentence, however many facts it supports
/// assert_eq!(nl.graph.sentences[0].text, None); // offsets only
/// assert!(nl.edges.iter().all(|e| e.evidence == [EvidenceItem::Sentence(0)]));
/// assert!(node_link_with(&g, EvidenceMode::None).graph.sentences.is_empty());
/// ```
pub fn node_link_with(graph: &KnowledgeGraph, evidence: EvidenceMode) -> NodeLink {
    let g = graph;
    let table = g.sentence_table();
    let nodes = g
        .nodes()
        .into_iter()
        .map(|n| JsonNode {
            id: n.id().to_string(),
            kind: n.kind,
            label: n.label().to_string(),
            aliases: n.other_names().map(String::from).collect(),
            attrs: n.attrs().clone(),
            same_name_as: g
                .namesake(n)
                .map(|x| x.same_name_as(n.id()).map(String::from).collect())
                .unwrap_or_default(),
            mentions: g.mentions(n).iter().map(|m| m.to_mention()).collect(),
        })
        .collect();
    let mut keys: HashMap<(String, String), usize> = HashMap::new();
    let edges = g
        .edges()
        .into_iter()
        .map(|(s, t, e)| {
            let k = keys
                .entry((s.id().to_string(), t.id().to_string()))
                .or_insert(0);
            let key = *k;
            *k += 1;
            JsonEdge {
                source: s.id().to_string(),
                target: t.id().to_string(),
                key,
                kind: e.kind,
                title: g.title(e).map(String::from),
                dates: g.dates(e).into_iter().map(String::from).collect(),
                evidence: match evidence {
                    EvidenceMode::None => Vec::new(),
                    _ => table
                        .ids(e)
                        .into_iter()
                        .map(EvidenceItem::Sentence)
                        .collect(),
                },
            }
        })
        .collect();
    let sentences = match evidence {
        EvidenceMode::None => Vec::new(),
        _ => (0..table.len())
            .map(|i| {
                JsonSentence::of(
                    i,
                    &table.get(i).to_evidence(),
                    evidence == EvidenceMode::Text,
                )
            })
            .collect(),
    };
    NodeLink {
        directed: true,
        multigraph: true,
        graph: GraphMeta {
            generator: format!("partygraph {}", env!("CARGO_PKG_VERSION")),
            documents: g.documents().collect(),
            sentences,
        },
        nodes,
        edges,
    }
}

/// Writes the graph as node-link JSON (compact: one line, with a trailing newline; large
/// graphs are a third smaller than pretty-printed, and `jq .` prints it for people).
///
/// The output is written straight from the graph (sorted references, no copy of the graph), so
/// writing a large graph needs little memory beyond the graph itself; nodes and edges are
/// written by hand, not through serde, and are byte for byte what serializing [`node_link`]
/// gives (a test compares them).
pub fn write_json<W: Write>(graph: &KnowledgeGraph, w: W) -> io::Result<()> {
    write_json_with(graph, EvidenceMode::Text, w)
}

/// Writes the graph as node-link JSON with the evidence as `evidence` says: each sentence
/// once in `graph.sentences` (with its text, or offsets only), or none. Byte for byte what
/// serializing [`node_link_with`] gives.
///
/// ```
/// use partygraph::export::{write_json_with, EvidenceMode};
/// use partygraph::{Extractor, KnowledgeGraph};
/// let mut g = KnowledgeGraph::new();
/// g.add(Extractor::new().unwrap().extract_str("a", "Bí thư Tỉnh ủy Nghệ An Nguyễn Văn A chủ trì hội nghị."));
/// let size = |mode| { let mut out = Vec::new(); write_json_with(&g, mode, &mut out).unwrap(); out.len() };
/// assert!(size(EvidenceMode::None) < size(EvidenceMode::Span));
/// assert!(size(EvidenceMode::Span) < size(EvidenceMode::Text));
/// ```
pub fn write_json_with<W: Write>(
    graph: &KnowledgeGraph,
    evidence: EvidenceMode,
    mut w: W,
) -> io::Result<()> {
    // The fields of `NodeLink` in order, written piece by piece so that nodes and edges can be
    // serialized on several threads (the global rayon pool, `--jobs`) and written in order.
    w.write_all(br#"{"directed":true,"multigraph":true,"graph":{"generator":"#)?;
    let generator = format!("partygraph {}", env!("CARGO_PKG_VERSION"));
    serde_json::to_writer(&mut w, &generator).map_err(io::Error::from)?;
    w.write_all(br#","documents":"#)?;
    serde_json::to_writer(&mut w, &DocumentsView(graph)).map_err(io::Error::from)?;
    let table = (evidence != EvidenceMode::None).then(|| graph.sentence_table());
    if let Some(table) = table.as_ref().filter(|t| !t.is_empty()) {
        w.write_all(br#","sentences":["#)?;
        // Zero-sized items: the position is all a row needs.
        let rows = vec![(); table.len()];
        write_in_order(
            &mut w,
            &rows,
            |_| 512,
            |i, _, buf| jsonw::sentence(buf, i, &table.get(i), evidence == EvidenceMode::Text),
        )?;
        w.write_all(b"]")?;
    }
    w.write_all(br#"},"nodes":["#)?;
    let nodes = graph.nodes();
    // A node's text is mostly its mentions (about 100 bytes each): the room for a piece is
    // made once (a node named 200,000 times is 20 MB of JSON; doubling a buffer to that size
    // would hold two copies of it at once).
    let node_size = |n: &&crate::Node| 512 + 128 * n.mention_count();
    write_in_order(&mut w, &nodes, node_size, |_, n, buf| {
        jsonw::node(buf, graph, n)
    })?;
    drop(nodes);
    w.write_all(br#"],"edges":["#)?;
    // Edges are sorted by source and target first: an edge's key is its rank in its run.
    let edges = graph.sorted_edge_indices();
    let key_of = |i: usize| {
        let (s, t, _) = graph.edge_at(edges[i]);
        let mut key = 0;
        while key < i {
            let (ps, pt, _) = graph.edge_at(edges[i - key - 1]);
            if ps.id() != s.id() || pt.id() != t.id() {
                break;
            }
            key += 1;
        }
        key
    };
    write_in_order(
        &mut w,
        &edges,
        |_| 512,
        |i, &ei, buf| jsonw::edge(buf, graph, ei, key_of(i), table.as_ref()),
    )?;
    w.write_all(b"]}\n")?;
    w.flush()
}

/// Items serialized per task, and at most per window (the memory held for output is two
/// windows' text: one being written, the next being serialized).
const PIECE: usize = 128;
const WINDOW: usize = 8 * PIECE;
/// The guessed bytes of a window beyond its first item: the nodes most named (a body named in
/// every article of a corpus) are megabytes of mentions each, and sorted by ID they come
/// together (a window of them held 75 MB at 500 MB of articles).
const WINDOW_BYTES: usize = 4 << 20;

/// The windows of `items` (start, end): at most [`WINDOW`] items, and no more than
/// [`WINDOW_BYTES`] guessed by `size` after the first.
fn windows<T>(items: &[T], size: impl Fn(&T) -> usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for (i, x) in items.iter().enumerate() {
        let b = size(x);
        if i > start && (i - start == WINDOW || bytes + b > WINDOW_BYTES) {
            out.push((start, i));
            (start, bytes) = (i, 0);
        }
        bytes += b;
    }
    if start < items.len() {
        out.push((start, items.len()));
    }
    out
}

/// Serializes `items` as the elements of a JSON array (comma-separated), in parallel pieces,
/// written in order; `each` gets an item's position in `items` and the item, `size` a guess
/// of an item's bytes (a piece's buffer is made that big once).
fn write_in_order<T: Sync, W: Write>(
    w: &mut W,
    items: &[T],
    size: impl Fn(&T) -> usize + Sync,
    each: impl Fn(usize, &T, &mut Vec<u8>) + Sync,
) -> io::Result<()> {
    type Pieces = Vec<Vec<u8>>;
    let serialize = |start: usize, window: &[T]| -> Pieces {
        window
            .par_chunks(PIECE)
            .enumerate()
            .map(|(p, piece)| {
                let at = start + p * PIECE;
                let mut buf = Vec::with_capacity(piece.iter().map(&size).sum::<usize>());
                for (i, x) in piece.iter().enumerate() {
                    if i > 0 {
                        buf.push(b',');
                    }
                    each(at + i, x, &mut buf);
                }
                buf
            })
            .collect()
    };
    let mut first = true;
    let mut put = |w: &mut W, pieces: Pieces| -> io::Result<()> {
        for piece in pieces {
            if !first {
                w.write_all(b",")?;
            }
            first = false;
            w.write_all(&piece)?;
        }
        Ok(())
    };
    // Window k is written on this thread while the pool serializes window k + 1, unless
    // window k + 1 is one item guessed past WINDOW_BYTES (a node named in every article):
    // then it is serialized once window k is written, so that two such are never held.
    let windows = windows(items, &size);
    let Some(&(start, end)) = windows.first() else {
        return Ok(());
    };
    let big = |(start, end): (usize, usize)| {
        items[start..end].iter().map(&size).sum::<usize>() > WINDOW_BYTES
    };
    let mut ready = serialize(start, &items[start..end]);
    for k in 1..=windows.len() {
        let mut next = Pieces::new();
        match windows.get(k) {
            Some(&(start, end)) if big((start, end)) => {
                put(w, std::mem::take(&mut ready))?;
                next = serialize(start, &items[start..end]);
            }
            window => {
                rayon::in_place_scope(|s| {
                    if let Some(&(start, end)) = window {
                        let (serialize, next) = (&serialize, &mut next);
                        s.spawn(move |_| *next = serialize(start, &items[start..end]));
                    }
                    put(w, std::mem::take(&mut ready))
                })?;
            }
        }
        ready = next;
    }
    Ok(())
}

/// The graph's documents, unpacked one at a time as they are written.
struct DocumentsView<'a>(&'a KnowledgeGraph);

impl Serialize for DocumentsView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.documents())
    }
}

/// Reads node-link JSON written by [`write_json`] back into a graph.
pub fn read_json(text: &str) -> Result<KnowledgeGraph, ReadError> {
    // A node and an edge at a time (see `read_json_streaming`), not a whole structure first.
    read_json_streaming(text).map_err(|e| match e {
        Ok(e) => ReadError {
            line: e.line(),
            message: e.to_string(),
        },
        Err(e) => e,
    })
}

/// Turns a node-link structure back into a graph: evidence as positions in
/// `graph.sentences` (with or without their text), inline (graphs written before the table),
/// or absent (`--evidence none`: the facts are kept, without evidence).
///
/// An edge that points to a sentence the table does not hold is an error naming the edge.
///
/// ```
/// use partygraph::export::{from_node_link, node_link_with, EvidenceMode};
/// use partygraph::{Extractor, KnowledgeGraph};
/// let mut g = KnowledgeGraph::new();
/// g.add(Extractor::new().unwrap().extract_str("a", "Bí thư Tỉnh ủy Nghệ An Nguyễn Văn A chủ trì hội nghị."));
/// let back = from_node_link(node_link_with(&g, EvidenceMode::None)).unwrap();
/// assert_eq!(back.edge_count(), g.edge_count()); // the facts, without their sentences
/// let mut broken = node_link_with(&g, EvidenceMode::Text);
/// broken.graph.sentences.clear();
/// assert!(from_node_link(broken).unwrap_err().message.contains("graph.sentences"));
/// ```
pub fn from_node_link(nl: NodeLink) -> Result<KnowledgeGraph, ReadError> {
    rebuild(nl, true)
}

/// [`from_node_link`] of a structure [`node_link`] made from a graph (the filters): every
/// position is in the table, so nothing can fail.
pub(crate) fn from_own_node_link(nl: NodeLink) -> KnowledgeGraph {
    rebuild(nl, false).unwrap_or_default()
}

/// [`from_node_link`]; with `strict` unset, evidence pointing outside the table is skipped.
fn rebuild(nl: NodeLink, strict: bool) -> Result<KnowledgeGraph, ReadError> {
    let mut r = Reader::new(strict);
    for d in nl.graph.documents {
        r.g.add_document(d);
    }
    for row in nl.graph.sentences {
        r.sentence(row);
    }
    r.meta_done();
    for n in nl.nodes {
        r.node(n);
    }
    r.nodes_done();
    for e in nl.edges {
        r.edge(e)?;
    }
    r.finish()
}

/// Reads node-link JSON text into a graph one node and one edge at a time, so that the
/// structure is never held whole: reading a graph takes about the memory of the graph it
/// makes, not several times it. Gives what [`read_json`] gives; a parse error is serde_json's
/// (`Err(Ok(e))`), an edge pointing outside `graph.sentences` the error of [`from_node_link`]
/// (`Err(Err(e))`).
pub(crate) fn read_json_streaming(
    text: &str,
) -> Result<KnowledgeGraph, Result<serde_json::Error, ReadError>> {
    read_streaming(serde_json::Deserializer::from_str(text))
}

/// [`read_json_streaming`] from a reader: the file is not held either, only what is being
/// parsed (a graph of 500 MB of articles is a 1.8 GB file).
pub(crate) fn read_json_from_reader(
    r: impl io::Read,
) -> Result<KnowledgeGraph, Result<serde_json::Error, ReadError>> {
    read_streaming(serde_json::Deserializer::from_reader(r))
}

fn read_streaming<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
) -> Result<KnowledgeGraph, Result<serde_json::Error, ReadError>> {
    use serde::de::DeserializeSeed;
    let mut r = Reader::new(true);
    let parsed = Top(&mut r).deserialize(&mut de).and_then(|()| de.end());
    match (parsed, r.failure.take()) {
        (_, Some(f)) => Err(Err(f)),
        (Err(e), None) => Err(Ok(e)),
        (Ok(()), None) => r.finish().map_err(Err),
    }
}

/// Builds a graph from the parts of node-link JSON as they are read: nodes in batches, each
/// edge's records once the nodes and the sentence table are known (edges seen before them
/// wait), sentences stored once across batches.
struct Reader {
    g: KnowledgeGraph,
    stored: crate::graph::StoredSentences,
    /// The table's sentences as stored in the graph, by their `id` (the text goes to the
    /// graph as each row is read: a table of 2 million sentences held as text took 600 MB).
    table: StoredTable,
    have_meta: bool,
    have_nodes: bool,
    strict: bool,
    same_name: Vec<(String, Vec<String>)>,
    entities: Vec<crate::extraction::EntityRecord>,
    facts: Vec<Fact>,
    /// Edges read before the nodes or the table, with their numbers.
    waiting: Vec<(usize, JsonEdge)>,
    edges: usize,
    /// An edge's evidence outside the table, met while parsing.
    failure: Option<ReadError>,
}

/// Records merged at a time (a few in the unit tests, so that batches end between the
/// facts of one sentence).
const READ_BATCH: usize = if cfg!(test) { 2 } else { 4096 };

impl Reader {
    fn new(strict: bool) -> Reader {
        Reader {
            g: KnowledgeGraph::new(),
            stored: Default::default(),
            table: StoredTable::default(),
            have_meta: false,
            have_nodes: false,
            strict,
            same_name: Vec::new(),
            entities: Vec::new(),
            facts: Vec::new(),
            waiting: Vec::new(),
            edges: 0,
            failure: None,
        }
    }

    /// A row of the table, stored at once.
    fn sentence(&mut self, row: JsonSentence) {
        let ev = Evidence {
            doc: row.doc,
            start: row.start,
            end: row.end,
            text: row.text.unwrap_or_default(),
        };
        let stored = self.g.store_sentence(&ev, &mut self.stored);
        self.table.push(row.id, stored);
    }

    fn meta_done(&mut self) {
        self.table.index();
        self.have_meta = true;
    }

    fn node(&mut self, mut n: JsonNode) {
        if !n.same_name_as.is_empty() {
            self.same_name
                .push((n.id.clone(), std::mem::take(&mut n.same_name_as)));
        }
        self.entities.push(crate::extraction::EntityRecord {
            id: n.id,
            kind: n.kind,
            label: n.label,
            aliases: n.aliases,
            attrs: n.attrs,
            mentions: n.mentions,
        });
        if self.entities.len() >= READ_BATCH {
            self.flush();
        }
    }

    fn nodes_done(&mut self) {
        self.have_nodes = true;
    }

    fn edge(&mut self, e: JsonEdge) -> Result<(), ReadError> {
        self.edges += 1;
        if !(self.have_meta && self.have_nodes) {
            self.waiting.push((self.edges, e));
            return Ok(());
        }
        self.edge_facts(self.edges, e)?;
        if self.facts.len() >= READ_BATCH {
            self.flush();
        }
        Ok(())
    }

    fn flush(&mut self) {
        let entities = std::mem::take(&mut self.entities);
        self.g.add_facts_keeping(&entities, &[], &mut self.stored);
        for f in std::mem::take(&mut self.facts) {
            self.g.add_fact_stored(
                &f.source,
                &f.target,
                f.kind,
                f.title.as_deref(),
                f.date.as_deref(),
                f.row,
            );
        }
    }

    fn finish(mut self) -> Result<KnowledgeGraph, ReadError> {
        self.have_meta = true;
        self.have_nodes = true;
        for (n, e) in std::mem::take(&mut self.waiting) {
            self.edge_facts(n, e)?;
        }
        self.flush();
        self.g.set_same_name_as(self.same_name);
        Ok(self.g)
    }
}

impl Reader {
    /// The facts of edge number `n` (from 1): one per evidence (one without evidence when it
    /// has none), the edge's dates on its first (one more fact per further date).
    fn edge_facts(&mut self, n: usize, e: JsonEdge) -> Result<(), ReadError> {
        let mut rows: Vec<Option<StoredRow>> = Vec::with_capacity(e.evidence.len().max(1));
        for item in &e.evidence {
            rows.push(match item {
                EvidenceItem::Inline(v) => self.g.store_sentence(v, &mut self.stored),
                EvidenceItem::Sentence(id) => match self.table.get(*id) {
                    Some(row) => row,
                    None if !self.strict => continue,
                    None => {
                        return Err(ReadError {
                            line: 0,
                            message: format!(
                                "edge {n} ({} -> {}, {}): evidence {id} is not in \
                                 graph.sentences ({} sentences)",
                                e.source,
                                e.target,
                                e.kind.as_str(),
                                self.table.len()
                            ),
                        });
                    }
                },
            });
        }
        if rows.is_empty() {
            // Written without evidence: the fact itself, with no document.
            rows.push(None);
        }
        let first = self.facts.len();
        for row in rows {
            self.facts.push(Fact {
                source: e.source.clone(),
                target: e.target.clone(),
                kind: e.kind,
                title: e.title.clone(),
                date: None,
                row,
            });
        }
        // Dates ride on the first evidence, one fact per date.
        let mut dates = e.dates.into_iter();
        if let Some(d) = dates.next() {
            let head = self.facts[first].clone();
            self.facts[first].date = Some(d);
            for d in dates {
                self.facts.push(Fact {
                    date: Some(d),
                    ..head.clone()
                });
            }
        }
        Ok(())
    }
}

/// One fact read from an edge, its sentence already stored.
#[derive(Debug, Clone)]
struct Fact {
    source: String,
    target: String,
    kind: crate::types::RelationKind,
    title: Option<String>,
    date: Option<String>,
    row: Option<StoredRow>,
}

/// The rows of a graph's sentence table as stored, found by `id`: by position while every
/// row's `id` is its position (as written), else through a map (a table a script filtered or
/// reordered).
#[derive(Debug, Default)]
struct StoredTable {
    rows: Vec<(usize, Option<StoredRow>)>,
    positional: bool,
    by_id: Option<HashMap<usize, usize>>,
}

impl StoredTable {
    fn push(&mut self, id: usize, row: Option<StoredRow>) {
        if self.rows.is_empty() {
            self.positional = true;
        }
        self.positional &= id == self.rows.len();
        self.rows.push((id, row));
    }

    /// Makes the map of ids, when they are not positions (once every row is read).
    fn index(&mut self) {
        if !self.positional && !self.rows.is_empty() {
            self.by_id = Some(
                self.rows
                    .iter()
                    .enumerate()
                    .map(|(i, (id, _))| (*id, i))
                    .collect(),
            );
        }
    }

    /// The row of `id` (`Some(None)`: a row with no document).
    fn get(&self, id: usize) -> Option<Option<StoredRow>> {
        let i = match &self.by_id {
            None if self.positional => id,
            None => self.rows.iter().position(|(x, _)| *x == id)?,
            Some(map) => *map.get(&id)?,
        };
        self.rows.get(i).map(|(_, row)| *row)
    }

    fn len(&self) -> usize {
        self.rows.len()
    }
}

/// The `graph` object of node-link JSON: documents and sentences handed to the [`Reader`] one
/// at a time.
struct Meta<'r>(&'r mut Reader);

const META_FIELDS: [&str; 3] = ["generator", "documents", "sentences"];

impl<'de> serde::de::DeserializeSeed<'de> for Meta<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Meta<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("struct GraphMeta")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::Error;
        let r = self.0;
        let mut seen = [false; 3];
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let Some(k) = META_FIELDS.iter().position(|f| *f == key) else {
                map.next_value::<serde::de::IgnoredAny>()?;
                continue;
            };
            if std::mem::replace(&mut seen[k], true) {
                return Err(A::Error::duplicate_field(META_FIELDS[k]));
            }
            match k {
                0 => {
                    map.next_value::<String>()?;
                }
                _ => map.next_value_seed(Rows {
                    r: &mut *r,
                    documents: k == 1,
                })?,
            }
        }
        // The table is optional (absent with `--evidence none`).
        match seen[..2].iter().position(|s| !s) {
            Some(k) => Err(A::Error::missing_field(META_FIELDS[k])),
            None => {
                r.meta_done();
                Ok(())
            }
        }
    }
}

/// The `documents` or the `sentences` of a graph's `graph` object, each handed to the
/// [`Reader`] as it is read.
struct Rows<'r> {
    r: &'r mut Reader,
    documents: bool,
}

impl<'de> serde::de::DeserializeSeed<'de> for Rows<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Rows<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        if self.documents {
            while let Some(d) = seq.next_element::<DocumentInfo>()? {
                self.r.g.add_document(d);
            }
        } else {
            while let Some(row) = seq.next_element::<JsonSentence>()? {
                self.r.sentence(row);
            }
        }
        Ok(())
    }
}

/// The top level of node-link JSON, read into a [`Reader`].
struct Top<'r>(&'r mut Reader);

const TOP_FIELDS: [&str; 5] = ["directed", "multigraph", "graph", "nodes", "edges"];

impl<'de> serde::de::DeserializeSeed<'de> for Top<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Top<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("struct NodeLink")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        use serde::de::Error;
        let r = self.0;
        let mut seen = [false; 5];
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            let Some(k) = TOP_FIELDS.iter().position(|f| *f == key) else {
                map.next_value::<serde::de::IgnoredAny>()?;
                continue;
            };
            if std::mem::replace(&mut seen[k], true) {
                return Err(A::Error::duplicate_field(TOP_FIELDS[k]));
            }
            match k {
                0 | 1 => {
                    map.next_value::<bool>()?;
                }
                2 => map.next_value_seed(Meta(&mut *r))?,
                3 => {
                    map.next_value_seed(Items {
                        r: &mut *r,
                        nodes: true,
                    })?;
                    r.nodes_done();
                }
                _ => map.next_value_seed(Items {
                    r: &mut *r,
                    nodes: false,
                })?,
            }
        }
        match seen.iter().position(|s| !s) {
            Some(k) => Err(A::Error::missing_field(TOP_FIELDS[k])),
            None => Ok(()),
        }
    }
}

/// The `nodes` or the `edges` of node-link JSON, each handed to the [`Reader`] as it is read.
struct Items<'r> {
    r: &'r mut Reader,
    nodes: bool,
}

impl<'de> serde::de::DeserializeSeed<'de> for Items<'_> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Items<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        use serde::de::Error;
        if self.nodes {
            while let Some(n) = seq.next_element::<JsonNode>()? {
                self.r.node(n);
            }
        } else {
            while let Some(e) = seq.next_element::<JsonEdge>()? {
                if let Err(f) = self.r.edge(e) {
                    let message = f.message.clone();
                    self.r.failure = Some(f);
                    return Err(A::Error::custom(message));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod view_tests {
    use super::*;
    use crate::Extractor;

    #[test]
    fn stored_rows_are_found_by_id_in_any_order() {
        let mut g = KnowledgeGraph::new();
        let mut stored = Default::default();
        let mut row = |doc: &str, start| {
            let ev = Evidence {
                doc: doc.into(),
                start,
                end: start + 3,
                text: "câu".into(),
            };
            g.store_sentence(&ev, &mut stored)
        };
        let (a, b, none) = (row("a", 0), row("b", 5), row("", 0));
        assert!(none.is_none());
        let mut written = StoredTable::default();
        for (id, r) in [(0, a), (1, b), (2, none)] {
            written.push(id, r);
        }
        written.index();
        assert!(written.by_id.is_none() && written.len() == 3);
        assert!(written.get(1).is_some_and(|r| r.is_some()));
        assert!(written.get(2).is_some_and(|r| r.is_none()));
        assert!(written.get(3).is_none());
        let mut filtered = StoredTable::default();
        filtered.push(7, a);
        filtered.push(2, b);
        assert!(filtered.get(7).is_some_and(|r| r.is_some())); // before the map is made
        filtered.index();
        assert!(filtered.by_id.is_some());
        assert!(filtered.get(7).is_some() && filtered.get(2).is_some());
        assert!(filtered.get(0).is_none() && filtered.get(1).is_none());
    }

    #[test]
    fn a_graph_object_without_documents_is_an_error() {
        let text = r#"{"directed":true,"multigraph":true,"graph":{"generator":"x"},"nodes":[],"edges":[]}"#;
        let err = read_json(text).unwrap_err();
        assert!(err.message.contains("missing field `documents`"), "{err}");
        let ok = r#"{"directed":true,"multigraph":true,"graph":{"generator":"x","documents":[],"extra":1},"nodes":[],"edges":[]}"#;
        assert_eq!(read_json(ok).unwrap().node_count(), 0);
    }

    #[test]
    fn windows_are_bounded_by_items_and_by_guessed_bytes() {
        // Small items: windows of WINDOW items, the last one shorter.
        let small = vec![1usize; 2 * WINDOW + 5];
        let w = windows(&small, |&b| b);
        assert_eq!(
            w,
            [
                (0, WINDOW),
                (WINDOW, 2 * WINDOW),
                (2 * WINDOW, 2 * WINDOW + 5)
            ]
        );
        // Big items: a window of its own each once they pass the bound, never empty.
        let big = [WINDOW_BYTES + 1, 10, WINDOW_BYTES, 10, 10];
        assert_eq!(windows(&big, |&b| b), [(0, 1), (1, 2), (2, 3), (3, 5)]);
        assert!(windows::<usize>(&[], |&b| b).is_empty());
        // Written in order whatever the windows: the same array as one piece.
        let items: Vec<usize> = (0..3000).collect();
        let mut out = Vec::new();
        write_in_order(
            &mut out,
            &items,
            |&i| match i % 700 {
                0 => WINDOW_BYTES + 1,
                1 => WINDOW_BYTES,
                _ => 8,
            },
            |i, x, buf| {
                assert_eq!(i, *x);
                buf.extend_from_slice(x.to_string().as_bytes());
            },
        )
        .unwrap();
        let want: Vec<String> = items.iter().map(|i| i.to_string()).collect();
        assert_eq!(String::from_utf8(out).unwrap(), want.join(","));
    }

    #[test]
    fn sentence_rows_are_found_by_id_in_any_order() {
        let row = |id| JsonSentence {
            id,
            doc: format!("d{id}"),
            start: id,
            end: id + 1,
            text: None,
        };
        let written = SentenceRows::new(vec![row(0), row(1), row(2)]);
        assert_eq!(written.get(2).map(|r| r.doc.as_str()), Some("d2"));
        assert!(written.get(3).is_none());
        let filtered = SentenceRows::new(vec![row(7), row(2)]);
        assert_eq!(filtered.get(7).map(|r| r.doc.as_str()), Some("d7"));
        assert_eq!(filtered.get(2).map(|r| r.doc.as_str()), Some("d2"));
        assert!(filtered.get(0).is_none() && filtered.get(1).is_none());
        assert_eq!(filtered.len(), 2);
    }

    /// A graph of three articles that cite the same sentences from several edges, with
    /// dates and a namesake-free person, written as JSON.
    fn sample_json() -> (KnowledgeGraph, String) {
        let ex = Extractor::new().unwrap();
        let mut g = KnowledgeGraph::new();
        for (doc, p) in [("a", "Nghệ An"), ("b", "Hà Tĩnh"), ("c", "Nghệ An")] {
            let text = format!(
                "Ngày 5/3/2024, Tỉnh ủy {p} tổ chức hội nghị quán triệt Chỉ thị 05-CT/TW. \
                 Đồng chí Nguyễn Văn Bình, Bí thư Tỉnh ủy {p}, chủ trì hội nghị."
            );
            g.add(ex.extract_str(doc, &text));
        }
        let mut out = Vec::new();
        write_json(&g, &mut out).unwrap();
        (g, String::from_utf8(out).unwrap())
    }

    fn written(g: &KnowledgeGraph) -> String {
        let mut out = Vec::new();
        write_json(g, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn read_a_piece_at_a_time_is_read_whole() {
        let (g, text) = sample_json();
        let whole = from_node_link(serde_json::from_str::<NodeLink>(&text).unwrap()).unwrap();
        let streamed = read_json_streaming(&text).unwrap();
        assert_eq!(written(&streamed), written(&whole));
        assert_eq!(written(&streamed), written(&g));
        // Each sentence stored once, however many edges cite it and however the batches fall.
        assert_eq!(streamed.sentences_stored(), g.sentence_table().len());
        let evidences: usize = g.edges().iter().map(|(_, _, e)| g.evidence(e).len()).sum();
        assert!(evidences > g.sentence_table().len() + 2, "{evidences}");
    }

    #[test]
    fn the_parts_of_a_graph_may_come_in_any_order() {
        let (g, text) = sample_json();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        // Edges first, the graph's attributes last, an unknown key among them.
        let reordered = format!(
            r#"{{"edges":{},"extra":[1,{{"x":2}}],"nodes":{},"multigraph":true,"directed":true,"graph":{}}}"#,
            v["edges"], v["nodes"], v["graph"]
        );
        let back = read_json_streaming(&reordered).unwrap();
        assert_eq!(written(&back), written(&g));
        // An edge that waited for the table is still named by its place among the edges.
        let mut edges = v["edges"].clone();
        edges[1]["evidence"] = serde_json::json!([999]);
        let broken = format!(
            r#"{{"edges":{edges},"nodes":{},"multigraph":true,"directed":true,"graph":{}}}"#,
            v["nodes"], v["graph"]
        );
        match read_json_streaming(&broken) {
            Err(Err(e)) => assert!(e.message.starts_with("edge 2 ("), "{}", e.message),
            other => panic!("{:?}", other.map(|_| ())),
        }
    }

    #[test]
    fn a_bad_graph_is_refused_as_when_read_whole() {
        let (_, text) = sample_json();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let message = |t: &str| match read_json_streaming(t) {
            Err(Ok(e)) => e.to_string(),
            Err(Err(e)) => format!("read: {}", e.message),
            Ok(_) => "read".to_string(),
        };
        let whole = |t: &str| serde_json::from_str::<NodeLink>(t).unwrap_err().to_string();
        for bad in [
            r#"{"nodes": 5}"#.to_string(),
            r#"{"directed":true,"multigraph":true,"graph":{"generator":"x","documents":[]},"nodes":[]}"#.to_string(),
            format!(r#"{{"directed":true,"directed":true,"nodes":{}}}"#, v["nodes"]),
        ] {
            assert_eq!(message(&bad), whole(&bad), "{bad}");
        }
        // Not an object at all (read whole, serde would take an array of the five fields).
        assert!(message("[1, 2").contains("expected struct NodeLink"));
        assert!(message("").contains("EOF"));
        // An edge pointing outside the table: named, as from_node_link names it.
        let mut broken = v.clone();
        broken["edges"][0]["evidence"] = serde_json::json!([999]);
        let broken = broken.to_string();
        let nl: NodeLink = serde_json::from_str(&broken).unwrap();
        let want = from_node_link(nl).unwrap_err().message;
        assert_eq!(message(&broken), format!("read: {want}"));
        assert!(
            want.contains("evidence 999 is not in graph.sentences"),
            "{want}"
        );
    }

    #[test]
    fn streamed_json_equals_the_node_link_structure() {
        let ex = Extractor::new().unwrap();
        let mut g = KnowledgeGraph::new();
        let text = "Ngày 5/3/2024, Tỉnh ủy Nghệ An tổ chức hội nghị quán triệt Chỉ thị 05-CT/TW. \
                    Đồng chí Nguyễn Văn Bình, Bí thư Tỉnh ủy, chủ trì hội nghị. \
                    Đồng chí Bình phát biểu.";
        // The same article twice (duplicate mentions and evidence) and another one.
        g.add(ex.extract_str("b", text));
        g.add(ex.extract_str("a", text));
        g.add(ex.extract_str("b", text));
        let mut streamed = Vec::new();
        write_json(&g, &mut streamed).unwrap();
        let mut expected = serde_json::to_vec(&node_link(&g)).unwrap();
        expected.push(b'\n');
        assert_eq!(
            String::from_utf8(streamed).unwrap(),
            String::from_utf8(expected).unwrap()
        );
    }
}
