//! Stage 6: the knowledge graph — one node per real entity across all articles.
//!
//! A [`KnowledgeGraph`] is a petgraph `StableDiGraph` (a directed multigraph) of typed [`Node`]s
//! and [`Edge`]s, indexed by stable node ID. Articles are merged in as [`Extraction`]s: a node
//! with a known ID absorbs the new aliases, attributes and mentions; an edge with the same source,
//! target, kind and title absorbs the new evidence. Merging is order-independent: the same
//! extractions in any order give the same graph.

use crate::extraction::{
    Attributes, DocumentInfo, EntityRecord, Extraction, Mention, RelationRecord,
};
use crate::types::{EntityKind, Evidence, RelationKind};
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A node: one person, committee, resolution, meeting, organization or place.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Node {
    /// Stable ID: `kind:ascii-slug`.
    pub id: String,
    /// Its kind.
    pub kind: EntityKind,
    /// The display name.
    pub label: String,
    /// Every other name it was found under.
    pub aliases: BTreeSet<String>,
    /// Kind-specific attributes.
    pub attrs: Attributes,
    /// Every place it is named, in (document, offset) order.
    pub mentions: Vec<Mention>,
}

/// An edge: one fact, with the evidence of every article that states it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    /// What the edge says.
    pub kind: RelationKind,
    /// For `holds_position`: the office.
    pub title: Option<String>,
    /// Dates the fact holds at (from meetings or articles), sorted.
    pub dates: BTreeSet<String>,
    /// The sentences it was read from, in (document, offset) order.
    pub evidence: Vec<Evidence>,
}

type EdgeKey = (NodeIndex, NodeIndex, RelationKind, Option<String>);

/// The merged graph of a corpus.
///
/// ```
/// use partygraph::{Extractor, KnowledgeGraph};
/// let ex = Extractor::new().unwrap();
/// let mut g = KnowledgeGraph::new();
/// g.add(ex.extract_str("a", "Hội nghị của Bộ Chính trị."));
/// g.add(ex.extract_str("b", "Bộ Chính trị họp."));
/// let n = g.node("committee:bo-chinh-tri").unwrap();
/// assert_eq!(n.mentions.len(), 2);
/// ```
#[derive(Debug, Clone, Default)]
pub struct KnowledgeGraph {
    graph: StableDiGraph<Node, Edge>,
    index: HashMap<String, NodeIndex>,
    edge_index: HashMap<EdgeKey, EdgeIndex>,
    documents: BTreeMap<String, DocumentInfo>,
}

/// Prefers the longer name, then the smaller string: independent of merge order.
fn better_label(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    la > lb || (la == lb && a < b)
}

impl KnowledgeGraph {
    /// An empty graph.
    pub fn new() -> KnowledgeGraph {
        KnowledgeGraph::default()
    }

    /// Merges one article's extraction.
    pub fn add(&mut self, ex: Extraction) {
        self.add_document(ex.document);
        self.add_facts(ex.entities, ex.relations);
    }

    /// Records an article without facts (it may have none).
    pub fn add_document(&mut self, d: DocumentInfo) {
        self.documents.insert(d.id.clone(), d);
    }

    /// Merges entities and relations; relations whose ends are unknown are dropped.
    pub fn add_facts(&mut self, entities: Vec<EntityRecord>, relations: Vec<RelationRecord>) {
        for e in entities {
            let idx = self.ensure_node(&e.id, e.kind, &e.label);
            let node = &mut self.graph[idx];
            if node.label != e.label {
                if better_label(&e.label, &node.label) {
                    let old = std::mem::replace(&mut node.label, e.label);
                    node.aliases.insert(old);
                } else {
                    node.aliases.insert(e.label);
                }
            }
            let label = node.label.clone();
            node.aliases
                .extend(e.aliases.into_iter().filter(|a| *a != label));
            node.attrs.merge(&e.attrs);
            node.mentions.extend(e.mentions);
        }
        for r in relations {
            let (Some(&s), Some(&t)) = (self.index.get(&r.source), self.index.get(&r.target))
            else {
                continue;
            };
            let key = (s, t, r.kind, r.title.clone());
            let ei = match self.edge_index.get(&key) {
                Some(&ei) => ei,
                None => {
                    let ei = self.graph.add_edge(
                        s,
                        t,
                        Edge {
                            kind: r.kind,
                            title: r.title,
                            dates: BTreeSet::new(),
                            evidence: Vec::new(),
                        },
                    );
                    self.edge_index.insert(key, ei);
                    ei
                }
            };
            let edge = &mut self.graph[ei];
            if let Some(d) = r.date {
                edge.dates.insert(d);
            }
            edge.evidence.push(r.evidence);
        }
    }

    /// Merges another graph into this one.
    pub fn merge(&mut self, other: KnowledgeGraph) {
        for (_, d) in other.documents {
            self.documents.insert(d.id.clone(), d);
        }
        for n in other.graph.node_weights() {
            let idx = self.ensure_node(&n.id, n.kind, &n.label);
            let node = &mut self.graph[idx];
            if node.label != n.label {
                if better_label(&n.label, &node.label) {
                    let old = std::mem::replace(&mut node.label, n.label.clone());
                    node.aliases.insert(old);
                } else {
                    node.aliases.insert(n.label.clone());
                }
            }
            let label = node.label.clone();
            node.aliases
                .extend(n.aliases.iter().filter(|a| **a != label).cloned());
            node.attrs.merge(&n.attrs);
            node.mentions.extend(n.mentions.iter().cloned());
        }
        for e in other.graph.edge_references() {
            let (s, t) = (&other.graph[e.source()].id, &other.graph[e.target()].id);
            let (s, t) = (self.index[s], self.index[t]);
            let w = e.weight();
            let key = (s, t, w.kind, w.title.clone());
            match self.edge_index.get(&key) {
                Some(&ei) => {
                    let edge = &mut self.graph[ei];
                    edge.dates.extend(w.dates.iter().cloned());
                    edge.evidence.extend(w.evidence.iter().cloned());
                }
                None => {
                    let ei = self.graph.add_edge(s, t, w.clone());
                    self.edge_index.insert(key, ei);
                }
            }
        }
    }

    fn ensure_node(&mut self, id: &str, kind: EntityKind, label: &str) -> NodeIndex {
        if let Some(&i) = self.index.get(id) {
            return i;
        }
        let i = self.graph.add_node(Node {
            id: id.to_string(),
            kind,
            label: label.to_string(),
            aliases: BTreeSet::new(),
            attrs: Attributes::default(),
            mentions: Vec::new(),
        });
        self.index.insert(id.to_string(), i);
        i
    }

    /// Sorts mentions, evidence and aliases so output does not depend on merge order. Call
    /// before exporting; exporters call it on a copy when needed.
    pub fn canonicalize(&mut self) {
        let idx: Vec<NodeIndex> = self.graph.node_indices().collect();
        for i in idx {
            let n = &mut self.graph[i];
            n.mentions
                .sort_by(|a, b| (&a.doc, a.start, a.end).cmp(&(&b.doc, b.start, b.end)));
            n.mentions
                .dedup_by(|a, b| a.doc == b.doc && a.start == b.start && a.end == b.end);
            let label = n.label.clone();
            n.aliases.remove(&label);
        }
        let eidx: Vec<EdgeIndex> = self.graph.edge_indices().collect();
        for i in eidx {
            let e = &mut self.graph[i];
            e.evidence.sort();
            e.evidence.dedup();
        }
    }

    /// A node by ID.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.index.get(id).map(|&i| &self.graph[i])
    }

    /// Every node, sorted by ID.
    pub fn nodes(&self) -> Vec<&Node> {
        let mut v: Vec<&Node> = self.graph.node_weights().collect();
        v.sort_by(|a, b| a.id.cmp(&b.id));
        v
    }

    /// Every edge as (source node, target node, edge), sorted by source, target, kind, title.
    pub fn edges(&self) -> Vec<(&Node, &Node, &Edge)> {
        let mut v: Vec<(&Node, &Node, &Edge)> = self
            .graph
            .edge_references()
            .map(|e| (&self.graph[e.source()], &self.graph[e.target()], e.weight()))
            .collect();
        v.sort_by(|a, b| {
            (&a.0.id, &a.1.id, a.2.kind, &a.2.title).cmp(&(&b.0.id, &b.1.id, b.2.kind, &b.2.title))
        });
        v
    }

    /// Edges leaving a node (by ID), sorted like [`edges`](Self::edges).
    pub fn edges_from(&self, id: &str) -> Vec<(&Node, &Node, &Edge)> {
        self.edges().into_iter().filter(|e| e.0.id == id).collect()
    }

    /// Edges entering a node (by ID), sorted like [`edges`](Self::edges).
    pub fn edges_to(&self, id: &str) -> Vec<(&Node, &Node, &Edge)> {
        self.edges().into_iter().filter(|e| e.1.id == id).collect()
    }

    /// The articles merged in, sorted by ID.
    pub fn documents(&self) -> impl Iterator<Item = &DocumentInfo> {
        self.documents.values()
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The underlying petgraph graph, for algorithms.
    pub fn petgraph(&self) -> &StableDiGraph<Node, Edge> {
        &self.graph
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Recognizer;
    use proptest::prelude::*;

    fn ent(doc: &str, id: &str, label: &str, start: usize) -> EntityRecord {
        EntityRecord {
            id: id.into(),
            kind: EntityKind::Person,
            label: label.into(),
            aliases: BTreeSet::new(),
            attrs: Attributes::default(),
            mentions: vec![Mention {
                doc: doc.into(),
                start,
                end: start + label.len(),
                text: label.into(),
                recognizer: Recognizer::PersonContext,
                confidence: 0.9,
                reference_only: false,
            }],
        }
    }

    fn ex(doc: &str, people: &[(&str, &str)]) -> Extraction {
        let entities: Vec<EntityRecord> = people
            .iter()
            .enumerate()
            .map(|(i, (id, l))| ent(doc, id, l, i * 10))
            .collect();
        let relations = people
            .windows(2)
            .map(|w| RelationRecord {
                source: w[0].0.into(),
                target: w[1].0.into(),
                kind: RelationKind::Attends,
                title: None,
                date: None,
                evidence: Evidence {
                    doc: doc.into(),
                    start: 0,
                    end: 1,
                    text: "x".into(),
                },
            })
            .collect();
        Extraction {
            document: DocumentInfo {
                id: doc.into(),
                path: doc.into(),
                date: None,
                title: None,
                authors: vec![],
                bytes: 1,
            },
            entities,
            relations,
        }
    }

    fn snapshot(g: &KnowledgeGraph) -> String {
        let mut g = g.clone();
        g.canonicalize();
        format!("{:?}\n{:?}", g.nodes(), g.edges())
    }

    proptest! {
        #[test]
        fn merge_order_does_not_matter(order in Just(vec![0usize, 1, 2, 3]).prop_shuffle()) {
            let exs = [
                ex("a", &[("person:x", "Lê X"), ("person:y", "Lê Y")]),
                ex("b", &[("person:x", "LÊ X"), ("person:z", "Lê Z")]),
                ex("c", &[("person:y", "Lê Y"), ("person:x", "Lê X")]),
                ex("d", &[("person:z", "Lê Zê"), ("person:y", "Lê Y")]),
            ];
            let mut a = KnowledgeGraph::new();
            for e in &exs { a.add(e.clone()); }
            let mut b = KnowledgeGraph::new();
            for &i in &order { b.add(exs[i].clone()); }
            prop_assert_eq!(snapshot(&a), snapshot(&b));
            prop_assert_eq!(a.node_count(), 3);
        }

        #[test]
        fn merging_graphs_equals_adding_all(split in 0usize..=4) {
            let exs = [
                ex("a", &[("person:x", "Lê X"), ("person:y", "Lê Y")]),
                ex("b", &[("person:x", "LÊ X"), ("person:z", "Lê Z")]),
                ex("c", &[("person:y", "Lê Y"), ("person:x", "Lê X")]),
                ex("d", &[("person:z", "Lê Zê"), ("person:y", "Lê Y")]),
            ];
            let mut all = KnowledgeGraph::new();
            for e in &exs { all.add(e.clone()); }
            let mut left = KnowledgeGraph::new();
            let mut right = KnowledgeGraph::new();
            for (i, e) in exs.iter().enumerate() {
                if i < split { left.add(e.clone()) } else { right.add(e.clone()) }
            }
            left.merge(right);
            prop_assert_eq!(snapshot(&all), snapshot(&left));
        }
    }

    #[test]
    fn parallel_facts_share_an_edge() {
        let mut g = KnowledgeGraph::new();
        g.add(ex("a", &[("person:x", "Lê X"), ("person:y", "Lê Y")]));
        g.add(ex("b", &[("person:x", "Lê X"), ("person:y", "Lê Y")]));
        assert_eq!(g.edge_count(), 1);
        assert_eq!(g.edges()[0].2.evidence.len(), 2);
    }
}
