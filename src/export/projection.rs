//! The co-attendance projection in JSON and JSON Lines (DOT is in `dot`, GraphML and Neo4j CSV
//! take it as they take the knowledge graph).

use crate::extraction::DocumentInfo;
use crate::query::{CoAttendance, CoEdge, CoPerson};
use serde::{Deserialize, Serialize};
use std::io::{self, Write};

/// The co-attendance projection in networkx node-link form: an undirected simple graph, loadable
/// with `networkx.node_link_graph(data, edges="edges")`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CoNodeLink {
    /// Always false.
    pub directed: bool,
    /// Always false: one edge per pair of people.
    pub multigraph: bool,
    /// Graph attributes.
    pub graph: CoMeta,
    /// People, sorted by ID.
    pub nodes: Vec<CoPerson>,
    /// Edges, sorted by source and target (source < target).
    pub edges: Vec<CoEdge>,
}

/// Graph-level attributes of the projection.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CoMeta {
    /// `partygraph <version>`.
    pub generator: String,
    /// Always `co-attendance`.
    pub projection: String,
    /// The articles the graph was built from.
    pub documents: Vec<DocumentInfo>,
}

/// Builds the node-link structure of the projection.
pub fn co_attendance_node_link(co: &CoAttendance) -> CoNodeLink {
    CoNodeLink {
        directed: false,
        multigraph: false,
        graph: CoMeta {
            generator: format!("partygraph {}", env!("CARGO_PKG_VERSION")),
            projection: "co-attendance".into(),
            documents: co.documents.clone(),
        },
        nodes: co.people.clone(),
        edges: co.edges.clone(),
    }
}

/// Writes the projection as node-link JSON (pretty-printed, one trailing newline).
///
/// ```
/// let mut out = Vec::new();
/// partygraph::export::write_co_attendance_json(&Default::default(), &mut out).unwrap();
/// let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
/// assert_eq!(v["directed"], false);
/// assert_eq!(v["graph"]["projection"], "co-attendance");
/// ```
pub fn write_co_attendance_json<W: Write>(co: &CoAttendance, mut w: W) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut w, &co_attendance_node_link(co)).map_err(io::Error::from)?;
    w.write_all(b"\n")?;
    w.flush()
}

/// One line of the projection in JSON Lines.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum CoLine<'a> {
    Node(&'a CoPerson),
    Edge(&'a CoEdge),
}

/// Writes the projection as JSON Lines: one `{"type":"node",...}` line per person, then one
/// `{"type":"edge","source":...,"target":...,"weight":...,"meetings":[...]}` line per pair.
///
/// ```
/// let mut out = Vec::new();
/// partygraph::export::write_co_attendance_jsonl(&Default::default(), &mut out).unwrap();
/// assert!(out.is_empty());
/// ```
pub fn write_co_attendance_jsonl<W: Write>(co: &CoAttendance, mut w: W) -> io::Result<()> {
    for p in &co.people {
        serde_json::to_writer(&mut w, &CoLine::Node(p)).map_err(io::Error::from)?;
        w.write_all(b"\n")?;
    }
    for e in &co.edges {
        serde_json::to_writer(&mut w, &CoLine::Edge(e)).map_err(io::Error::from)?;
        w.write_all(b"\n")?;
    }
    w.flush()
}
