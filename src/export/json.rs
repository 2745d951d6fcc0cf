//! JSON in networkx node-link form: `networkx.node_link_graph(data)` loads it as a directed
//! multigraph.

use super::jsonl::ReadError;
use super::{EvidenceMode, jsonw};
use crate::extraction::{Attributes, DocumentInfo, Mention};
use crate::graph::KnowledgeGraph;
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
            id: n.id.clone(),
            kind: n.kind,
            label: n.label.clone(),
            aliases: n.other_names().map(String::from).collect(),
            attrs: n.attrs().clone(),
            same_name_as: g
                .namesake(n)
                .map(|x| x.same_name_as(&n.id).map(String::from).collect())
                .unwrap_or_default(),
            mentions: g.mentions(n).iter().map(|m| m.to_mention()).collect(),
        })
        .collect();
    let mut keys: HashMap<(String, String), usize> = HashMap::new();
    let edges = g
        .edges()
        .into_iter()
        .map(|(s, t, e)| {
            let k = keys.entry((s.id.clone(), t.id.clone())).or_insert(0);
            let key = *k;
            *k += 1;
            JsonEdge {
                source: s.id.clone(),
                target: t.id.clone(),
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
            if ps.id != s.id || pt.id != t.id {
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

/// Items serialized per task, and per window (the memory held for output is two windows' text:
/// one being written, the next being serialized).
const PIECE: usize = 128;
const WINDOW: usize = 8 * PIECE;

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
    let serialize = |k: usize, window: &[T]| -> Pieces {
        window
            .par_chunks(PIECE)
            .enumerate()
            .map(|(p, piece)| {
                let at = k * WINDOW + p * PIECE;
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
    // Window k is written on this thread while the pool serializes window k + 1.
    let windows: Vec<&[T]> = items.chunks(WINDOW).collect();
    let Some(first_window) = windows.first() else {
        return Ok(());
    };
    let mut ready = serialize(0, first_window);
    for k in 1..=windows.len() {
        let mut next = Pieces::new();
        rayon::in_place_scope(|s| {
            if let Some(window) = windows.get(k) {
                s.spawn(|_| next = serialize(k, window));
            }
            put(w, std::mem::take(&mut ready))
        })?;
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
    let nl: NodeLink = serde_json::from_str(text).map_err(|e| ReadError {
        line: e.line(),
        message: e.to_string(),
    })?;
    from_node_link(nl)
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
fn rebuild(mut nl: NodeLink, strict: bool) -> Result<KnowledgeGraph, ReadError> {
    use crate::extraction::{EntityRecord, RelationRecord};
    let mut g = KnowledgeGraph::new();
    for d in nl.graph.documents {
        g.add_document(d);
    }
    let same_name: Vec<(String, Vec<String>)> = nl
        .nodes
        .iter_mut()
        .filter(|n| !n.same_name_as.is_empty())
        .map(|n| (n.id.clone(), std::mem::take(&mut n.same_name_as)))
        .collect();
    let entities: Vec<EntityRecord> = nl
        .nodes
        .into_iter()
        .map(|n| EntityRecord {
            id: n.id,
            kind: n.kind,
            label: n.label,
            aliases: n.aliases,
            attrs: n.attrs,
            mentions: n.mentions,
        })
        .collect();
    let sentences = SentenceRows::new(nl.graph.sentences);
    let mut relations = Vec::new();
    let mut dated: Vec<(usize, BTreeSet<String>)> = Vec::new();
    for (n, e) in nl.edges.into_iter().enumerate() {
        let mut evidence = Vec::with_capacity(e.evidence.len().max(1));
        for item in e.evidence {
            evidence.push(match item {
                EvidenceItem::Inline(v) => v,
                EvidenceItem::Sentence(id) => {
                    let Some(s) = sentences.get(id) else {
                        if !strict {
                            continue;
                        }
                        return Err(ReadError {
                            line: 0,
                            message: format!(
                                "edge {} ({} -> {}, {}): evidence {id} is not in graph.sentences \
                                 ({} sentences)",
                                n + 1,
                                e.source,
                                e.target,
                                e.kind.as_str(),
                                sentences.len()
                            ),
                        });
                    };
                    s.to_evidence()
                }
            });
        }
        if evidence.is_empty() {
            // Written without evidence: the fact itself, with no document.
            evidence.push(Evidence::default());
        }
        for (i, ev) in evidence.into_iter().enumerate() {
            if i == 0 && !e.dates.is_empty() {
                dated.push((relations.len(), e.dates.clone()));
            }
            relations.push(RelationRecord {
                source: e.source.clone(),
                target: e.target.clone(),
                kind: e.kind,
                title: e.title.clone(),
                date: None,
                evidence: ev,
            });
        }
    }
    // Dates ride on the first evidence of each edge, one record per date.
    let mut extra = Vec::new();
    for (i, dates) in dated {
        for (k, d) in dates.into_iter().enumerate() {
            if k == 0 {
                relations[i].date = Some(d);
            } else {
                let mut r = relations[i].clone();
                r.date = Some(d);
                extra.push(r);
            }
        }
    }
    relations.extend(extra);
    g.add_facts(entities, relations);
    g.set_same_name_as(same_name);
    Ok(g)
}

#[cfg(test)]
mod view_tests {
    use super::*;
    use crate::Extractor;

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
