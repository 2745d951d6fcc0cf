//! GraphML, for Gephi, yEd, Cytoscape desktop and `networkx.read_graphml`.
//!
//! Every attribute is declared once with a typed `<key>` (`string`, `int` or `double`); a node
//! or edge without a value for it simply has no `<data>` for it. GraphML has no list type, so
//! lists (aliases, dates, documents, evidence sentences, meetings) are written as a JSON array in
//! a string attribute, e.g. `["Đảng ủy TKV","Đảng uỷ Tập đoàn"]`: `json.loads` reads it back.
//! Parallel edges (two facts of different kinds between the same pair) are kept, each with its
//! own `id`, so readers that support multigraphs see them all.

use super::model::{PropKey, PropType, PropValue, PropertyGraph};
use std::collections::BTreeMap;
use std::io::{self, Write};

/// Escapes text for XML element content and attribute values. Characters XML 1.0 cannot hold
/// (control characters other than tab and line breaks) become U+FFFD; a carriage return is kept
/// as `&#13;` so readers do not fold it away.
///
/// ```
/// assert_eq!(partygraph::export::xml_escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;\u{FFFD}");
/// ```
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#13;"),
            '\t' | '\n' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

fn type_name(t: PropType) -> &'static str {
    match t {
        PropType::String | PropType::StringList | PropType::IntList => "string",
        PropType::Int => "int",
        PropType::Float => "double",
    }
}

fn value_text(v: &PropValue) -> String {
    match v {
        PropValue::String(s) => s.clone(),
        PropValue::Int(i) => i.to_string(),
        PropValue::Float(f) => {
            if f.is_finite() {
                f.to_string()
            } else {
                "NaN".to_string()
            }
        }
        PropValue::StringList(l) => serde_json::to_string(l).unwrap_or_else(|_| "[]".into()),
        PropValue::IntList(l) => serde_json::to_string(l).unwrap_or_else(|_| "[]".into()),
    }
}

fn write_keys(out: &mut String, scope: &str, keys: &[PropKey]) {
    for k in keys {
        out.push_str(&format!(
            "  <key id=\"{scope}_{name}\" for=\"{scope}\" attr.name=\"{name}\" attr.type=\"{ty}\">\n    <desc>{desc}</desc>\n  </key>\n",
            name = k.name,
            ty = type_name(k.ty),
            desc = xml_escape(&format!(
                "{}{}",
                k.doc,
                if matches!(k.ty, PropType::StringList | PropType::IntList) { " (a JSON array in a string)" } else { "" }
            )),
        ));
    }
}

fn write_data(
    out: &mut String,
    scope: &str,
    indent: &str,
    keys: &[PropKey],
    props: &BTreeMap<&'static str, PropValue>,
) {
    for k in keys {
        if let Some(v) = props.get(k.name) {
            out.push_str(&format!(
                "{indent}<data key=\"{scope}_{}\">{}</data>\n",
                k.name,
                xml_escape(&value_text(v))
            ));
        }
    }
}

/// Renders a graph (the knowledge graph, or a projection) as a GraphML document.
///
/// ```
/// use partygraph::{export, KnowledgeGraph};
/// let xml = export::render_graphml(&KnowledgeGraph::new());
/// assert!(xml.contains("<key id=\"node_label\" for=\"node\" attr.name=\"label\" attr.type=\"string\">"));
/// ```
pub fn render_graphml(graph: impl Into<PropertyGraph>) -> String {
    let pg: PropertyGraph = graph.into();
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" \
         xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    );
    out.push_str(
        "  <!-- Written by partygraph. List attributes hold JSON arrays in strings. -->\n",
    );
    write_keys(&mut out, "graph", &pg.graph_keys);
    write_keys(&mut out, "node", &pg.node_keys);
    write_keys(&mut out, "edge", &pg.edge_keys);
    out.push_str(&format!(
        "  <graph id=\"partygraph\" edgedefault=\"{}\">\n",
        if pg.directed {
            "directed"
        } else {
            "undirected"
        }
    ));
    write_data(&mut out, "graph", "    ", &pg.graph_keys, &pg.graph_props);
    for n in &pg.nodes {
        out.push_str(&format!("    <node id=\"{}\">\n", xml_escape(&n.id)));
        write_data(&mut out, "node", "      ", &pg.node_keys, &n.props);
        out.push_str("    </node>\n");
    }
    for (i, e) in pg.edges.iter().enumerate() {
        out.push_str(&format!(
            "    <edge id=\"e{i}\" source=\"{}\" target=\"{}\">\n",
            xml_escape(&e.source),
            xml_escape(&e.target)
        ));
        write_data(&mut out, "edge", "      ", &pg.edge_keys, &e.props);
        out.push_str("    </edge>\n");
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

/// Writes a graph (the knowledge graph, or a projection) as GraphML.
///
/// ```
/// use partygraph::{export, KnowledgeGraph};
/// let mut buf = Vec::new();
/// export::write_graphml(&KnowledgeGraph::new(), &mut buf).unwrap();
/// assert!(buf.starts_with(b"<?xml"));
/// ```
pub fn write_graphml<W: Write>(graph: impl Into<PropertyGraph>, mut w: W) -> io::Result<()> {
    w.write_all(render_graphml(graph).as_bytes())?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_json_arrays_in_strings() {
        assert_eq!(
            value_text(&PropValue::IntList(vec![0, 52, 1234])),
            "[0,52,1234]"
        );
        assert_eq!(value_text(&PropValue::IntList(Vec::new())), "[]");
        assert_eq!(
            value_text(&PropValue::StringList(vec!["a\"b".into()])),
            r#"["a\"b"]"#
        );
        assert_eq!(type_name(PropType::IntList), "string");
    }
}
