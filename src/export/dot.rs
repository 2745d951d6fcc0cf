//! Graphviz DOT, written with dot-writer, readable by default.
//!
//! Node shape and colour by kind (person, committee, resolution, meeting...), edge colour, style
//! and label by kind, long Vietnamese names wrapped over lines, meetings labelled with their
//! date, resolutions with their code, a legend of the kinds present, `charset="UTF-8"`, and the
//! `--layout` hint as the graph's `layout` attribute. Facts of one kind between the same pair are
//! drawn once, with the number of times they are stated (label `×N`, thicker line). In SVG every
//! node carries its ID as `id` and a tooltip with its aliases; every edge a tooltip with its
//! first evidence sentence.
//!
//! dot-writer 0.1.4 writes IDs and attribute values raw (no escaping), strips whitespace inside
//! quoted IDs when pretty printing is off, and panics when a write fails. So pretty printing
//! stays on, every ID and label is quoted and escaped here ([`dot_quote`]), the graph is rendered
//! into a buffer (a `Vec<u8>` never fails), and the buffer is written to the caller's writer with
//! errors returned, not panicked on.

use super::EvidenceMode;
use crate::graph::KnowledgeGraph;
use crate::query::CoAttendance;
use crate::types::{EntityKind, RelationKind};
use dot_writer::{Attributes, DotWriter, Scope};
use std::collections::{BTreeMap, BTreeSet};
use std::io::{self, Write};

/// Layout engine hint written as the graph's `layout` attribute (Graphviz then uses that engine
/// whichever command renders the file).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    /// Hierarchical, left to right (Graphviz `dot`): best for small graphs.
    #[default]
    Dot,
    /// Force-directed, multiscale (Graphviz `sfdp`): for graphs of hundreds of nodes and more.
    Sfdp,
    /// Spring model (Graphviz `neato`): for medium graphs.
    Neato,
}

impl Layout {
    /// The Graphviz engine name.
    ///
    /// ```
    /// assert_eq!(partygraph::export::Layout::Sfdp.as_str(), "sfdp");
    /// ```
    pub fn as_str(self) -> &'static str {
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
    /// What an edge's tooltip shows of its first evidence: the sentence
    /// ([`EvidenceMode::Text`], the default), its article and byte offsets (`Span`), or
    /// nothing but the kind of fact (`None`).
    pub evidence: EvidenceMode,
}

/// Quotes and escapes a string for DOT: `"` and `\` escaped (so no `\N`, `\l`... escape of the
/// layout engines can be injected), line breaks turned into the centred line break `\n`, other
/// control characters into spaces.
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

/// Breaks each line of a label into lines of about `width` characters at spaces; existing line
/// breaks are kept.
fn wrap(s: &str, width: usize) -> String {
    let mut out = String::new();
    for (i, para) in s.lines().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let mut line = 0;
        for w in para.split_whitespace() {
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
    }
    out
}

/// Node labels longer than this are cut (the whole name is in the tooltip).
const MAX_LABEL: usize = 90;

/// `s` as it is when it has at most `max` characters; else cut, on one line, with `…`.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        truncate(s, max)
    }
}

/// At most `max` characters, with `…` when cut.
fn truncate(s: &str, max: usize) -> String {
    let flat = s.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let mut t: String = flat.chars().take(max).collect();
        t.push('…');
        t
    }
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

/// Line width for a fact stated `count` times: 1 for once, growing slowly, at most 4.
fn penwidth(count: usize) -> String {
    format!("{:.1}", 1.0 + (count.max(1) as f32).ln().min(3.0))
}

fn graph_attributes(d: &mut Scope<'_, '_>, layout: Layout) {
    {
        let mut a = d.graph_attributes();
        a.set("charset", &dot_quote("UTF-8"), false)
            .set("layout", &dot_quote(layout.as_str()), false)
            .set("fontname", &dot_quote("Helvetica"), false)
            .set("fontsize", "10", false);
        match layout {
            Layout::Dot => {
                a.set("rankdir", &dot_quote("LR"), false)
                    .set("nodesep", "0.3", false)
                    .set("ranksep", "0.8", false);
            }
            Layout::Sfdp | Layout::Neato => {
                // Large graphs: no overlapping nodes, edges under the nodes.
                a.set("overlap", &dot_quote("prism"), false)
                    .set("outputorder", &dot_quote("edgesfirst"), false)
                    .set("sep", &dot_quote("+6"), false);
            }
        }
    }
    d.node_attributes()
        .set("style", &dot_quote("filled"), false)
        .set("fontname", &dot_quote("Helvetica"), false)
        .set("fontsize", "10", false);
    d.edge_attributes()
        .set("fontname", &dot_quote("Helvetica"), false)
        .set("fontsize", "8", false);
}

/// Renders the graph as DOT into a string.
///
/// ```
/// use partygraph::export::{render_dot, DotOptions};
/// let dot = render_dot(&partygraph::KnowledgeGraph::new(), &DotOptions::default());
/// assert!(dot.starts_with("digraph {"));
/// assert!(dot.contains("charset=\"UTF-8\""));
/// ```
pub fn render_dot(graph: &KnowledgeGraph, opts: &DotOptions) -> String {
    let g = graph;
    let mut buf: Vec<u8> = Vec::new();
    {
        let mut w = DotWriter::from(&mut buf);
        w.set_pretty_print(true);
        let mut d = w.digraph();
        graph_attributes(&mut d, opts.layout);
        let mut node_kinds = BTreeSet::new();
        for n in g.nodes() {
            node_kinds.insert(n.kind);
            let (shape, fill) = node_style(n.kind);
            let mut label = wrap(&shorten(n.label(), MAX_LABEL), 24);
            if let (EntityKind::Meeting, Some(date)) = (n.kind, &n.attrs().date) {
                label.push('\n');
                label.push_str(date);
            }
            if let (EntityKind::Resolution, Some(code)) = (n.kind, &n.attrs().code)
                && !n.label().contains(code.as_str())
            {
                label.push('\n');
                label.push_str(code);
            }
            let mut tooltip = format!("{} ({})", n.label(), n.id());
            let aliases: Vec<&str> = n.other_names().take(8).collect();
            if !aliases.is_empty() {
                tooltip.push_str(&format!("\nalso: {}", aliases.join("; ")));
            }
            d.node_named(dot_quote(n.id()))
                .set("id", &dot_quote(n.id()), false)
                .set("label", &dot_quote(&label), false)
                .set("shape", &dot_quote(shape), false)
                .set("fillcolor", &dot_quote(fill), false)
                .set("tooltip", &dot_quote(&truncate(&tooltip, 300)), false);
        }
        // Facts of one kind between the same pair are drawn once, with a count.
        struct Group {
            count: usize,
            titles: Vec<String>,
            /// What the tooltip shows of the first evidence (as `opts.evidence` says).
            first_evidence: Option<String>,
        }
        let mut grouped: BTreeMap<(String, String, RelationKind), Group> = BTreeMap::new();
        for (s, t, e) in g.edges() {
            let entry = grouped
                .entry((s.id().to_string(), t.id().to_string(), e.kind))
                .or_insert(Group {
                    count: 0,
                    titles: Vec::new(),
                    first_evidence: None,
                });
            let evidence = g.evidence(e);
            entry.count += evidence.len().max(1);
            if let Some(title) = g.title(e) {
                entry.titles.push(title.to_string());
            }
            if entry.first_evidence.is_none() {
                entry.first_evidence = evidence.first().and_then(|v| match opts.evidence {
                    EvidenceMode::Text => Some(v.text.to_string()),
                    EvidenceMode::Span => Some(format!("{}, bytes {}–{}", v.doc, v.start, v.end)),
                    EvidenceMode::None => None,
                });
            }
        }
        let mut edge_kinds = BTreeSet::new();
        for ((s, t, kind), group) in grouped {
            edge_kinds.insert(kind);
            let (color, style) = edge_style(kind);
            let mut label = kind.as_str().replace('_', " ");
            if !group.titles.is_empty() {
                label = wrap(&group.titles.join("; "), 28);
            }
            if group.count > 1 {
                label.push_str(&format!(" ×{}", group.count));
            }
            let tooltip = match &group.first_evidence {
                Some(text) => format!("{}: {}", kind.as_str(), truncate(text, 300)),
                None => kind.as_str().to_string(),
            };
            d.edge(dot_quote(&s), dot_quote(&t))
                .attributes()
                .set("label", &dot_quote(&label), false)
                .set("color", &dot_quote(color), false)
                .set("fontcolor", &dot_quote(color), false)
                .set("style", &dot_quote(style), false)
                .set("penwidth", &penwidth(group.count), false)
                .set("tooltip", &dot_quote(&tooltip), false);
        }
        if !opts.no_legend && !node_kinds.is_empty() {
            legend(&mut d, &node_kinds, &edge_kinds);
        }
    }
    String::from_utf8(buf).unwrap_or_default()
}

/// A legend cluster: one sample node per node kind present, and a table of the edge kinds
/// present in their colours and styles.
fn legend(
    d: &mut Scope<'_, '_>,
    node_kinds: &BTreeSet<EntityKind>,
    edge_kinds: &BTreeSet<RelationKind>,
) {
    let mut c = d.cluster();
    c.graph_attributes()
        .set("label", &dot_quote("Legend"), false)
        .set("style", &dot_quote("rounded"), false)
        .set("color", &dot_quote("#adb5bd"), false);
    for &k in node_kinds {
        let (shape, fill) = node_style(k);
        c.node_named(dot_quote(&format!("legend:{}", k.as_str())))
            .set("label", &dot_quote(k.as_str()), false)
            .set("shape", &dot_quote(shape), false)
            .set("fillcolor", &dot_quote(fill), false)
            .set(
                "tooltip",
                &dot_quote(&format!("node kind: {}", k.as_str())),
                false,
            );
    }
    if !edge_kinds.is_empty() {
        // An HTML-like label: only fixed ASCII text goes in, so nothing needs escaping.
        let mut rows = String::new();
        for &k in edge_kinds {
            let (color, style) = edge_style(k);
            rows.push_str(&format!(
                "<tr><td align=\"left\"><font color=\"{color}\">&#8594; {} ({style})</font></td></tr>",
                k.as_str().replace('_', " ")
            ));
        }
        c.node_named(dot_quote("legend:edges"))
            .set("shape", &dot_quote("plaintext"), false)
            .set("style", &dot_quote("solid"), false)
            .set(
                "label",
                &format!("<<table border=\"0\" cellborder=\"0\" cellspacing=\"1\">{rows}</table>>"),
                false,
            )
            .set("tooltip", &dot_quote("edge kinds"), false);
    }
}

/// Renders the co-attendance projection as an undirected DOT graph: one node per person, an
/// edge labelled with the number of meetings both took part in (thicker when more), with the
/// meetings in its tooltip.
///
/// ```
/// use partygraph::export::{render_co_attendance_dot, DotOptions};
/// let dot = render_co_attendance_dot(&Default::default(), &DotOptions::default());
/// assert!(dot.starts_with("graph {"));
/// ```
pub fn render_co_attendance_dot(co: &CoAttendance, opts: &DotOptions) -> String {
    let mut buf: Vec<u8> = Vec::new();
    {
        let mut w = DotWriter::from(&mut buf);
        w.set_pretty_print(true);
        let mut d = w.graph();
        graph_attributes(&mut d, opts.layout);
        if !opts.no_legend {
            d.graph_attributes()
                .set(
                    "label",
                    &dot_quote("Co-attendance: an edge joins two people who took part in the same meetings (label: how many)"),
                    false,
                )
                .set("labelloc", &dot_quote("t"), false);
        }
        let (shape, fill) = node_style(EntityKind::Person);
        for p in &co.people {
            d.node_named(dot_quote(&p.id))
                .set("id", &dot_quote(&p.id), false)
                .set(
                    "label",
                    &dot_quote(&wrap(&shorten(&p.label, MAX_LABEL), 24)),
                    false,
                )
                .set("shape", &dot_quote(shape), false)
                .set("fillcolor", &dot_quote(fill), false)
                .set(
                    "tooltip",
                    &dot_quote(&format!("{} ({}): {} meetings", p.label, p.id, p.meetings)),
                    false,
                );
        }
        for e in &co.edges {
            let mut tooltip: Vec<String> = e.meetings.iter().take(10).cloned().collect();
            if e.meetings.len() > 10 {
                tooltip.push(format!("+{} more", e.meetings.len() - 10));
            }
            d.edge(dot_quote(&e.source), dot_quote(&e.target))
                .attributes()
                .set("label", &dot_quote(&e.weight.to_string()), false)
                .set("color", &dot_quote("#495057"), false)
                .set("penwidth", &penwidth(e.weight), false)
                .set("weight", &e.weight.to_string(), false)
                .set(
                    "tooltip",
                    &dot_quote(&truncate(&tooltip.join("; "), 300)),
                    false,
                );
        }
    }
    String::from_utf8(buf).unwrap_or_default()
}

/// Writes the graph as DOT.
///
/// ```
/// use partygraph::export::{write_dot, DotOptions, Layout};
/// let mut out = Vec::new();
/// let opts = DotOptions { layout: Layout::Sfdp, ..Default::default() };
/// write_dot(&partygraph::KnowledgeGraph::new(), &opts, &mut out).unwrap();
/// assert!(String::from_utf8(out).unwrap().contains("layout=\"sfdp\""));
/// ```
pub fn write_dot<W: Write>(graph: &KnowledgeGraph, opts: &DotOptions, mut w: W) -> io::Result<()> {
    write_text(&render_dot(graph, opts), &mut w)
}

/// Writes the co-attendance projection as DOT (see [`render_co_attendance_dot`]).
pub fn write_co_attendance_dot<W: Write>(
    co: &CoAttendance,
    opts: &DotOptions,
    mut w: W,
) -> io::Result<()> {
    write_text(&render_co_attendance_dot(co, opts), &mut w)
}

fn write_text(s: &str, w: &mut impl Write) -> io::Result<()> {
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
        assert_eq!(dot_quote("a\r\nb\u{7}"), "\"a\\nb \"");
    }

    #[test]
    fn wraps() {
        assert_eq!(
            wrap("Đảng ủy Tập đoàn Công nghiệp Than", 16),
            "Đảng ủy Tập đoàn\nCông nghiệp Than"
        );
        assert_eq!(wrap("a b\nc", 16), "a b\nc");
    }

    #[test]
    fn truncates() {
        assert_eq!(truncate("ab  c", 10), "ab c");
        assert_eq!(truncate("abcdef", 3), "abc…");
    }

    #[test]
    fn edge_tooltips_follow_the_evidence_mode() {
        use crate::Extractor;
        let mut g = KnowledgeGraph::new();
        let text = "Bí thư Tỉnh ủy Nghệ An Nguyễn Văn A chủ trì hội nghị.";
        g.add(Extractor::new().unwrap().extract_str("doc-1", text));
        let with = |evidence| {
            render_dot(
                &g,
                &DotOptions {
                    evidence,
                    ..DotOptions::default()
                },
            )
        };
        let text_dot = with(EvidenceMode::Text);
        assert!(
            text_dot.contains("tooltip=\"chairs: Bí thư Tỉnh ủy"),
            "{text_dot}"
        );
        let span = with(EvidenceMode::Span);
        assert!(span.contains("tooltip=\"chairs: doc-1, bytes 0–"), "{span}");
        let none = with(EvidenceMode::None);
        assert!(none.contains("tooltip=\"chairs\""), "{none}");
        assert!(!none.contains("chủ trì hội nghị."));
    }
}
