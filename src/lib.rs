//! partygraph: a knowledge graph of Vietnamese Communist Party work from news articles.
//!
//! The pipeline reads top to bottom, one module per stage:
//!
//! 1. [`text`]: normalize (NFC, case, tone placement, whitespace) with an offset map, and
//!    [`token`]: tokens and sentences (the extractor writes the view and its tokens in one
//!    pass, [`text::Normalized::with_tokens`]);
//! 2. [`gazetteer`] + [`matcher`]: what the bundled lists know, found with one automaton;
//! 3. `recognize`: people, document codes, committees found from context;
//! 4. `resolve`: short forms and aliases to one entity per article;
//! 5. `relate`: meetings, chairs, attendees, speakers, organizers, references, positions;
//! 6. [`graph`]: one node per entity across articles, people told apart by [`identity`];
//! 7. [`export`]: JSON (networkx node-link), Graphviz DOT, GraphML, Neo4j CSV, JSON Lines;
//!    [`query`]: focus filters, one entity's record, corpus figures, co-attendance.
//!
//! ```
//! use partygraph::{Extractor, KnowledgeGraph, export};
//! let ex = Extractor::new().unwrap();
//! let mut graph = KnowledgeGraph::new();
//! graph.add(ex.extract_str("bai-1", "Ban Bí thư và Bộ Chính trị họp tại Hà Nội."));
//! let mut json = Vec::new();
//! export::write_json(&graph, &mut json).unwrap();
//! let v: serde_json::Value = serde_json::from_slice(&json).unwrap();
//! assert_eq!(v["directed"], true);
//! ```

mod article;
pub mod batch;
pub mod corpus;
pub mod export;
pub mod extraction;
pub mod extractor;
pub mod gazetteer;
pub mod graph;
pub mod identity;
pub mod lexicon;
pub mod matcher;
pub mod query;
mod recognize;
mod relate;
mod resolve;
pub mod text;
pub mod token;
pub mod types;

pub use extraction::{Attributes, DocumentInfo, EntityRecord, Extraction, Mention, RelationRecord};
pub use extractor::{Extractor, ExtractorBuilder, FoldMode};
pub use gazetteer::{Gazetteer, GazetteerBuilder, GazetteerError};
pub use graph::{Edge, EvidenceRef, KnowledgeGraph, MentionRef, Node};
pub use matcher::Matcher;
pub use types::{EntityKind, Evidence, Recognizer, RelationKind, Span};

/// The library's version (the crate's), as in the `generator` of every JSON graph.
///
/// ```
/// assert_eq!(partygraph::VERSION, env!("CARGO_PKG_VERSION"));
/// ```
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The README's Rust examples, compiled and run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
