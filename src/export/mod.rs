//! Stage 7: writing the graph in the formats people use.
//!
//! | format | for | writer |
//! |---|---|---|
//! | `json` | networkx and scripts: node-link, the contract | [`write_json`] |
//! | `dot` | Graphviz (`dot`, `sfdp`, `neato`) | [`write_dot`] |
//! | `graphml` | Gephi, yEd, Cytoscape, `networkx.read_graphml` | [`write_graphml`] |
//! | `neo4j` | `neo4j-admin database import full` (a folder of two CSV files) | [`write_neo4j_dir`] |
//! | `jsonl` | streaming: one article per line | [`write_extraction`], [`write_jsonl`] |
//!
//! Each also writes the co-attendance projection ([`crate::query::co_attendance`]); [`write()`]
//! picks the writer for a [`Format`] and an [`Output`]. Every writer takes any
//! [`std::io::Write`] and returns I/O errors instead of panicking. Output is deterministic:
//! nodes, edges, mentions and evidence are sorted.
//!
//! ```
//! use partygraph::export::{self, Format, Output};
//! use partygraph::{Extractor, KnowledgeGraph};
//! let ex = Extractor::new().unwrap();
//! let mut g = KnowledgeGraph::new();
//! g.add(ex.extract_str("a", "Bộ Chính trị họp."));
//! for format in [Format::Json, Format::Dot, Format::Graphml, Format::Jsonl] {
//!     let mut out = Vec::new();
//!     export::write(Output::Graph(&g), format, &Default::default(), &mut out).unwrap();
//!     assert!(!out.is_empty());
//! }
//! ```

mod dot;
mod graphml;
pub(crate) mod json;
mod jsonl;
mod jsonw;
mod model;
mod neo4j;
mod projection;

pub use dot::{
    DotOptions, Layout, dot_quote, render_co_attendance_dot, render_dot, write_co_attendance_dot,
    write_dot,
};
pub use graphml::{render_graphml, write_graphml, xml_escape};
pub use json::{
    EvidenceItem, GraphMeta, JsonEdge, JsonNode, JsonSentence, NodeLink, from_node_link, node_link,
    node_link_with, read_json, write_json, write_json_with,
};
pub use jsonl::{
    GraphFile, LineRecord, LineRelation, ReadError, extractions_of, read_extraction, read_graph,
    write_extraction, write_extraction_with, write_jsonl, write_jsonl_with,
};
pub use model::{PropEdge, PropKey, PropNode, PropType, PropValue, PropertyGraph};
pub use neo4j::{ARRAY_DELIMITER, csv_field, write_neo4j_csv, write_neo4j_dir};
pub use projection::{
    CoMeta, CoNodeLink, co_attendance_node_link, write_co_attendance_json,
    write_co_attendance_jsonl,
};

use crate::graph::KnowledgeGraph;
use crate::query::CoAttendance;
use std::io::{self, Write};
use std::path::Path;

/// An output format.
///
/// ```
/// use partygraph::export::Format;
/// assert_eq!("graphml".parse::<Format>(), Ok(Format::Graphml));
/// assert_eq!(Format::Neo4j.as_str(), "neo4j");
/// assert!(Format::Neo4j.is_folder());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// networkx node-link JSON.
    Json,
    /// Graphviz DOT.
    Dot,
    /// GraphML.
    Graphml,
    /// Neo4j CSV import files (a folder).
    Neo4j,
    /// JSON Lines, one article per line.
    Jsonl,
}

impl Format {
    /// Every format.
    pub const ALL: [Format; 5] = [
        Format::Json,
        Format::Dot,
        Format::Graphml,
        Format::Neo4j,
        Format::Jsonl,
    ];

    /// Its name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Dot => "dot",
            Format::Graphml => "graphml",
            Format::Neo4j => "neo4j",
            Format::Jsonl => "jsonl",
        }
    }

    /// True when the output is a folder of files rather than one stream.
    pub fn is_folder(self) -> bool {
        self == Format::Neo4j
    }
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Format::ALL
            .into_iter()
            .find(|f| f.as_str() == s.trim())
            .ok_or_else(|| {
                format!("unknown format {s:?} (expected json, dot, graphml, neo4j or jsonl)")
            })
    }
}

/// How much of each fact's evidence the JSON and JSON Lines outputs carry (`--evidence`).
///
/// ```
/// use partygraph::export::EvidenceMode;
/// assert_eq!("span".parse::<EvidenceMode>(), Ok(EvidenceMode::Span));
/// assert_eq!(EvidenceMode::default(), EvidenceMode::Text);
/// assert!("all".parse::<EvidenceMode>().unwrap_err().contains("text, span or none"));
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum EvidenceMode {
    /// Each sentence, with its document, offsets and text (in JSON, once in
    /// `graph.sentences`).
    #[default]
    Text,
    /// Document and offsets only: the text is read back from the articles (`show`, and
    /// `merge` into a format that needs it) when they are at hand.
    Span,
    /// No evidence: the facts alone.
    None,
}

impl EvidenceMode {
    /// Every mode.
    pub const ALL: [EvidenceMode; 3] = [EvidenceMode::Text, EvidenceMode::Span, EvidenceMode::None];

    /// Its name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            EvidenceMode::Text => "text",
            EvidenceMode::Span => "span",
            EvidenceMode::None => "none",
        }
    }
}

impl std::str::FromStr for EvidenceMode {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EvidenceMode::ALL
            .into_iter()
            .find(|m| m.as_str() == s.trim())
            .ok_or_else(|| format!("unknown evidence mode {s:?} (expected text, span or none)"))
    }
}

/// How [`write()`] writes: the DOT layout and how much evidence each fact carries.
#[derive(Debug, Clone, Default)]
pub struct WriteOptions {
    /// For DOT (its `evidence` is replaced by the one below).
    pub dot: DotOptions,
    /// For every format of the knowledge graph: the sentences, where they are, or none (in
    /// GraphML and Neo4j CSV, see [`PropertyGraph::with_evidence`]; in DOT, the edges'
    /// tooltips). The co-attendance projection has no evidence.
    pub evidence: EvidenceMode,
}

/// What to write: the knowledge graph or its co-attendance projection.
#[derive(Debug, Clone, Copy)]
pub enum Output<'a> {
    /// The knowledge graph.
    Graph(&'a KnowledgeGraph),
    /// The person–person co-attendance projection.
    CoAttendance(&'a CoAttendance),
}

/// Writes `out` in `format` to one stream. [`Format::Neo4j`] is two files: use
/// [`write_neo4j_dir`] or [`write_neo4j_csv`]; here it is an `InvalidInput` error.
pub fn write(
    out: Output<'_>,
    format: Format,
    options: &WriteOptions,
    w: &mut dyn Write,
) -> io::Result<()> {
    let dot = &DotOptions {
        evidence: options.evidence,
        ..options.dot.clone()
    };
    match (format, out) {
        (Format::Json, Output::Graph(g)) => write_json_with(g, options.evidence, w),
        (Format::Json, Output::CoAttendance(c)) => write_co_attendance_json(c, w),
        (Format::Dot, Output::Graph(g)) => write_dot(g, dot, w),
        (Format::Dot, Output::CoAttendance(c)) => write_co_attendance_dot(c, dot, w),
        (Format::Graphml, Output::Graph(g)) => {
            write_graphml(PropertyGraph::with_evidence(g, options.evidence), w)
        }
        (Format::Graphml, Output::CoAttendance(c)) => write_graphml(c, w),
        (Format::Jsonl, Output::Graph(g)) => write_jsonl_with(g, options.evidence, w),
        (Format::Jsonl, Output::CoAttendance(c)) => write_co_attendance_jsonl(c, w),
        (Format::Neo4j, _) => Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "neo4j output is a folder of two files; give one with -o DIR",
        )),
    }
}

/// Writes `out` as Neo4j CSV into the folder `dir` (see [`write_neo4j_dir`]), with every
/// evidence sentence.
pub fn write_neo4j(out: Output<'_>, dir: &Path) -> io::Result<()> {
    write_neo4j_with(out, EvidenceMode::Text, dir)
}

/// Writes `out` as Neo4j CSV into the folder `dir`, with the evidence as `evidence` says (see
/// [`PropertyGraph::with_evidence`]).
///
/// ```
/// use partygraph::export::{write_neo4j_with, EvidenceMode, Output};
/// use partygraph::{Extractor, KnowledgeGraph};
/// let mut g = KnowledgeGraph::new();
/// g.add(Extractor::new().unwrap().extract_str("a", "Bí thư Tỉnh ủy Nghệ An Nguyễn Văn A chủ trì hội nghị."));
/// let dir = std::env::temp_dir().join(format!("partygraph-doc-neo4j-span-{}", std::process::id()));
/// write_neo4j_with(Output::Graph(&g), EvidenceMode::Span, &dir).unwrap();
/// let rels = std::fs::read_to_string(dir.join("relationships.csv")).unwrap();
/// assert!(rels.lines().next().unwrap().ends_with("evidence_documents:string[],evidence_starts:int[],evidence_ends:int[]"));
/// # std::fs::remove_dir_all(&dir).unwrap();
/// ```
pub fn write_neo4j_with(out: Output<'_>, evidence: EvidenceMode, dir: &Path) -> io::Result<()> {
    match out {
        Output::Graph(g) => write_neo4j_dir(PropertyGraph::with_evidence(g, evidence), dir),
        Output::CoAttendance(c) => write_neo4j_dir(c, dir),
    }
}

/// The temporary file (or folder) an output is written to before it is renamed into place:
/// hidden, beside it (a rename within one folder is atomic), named for this process.
///
/// ```
/// use std::path::Path;
/// let t = partygraph::export::temp_beside(Path::new("out/graph.json"));
/// assert_eq!(t.parent(), Some(Path::new("out")));
/// assert!(t.file_name().unwrap().to_string_lossy().starts_with(".graph.json.partygraph-"));
/// ```
pub fn temp_beside(path: &std::path::Path) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "output".into());
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(std::path::Path::new("."));
    dir.join(format!(".{name}.partygraph-{}.tmp", std::process::id()))
}
