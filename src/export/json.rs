//! JSON in networkx node-link form: `networkx.node_link_graph(data)` loads it as a directed
//! multigraph.

use crate::extraction::{Attributes, DocumentInfo, Mention};
use crate::graph::KnowledgeGraph;
use crate::types::{EntityKind, Evidence, RelationKind};
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
    /// The sentences it was read from.
    pub evidence: Vec<Evidence>,
}

/// Builds the node-link structure (sorted, so output is deterministic).
pub fn node_link(graph: &KnowledgeGraph) -> NodeLink {
    let mut g = graph.clone();
    g.canonicalize();
    let nodes = g
        .nodes()
        .into_iter()
        .map(|n| JsonNode {
            id: n.id.clone(),
            kind: n.kind,
            label: n.label.clone(),
            aliases: n.aliases.clone(),
            attrs: n.attrs.clone(),
            mentions: n.mentions.clone(),
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
                title: e.title.clone(),
                dates: e.dates.clone(),
                evidence: e.evidence.clone(),
            }
        })
        .collect();
    NodeLink {
        directed: true,
        multigraph: true,
        graph: GraphMeta {
            generator: format!("partygraph {}", env!("CARGO_PKG_VERSION")),
            documents: g.documents().cloned().collect(),
        },
        nodes,
        edges,
    }
}

/// Writes the graph as node-link JSON (pretty-printed, one trailing newline).
pub fn write_json<W: Write>(graph: &KnowledgeGraph, mut w: W) -> io::Result<()> {
    let nl = node_link(graph);
    serde_json::to_writer_pretty(&mut w, &nl).map_err(io::Error::other)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// Reads node-link JSON written by [`write_json`] back into a graph.
pub fn read_json(text: &str) -> Result<KnowledgeGraph, serde_json::Error> {
    let nl: NodeLink = serde_json::from_str(text)?;
    Ok(from_node_link(nl))
}

/// Turns a node-link structure back into a graph.
pub fn from_node_link(nl: NodeLink) -> KnowledgeGraph {
    use crate::extraction::{EntityRecord, RelationRecord};
    let mut g = KnowledgeGraph::new();
    for d in nl.graph.documents {
        g.add_document(d);
    }
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
    let mut relations = Vec::new();
    let mut dated: Vec<(usize, BTreeSet<String>)> = Vec::new();
    for e in nl.edges {
        if e.evidence.is_empty() {
            continue;
        }
        for (i, ev) in e.evidence.into_iter().enumerate() {
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
    g
}
