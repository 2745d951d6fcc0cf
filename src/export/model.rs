//! A flat, typed property view of a graph: what the tabular formats (GraphML, Neo4j CSV) write.
//!
//! The knowledge graph and its projections are turned into a [`PropertyGraph`]: nodes and edges
//! with a kind and named, typed properties, with every property declared once with its type.
//! The writers only have to encode values; which properties exist is decided here, once.

use super::EvidenceMode;
use crate::graph::KnowledgeGraph;
use crate::query::CoAttendance;
use std::collections::{BTreeMap, BTreeSet};

/// The type of a property, as declared in GraphML `<key attr.type>` and Neo4j CSV headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PropType {
    /// Text.
    String,
    /// A whole number.
    Int,
    /// A floating-point number.
    Float,
    /// A list of texts. GraphML has no list type, so GraphML writes it as a JSON array in a
    /// string; Neo4j CSV writes a `string[]` array property with the `;` delimiter.
    StringList,
    /// A list of whole numbers: a JSON array in a string in GraphML, an `int[]` array property
    /// in Neo4j CSV.
    IntList,
}

/// A property value.
#[derive(Debug, Clone, PartialEq)]
pub enum PropValue {
    /// Text.
    String(String),
    /// A whole number.
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// A list of texts.
    StringList(Vec<String>),
    /// A list of whole numbers.
    IntList(Vec<i64>),
}

/// The declaration of one property: its name, type and meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PropKey {
    /// The property name.
    pub name: &'static str,
    /// Its type.
    pub ty: PropType,
    /// What it means (written as a comment where the format allows).
    pub doc: &'static str,
}

/// A node with its properties.
#[derive(Debug, Clone, PartialEq)]
pub struct PropNode {
    /// The stable node ID.
    pub id: String,
    /// Its kind (`person`, `committee`...).
    pub kind: String,
    /// Its properties by name; every name is declared in [`PropertyGraph::node_keys`].
    pub props: BTreeMap<&'static str, PropValue>,
}

/// An edge with its properties.
#[derive(Debug, Clone, PartialEq)]
pub struct PropEdge {
    /// Source node ID.
    pub source: String,
    /// Target node ID.
    pub target: String,
    /// Its kind (`chairs`, `co_attends`...).
    pub kind: String,
    /// Its properties by name; every name is declared in [`PropertyGraph::edge_keys`].
    pub props: BTreeMap<&'static str, PropValue>,
}

/// A graph as nodes and edges with typed properties, sorted (nodes by ID, edges by source,
/// target, kind), ready for tabular formats.
///
/// ```
/// use partygraph::export::PropertyGraph;
/// use partygraph::KnowledgeGraph;
/// let pg = PropertyGraph::from(&KnowledgeGraph::new());
/// assert!(pg.directed);
/// assert!(pg.node_keys.iter().any(|k| k.name == "label"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PropertyGraph {
    /// True for the knowledge graph; false for the person–person projection.
    pub directed: bool,
    /// Graph-level properties (generator, documents, projection), declared in `graph_keys`.
    pub graph_props: BTreeMap<&'static str, PropValue>,
    /// Declarations of the graph-level properties.
    pub graph_keys: Vec<PropKey>,
    /// Declarations of the node properties, in column order.
    pub node_keys: Vec<PropKey>,
    /// Declarations of the edge properties, in column order.
    pub edge_keys: Vec<PropKey>,
    /// The nodes, sorted by ID.
    pub nodes: Vec<PropNode>,
    /// The edges, sorted by source, target and kind.
    pub edges: Vec<PropEdge>,
}

const fn key(name: &'static str, ty: PropType, doc: &'static str) -> PropKey {
    PropKey { name, ty, doc }
}

const GRAPH_KEYS: [PropKey; 3] = [
    key(
        "generator",
        PropType::String,
        "the program that wrote the file",
    ),
    key(
        "documents",
        PropType::StringList,
        "IDs of the articles the graph was built from",
    ),
    key(
        "projection",
        PropType::String,
        "the projection, when this is one",
    ),
];

const NODE_KEYS: [PropKey; 18] = [
    key(
        "kind",
        PropType::String,
        "person, committee, resolution, meeting, organization, place",
    ),
    key("label", PropType::String, "the display (canonical) name"),
    key(
        "aliases",
        PropType::StringList,
        "other names it was found under",
    ),
    key(
        "level",
        PropType::String,
        "committee: central, provincial, district, grassroots, enterprise",
    ),
    key(
        "parent",
        PropType::String,
        "committee: the body it belongs to",
    ),
    key(
        "code",
        PropType::String,
        "resolution: its code, e.g. 05-CT/TW",
    ),
    key(
        "doc_type",
        PropType::String,
        "resolution: Nghị quyết, Chỉ thị, Kết luận...",
    ),
    key("number", PropType::String, "resolution: its number"),
    key("issuer", PropType::String, "resolution: the issuing body"),
    key(
        "date",
        PropType::String,
        "resolution: date issued; meeting: date held (ISO, possibly partial)",
    ),
    key("subject", PropType::String, "resolution: its subject"),
    key(
        "meeting_type",
        PropType::String,
        "meeting: hội nghị, giao ban, đại hội...",
    ),
    key("place", PropType::String, "meeting: where it was held"),
    key(
        "org_type",
        PropType::String,
        "organization, place: the type from the gazetteer",
    ),
    key(
        "same_name_as",
        PropType::StringList,
        "person: the other nodes of the same name (namesakes told apart)",
    ),
    key("mentions", PropType::Int, "number of places it is named"),
    key(
        "documents",
        PropType::StringList,
        "IDs of the articles that name it",
    ),
    key(
        "confidence",
        PropType::Float,
        "the highest confidence among its mentions, 0 to 1",
    ),
];

const EDGE_KEYS: [PropKey; 5] = [
    key(
        "kind",
        PropType::String,
        "chairs, attends, speaks_at, organizes, references, holds_position, issued_by, part_of, authored",
    ),
    key("title", PropType::String, "holds_position: the office"),
    key("dates", PropType::StringList, "dates the fact holds at"),
    key("weight", PropType::Int, "number of evidence sentences"),
    key(
        "documents",
        PropType::StringList,
        "IDs of the articles that state it",
    ),
];

/// The edge keys of the evidence, by [`EvidenceMode`]: `Text` the sentences; `Span` where each
/// is (three lists of the same length, one item per evidence); `None` nothing.
const EVIDENCE_TEXT_KEYS: [PropKey; 1] = [key(
    "evidence",
    PropType::StringList,
    "the sentences it was read from",
)];
const EVIDENCE_SPAN_KEYS: [PropKey; 3] = [
    key(
        "evidence_documents",
        PropType::StringList,
        "the article of each evidence sentence, one item per sentence",
    ),
    key(
        "evidence_starts",
        PropType::IntList,
        "where each evidence sentence starts: a byte offset in its article's file",
    ),
    key(
        "evidence_ends",
        PropType::IntList,
        "where each evidence sentence ends: a byte offset in its article's file",
    ),
];

fn evidence_keys(mode: EvidenceMode) -> &'static [PropKey] {
    match mode {
        EvidenceMode::Text => &EVIDENCE_TEXT_KEYS,
        EvidenceMode::Span => &EVIDENCE_SPAN_KEYS,
        EvidenceMode::None => &[],
    }
}

const CO_NODE_KEYS: [PropKey; 4] = [
    key("kind", PropType::String, "always person"),
    key("label", PropType::String, "the display (canonical) name"),
    key(
        "aliases",
        PropType::StringList,
        "other names the person was found under",
    ),
    key(
        "meetings",
        PropType::Int,
        "number of meetings the person took part in",
    ),
];

const CO_EDGE_KEYS: [PropKey; 4] = [
    key("kind", PropType::String, "always co_attends"),
    key(
        "weight",
        PropType::Int,
        "number of meetings both took part in",
    ),
    key("meetings", PropType::StringList, "IDs of those meetings"),
    key("dates", PropType::StringList, "dates of those meetings"),
];

fn s(v: &str) -> PropValue {
    PropValue::String(v.to_string())
}

fn put_opt(props: &mut BTreeMap<&'static str, PropValue>, name: &'static str, v: &Option<String>) {
    if let Some(v) = v {
        props.insert(name, s(v));
    }
}

fn put_list(props: &mut BTreeMap<&'static str, PropValue>, name: &'static str, v: Vec<String>) {
    if !v.is_empty() {
        props.insert(name, PropValue::StringList(v));
    }
}

/// An `f32` confidence as the `f64` it reads as (0.9, not 0.8999999761581421).
fn float_of(x: f32) -> f64 {
    format!("{x}").parse().unwrap_or(f64::from(x))
}

fn generator() -> PropValue {
    s(&format!("partygraph {}", env!("CARGO_PKG_VERSION")))
}

impl From<&KnowledgeGraph> for PropertyGraph {
    /// With every evidence sentence ([`EvidenceMode::Text`]).
    fn from(graph: &KnowledgeGraph) -> PropertyGraph {
        PropertyGraph::with_evidence(graph, EvidenceMode::Text)
    }
}

impl PropertyGraph {
    /// The property view of a knowledge graph, with each edge's evidence as `mode` says:
    /// the sentences (`evidence`), where they are (`evidence_documents`, `evidence_starts`,
    /// `evidence_ends`: one item per sentence), or nothing. Every fact is kept in each mode,
    /// with its `weight`, `documents` and `dates`.
    ///
    /// ```
    /// use partygraph::export::{EvidenceMode, PropValue, PropertyGraph};
    /// use partygraph::{Extractor, KnowledgeGraph};
    /// let mut g = KnowledgeGraph::new();
    /// g.add(Extractor::new().unwrap().extract_str("a", "Bí thư Tỉnh ủy Nghệ An Nguyễn Văn A chủ trì hội nghị."));
    /// let span = PropertyGraph::with_evidence(&g, EvidenceMode::Span);
    /// let e = &span.edges[0];
    /// assert!(!e.props.contains_key("evidence"));
    /// assert_eq!(e.props["evidence_documents"], PropValue::StringList(vec!["a".into()]));
    /// assert_eq!(e.props["evidence_starts"], PropValue::IntList(vec![0]));
    /// let none = PropertyGraph::with_evidence(&g, EvidenceMode::None);
    /// assert_eq!(none.edges.len(), span.edges.len());
    /// assert!(none.edge_keys.iter().all(|k| !k.name.starts_with("evidence")));
    /// ```
    pub fn with_evidence(graph: &KnowledgeGraph, mode: EvidenceMode) -> PropertyGraph {
        let g = graph;
        let mut graph_props = BTreeMap::new();
        graph_props.insert("generator", generator());
        put_list(
            &mut graph_props,
            "documents",
            g.documents().map(|d| d.id.clone()).collect(),
        );
        let nodes = g
            .nodes()
            .into_iter()
            .map(|n| {
                let mut p = BTreeMap::new();
                p.insert("kind", s(n.kind.as_str()));
                p.insert("label", s(n.label()));
                put_list(
                    &mut p,
                    "aliases",
                    n.other_names().map(String::from).collect(),
                );
                let a = n.attrs();
                put_opt(&mut p, "level", &a.level);
                put_opt(&mut p, "parent", &a.parent);
                put_opt(&mut p, "code", &a.code);
                put_opt(&mut p, "doc_type", &a.doc_type);
                put_opt(&mut p, "number", &a.number);
                put_opt(&mut p, "issuer", &a.issuer);
                put_opt(&mut p, "date", &a.date);
                put_opt(&mut p, "subject", &a.subject);
                put_opt(&mut p, "meeting_type", &a.meeting_type);
                put_opt(&mut p, "place", &a.place);
                put_opt(&mut p, "org_type", &a.org_type);
                if let Some(x) = g.namesake(n) {
                    put_list(
                        &mut p,
                        "same_name_as",
                        x.same_name_as(n.id()).map(String::from).collect(),
                    );
                }
                let mentions = g.mentions(n);
                p.insert("mentions", PropValue::Int(mentions.len() as i64));
                let docs: BTreeSet<&str> = mentions.iter().map(|m| m.doc).collect();
                put_list(
                    &mut p,
                    "documents",
                    docs.into_iter().map(String::from).collect(),
                );
                if let Some(c) = mentions.iter().map(|m| m.confidence).reduce(f32::max) {
                    p.insert("confidence", PropValue::Float(float_of(c)));
                }
                PropNode {
                    id: n.id().to_string(),
                    kind: n.kind.as_str().to_string(),
                    props: p,
                }
            })
            .collect();
        let edges = g
            .edges()
            .into_iter()
            .map(|(a, b, e)| {
                let mut p = BTreeMap::new();
                p.insert("kind", s(e.kind.as_str()));
                put_opt(&mut p, "title", &g.title(e).map(String::from));
                put_list(
                    &mut p,
                    "dates",
                    g.dates(e).into_iter().map(String::from).collect(),
                );
                let evidence = g.evidence(e);
                p.insert("weight", PropValue::Int(evidence.len().max(1) as i64));
                let docs: BTreeSet<&str> = evidence.iter().map(|v| v.doc).collect();
                put_list(
                    &mut p,
                    "documents",
                    docs.into_iter().map(String::from).collect(),
                );
                match mode {
                    EvidenceMode::Text => put_list(
                        &mut p,
                        "evidence",
                        evidence.iter().map(|v| v.text.to_string()).collect(),
                    ),
                    EvidenceMode::Span => {
                        let mut spans: Vec<(&str, usize, usize)> =
                            evidence.iter().map(|v| (v.doc, v.start, v.end)).collect();
                        spans.dedup();
                        if !spans.is_empty() {
                            p.insert(
                                "evidence_documents",
                                PropValue::StringList(
                                    spans.iter().map(|v| v.0.to_string()).collect(),
                                ),
                            );
                            p.insert(
                                "evidence_starts",
                                PropValue::IntList(spans.iter().map(|v| v.1 as i64).collect()),
                            );
                            p.insert(
                                "evidence_ends",
                                PropValue::IntList(spans.iter().map(|v| v.2 as i64).collect()),
                            );
                        }
                    }
                    EvidenceMode::None => {}
                }
                PropEdge {
                    source: a.id().to_string(),
                    target: b.id().to_string(),
                    kind: e.kind.as_str().to_string(),
                    props: p,
                }
            })
            .collect();
        PropertyGraph {
            directed: true,
            graph_props,
            graph_keys: GRAPH_KEYS.to_vec(),
            node_keys: NODE_KEYS.to_vec(),
            edge_keys: EDGE_KEYS
                .iter()
                .chain(evidence_keys(mode))
                .copied()
                .collect(),
            nodes,
            edges,
        }
    }
}

impl From<&CoAttendance> for PropertyGraph {
    fn from(co: &CoAttendance) -> PropertyGraph {
        let mut graph_props = BTreeMap::new();
        graph_props.insert("generator", generator());
        put_list(
            &mut graph_props,
            "documents",
            co.documents.iter().map(|d| d.id.clone()).collect(),
        );
        graph_props.insert("projection", s("co-attendance"));
        let nodes = co
            .people
            .iter()
            .map(|n| {
                let mut p = BTreeMap::new();
                p.insert("kind", s(n.kind.as_str()));
                p.insert("label", s(&n.label));
                put_list(&mut p, "aliases", n.aliases.iter().cloned().collect());
                p.insert("meetings", PropValue::Int(n.meetings as i64));
                PropNode {
                    id: n.id.clone(),
                    kind: n.kind.as_str().to_string(),
                    props: p,
                }
            })
            .collect();
        let edges = co
            .edges
            .iter()
            .map(|e| {
                let mut p = BTreeMap::new();
                p.insert("kind", s(CoAttendance::EDGE_KIND));
                p.insert("weight", PropValue::Int(e.weight as i64));
                put_list(&mut p, "meetings", e.meetings.clone());
                put_list(&mut p, "dates", e.dates.clone());
                PropEdge {
                    source: e.source.clone(),
                    target: e.target.clone(),
                    kind: CoAttendance::EDGE_KIND.to_string(),
                    props: p,
                }
            })
            .collect();
        PropertyGraph {
            directed: false,
            graph_props,
            graph_keys: GRAPH_KEYS.to_vec(),
            node_keys: CO_NODE_KEYS.to_vec(),
            edge_keys: CO_EDGE_KEYS.to_vec(),
            nodes,
            edges,
        }
    }
}
