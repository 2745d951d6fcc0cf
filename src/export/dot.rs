//! Graphviz DOT, written with dot-writer.
//!
//! dot-writer 0.1.4 writes IDs and attribute values raw (no escaping) and panics when a write
//! fails. So every ID and label is quoted and escaped here, the graph is rendered into a buffer
//! (a `Vec<u8>` never fails), and the buffer is written to the caller's writer with errors
//! returned, not panicked on.

use crate::graph::KnowledgeGraph;
use crate::types::{EntityKind, RelationKind};
use dot_writer::{Attributes, DotWriter};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Layout engine hint written as the graph's `layout` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// Hierarchical (Graphviz `dot`).
    #[default]
    Dot,
    /// Force-directed for large graphs.
    Sfdp,
    /// Spring model.
    Neato,
}

impl Layout {
    fn as_str(self) -> &'static str {
        match self {
            Layout::Dot => "dot",
            Layout::Sfdp => "sfdp",
            Layout::Neato => "neato",
        }
    }
}

/// Options for DOT output.
#[derive(Debug, Clone, Default)]
pub struct DotOptions {
    /// The layout hint.
    pub layout: Layout,
    /// Leave out the legend.
    pub no_legend: bool,
}

/// Quotes and escapes a string for DOT: `"` and `\` escaped, line breaks turned into the
/// centred line break `\n` that layout engines read.
///
/// ```
/// assert_eq!(partygraph::export::dot_quote("a \"b\" \\ c\nd"), r#""a \"b\" \\ c\nd""#);
/// ```
pub fn dot_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Breaks a label into lines of about `width` characters at spaces.
fn wrap(s: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for w in s.split_whitespace() {
        let n = w.chars().count();
        if line > 0 && line + 1 + n > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(w);
        line += n;
    }
    out
}

fn node_style(kind: EntityKind) -> (&'static str, &'static str) {
    match kind {
        EntityKind::Person => ("ellipse", "#cfe2ff"),
        EntityKind::Committee => ("box", "#ffd6d6"),
        EntityKind::Resolution => ("note", "#fff3bf"),
        EntityKind::Meeting => ("octagon", "#d3f9d8"),
        EntityKind::Organization => ("component", "#e9ecef"),
        EntityKind::Place => ("house", "#f3e8ff"),
        EntityKind::Document => ("tab", "#ffffff"),
    }
}

fn edge_style(kind: RelationKind) -> (&'static str, &'static str) {
    match kind {
        RelationKind::Chairs => ("#c92a2a", "bold"),
        RelationKind::Attends => ("#495057", "solid"),
        RelationKind::SpeaksAt => ("#1971c2", "solid"),
        RelationKind::Organizes => ("#2b8a3e", "bold"),
        RelationKind::References => ("#e67700", "dashed"),
        RelationKind::HoldsPosition => ("#862e9c", "solid"),
        RelationKind::IssuedBy => ("#e67700", "dotted"),
        RelationKind::PartOf => ("#868e96", "dotted"),
        RelationKind::Authored => ("#868e96", "dashed"),
    }
}

/// Renders the graph as DOT into a string.
pub fn render_dot(graph: &KnowledgeGraph, opts: &DotOptions) -> String {
    let mut g = graph.clone();
    g.canonicalize();
    let mut buf: Vec<u8> = Vec::new();
    {
        let mut w = DotWriter::from(&mut buf);
        w.set_pretty_print(true);
        let mut d = w.digraph();
        d.graph_attributes()
            .set("charset", &dot_quote("UTF-8"), false)
            .set("layout", &dot_quote(opts.layout.as_str()), false)
            .set("rankdir", &dot_quote("LR"), false)
            .set("overlap", &dot_quote("false"), false)
            .set("fontname", &dot_quote("Helvetica"), false);
        d.node_attributes()
            .set("style", &dot_quote("filled"), false)
            .set("fontname", &dot_quote("Helvetica"), false)
            .set("fontsize", "10", false);
        d.edge_attributes()
            .set("fontname", &dot_quote("Helvetica"), false)
            .set("fontsize", "8", false);
        for n in g.nodes() {
            let (shape, fill) = node_style(n.kind);
            let mut label = wrap(&n.label, 24);
            if n.kind == EntityKind::Meeting {
                if let Some(date) = &n.attrs.date {
                    label.push('\n');
                    label.push_str(date);
                }
            }
            if n.kind == EntityKind::Resolution {
                if let Some(code) = &n.attrs.code {
                    if !n.label.contains(code.as_str()) {
                        label.push('\n');
                        label.push_str(code);
                    }
                }
            }
            d.node_named(dot_quote(&n.id))
                .set("label", &dot_quote(&label), false)
                .set("shape", &dot_quote(shape), false)
                .set("fillcolor", &dot_quote(fill), false)
                .set("kind", &dot_quote(n.kind.as_str()), false);
        }
        // Parallel facts of one kind between the same pair are drawn once, with a count.
        let mut grouped: BTreeMap<(String, String, RelationKind), (usize, Vec<String>)> =
            BTreeMap::new();
        for (s, t, e) in g.edges() {
            let entry = grouped
                .entry((s.id.clone(), t.id.clone(), e.kind))
                .or_insert((0, Vec::new()));
            entry.0 += e.evidence.len().max(1);
            if let Some(title) = &e.title {
                entry.1.push(title.clone());
            }
        }
        for ((s, t, kind), (count, titles)) in grouped {
            let (color, style) = edge_style(kind);
            let mut label = kind.as_str().replace('_', " ");
            if !titles.is_empty() {
                label = wrap(&titles.join("; "), 28);
            }
            if count > 1 {
                label.push_str(&format!(" ×{count}"));
            }
            let width = format!("{:.1}", 1.0 + (count as f32).ln().min(3.0));
            d.edge(dot_quote(&s), dot_quote(&t))
                .attributes()
                .set("label", &dot_quote(&label), false)
                .set("color", &dot_quote(color), false)
                .set("fontcolor", &dot_quote(color), false)
                .set("style", &dot_quote(style), false)
                .set("penwidth", &width, false)
                .set("kind", &dot_quote(kind.as_str()), false)
                .set("count", &count.to_string(), false);
        }
        if !opts.no_legend {
            let mut c = d.cluster();
            c.graph_attributes()
                .set("label", &dot_quote("Legend"), false)
                .set("style", &dot_quote("rounded"), false)
                .set("color", &dot_quote("#adb5bd"), false);
            for k in [
                EntityKind::Person,
                EntityKind::Committee,
                EntityKind::Resolution,
                EntityKind::Meeting,
                EntityKind::Organization,
                EntityKind::Place,
            ] {
                let (shape, fill) = node_style(k);
                c.node_named(dot_quote(&format!("legend:{}", k.as_str())))
                    .set("label", &dot_quote(k.as_str()), false)
                    .set("shape", &dot_quote(shape), false)
                    .set("fillcolor", &dot_quote(fill), false);
            }
        }
    }
    String::from_utf8(buf).unwrap_or_default()
}

/// Writes the graph as DOT.
pub fn write_dot<W: Write>(graph: &KnowledgeGraph, opts: &DotOptions, mut w: W) -> io::Result<()> {
    let s = render_dot(graph, opts);
    w.write_all(s.as_bytes())?;
    if !s.ends_with('\n') {
        w.write_all(b"\n")?;
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting() {
        assert_eq!(dot_quote("Ban Chấp hành"), "\"Ban Chấp hành\"");
        assert_eq!(dot_quote("a\\nb"), "\"a\\\\nb\"");
        assert_eq!(dot_quote("<x>{y}"), "\"<x>{y}\"");
    }

    #[test]
    fn wraps() {
        assert_eq!(wrap("Đảng ủy Tập đoàn Công nghiệp Than", 16), "Đảng ủy Tập đoàn\nCông nghiệp Than");
    }
}
