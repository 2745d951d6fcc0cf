//! DOT output rendered by the real Graphviz: `dot -Tsvg` on the example articles' graph, `sfdp -Tsvg` on a
//! graph of a few hundred nodes, labels with quotes, backslashes, `<>{}` and line breaks.

mod export_support;

use export_support::*;
use partygraph::export::{DotOptions, Layout, render_co_attendance_dot, render_dot};
use partygraph::{Extractor, KnowledgeGraph, batch, corpus, query};

fn articles_graph() -> KnowledgeGraph {
    let ex = Extractor::new().expect("embedded gazetteers");
    let (inputs, errors) = corpus::collect(&[articles()]);
    assert!(errors.is_empty(), "{errors:?}");
    assert!(!inputs.is_empty());
    batch::build_graph(&ex, &inputs).0
}

/// Renders and checks: exit 0, nothing on stderr (no warnings), an SVG.
fn render_clean(engine: &str, dot: &str) -> String {
    let out = graphviz(engine, dot);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{engine} failed: {stderr}");
    assert!(stderr.trim().is_empty(), "{engine} warned: {stderr}");
    let svg = String::from_utf8(out.stdout).expect("utf-8 svg");
    assert!(svg.contains("<svg"), "no svg");
    svg
}

#[test]
fn articles_graph_renders_with_dot() {
    if !have("dot", "-V") {
        return;
    }
    let g = articles_graph();
    let dot = render_dot(&g, &DotOptions::default());
    let svg = render_clean("dot", &dot);
    // Every node label's first line is in the picture, in UTF-8.
    let texts = svg_texts(&svg).join("\n");
    for n in g.nodes() {
        let first = n.label().split_whitespace().next().unwrap_or("");
        assert!(texts.contains(first), "{first} missing from SVG");
    }
    assert!(texts.contains("Legend"));
}

#[test]
fn large_graph_renders_with_sfdp() {
    if !have("sfdp", "-V") {
        return;
    }
    let g = synthetic(250, 80);
    assert!(g.node_count() >= 300, "only {} nodes", g.node_count());
    let dot = render_dot(
        &g,
        &DotOptions {
            layout: Layout::Sfdp,
            ..Default::default()
        },
    );
    assert!(dot.contains("layout=\"sfdp\""));
    let svg = render_clean("sfdp", &dot);
    // One SVG node group per graph node (plus the legend's).
    let groups = svg.matches("class=\"node\"").count();
    assert!(
        groups >= g.node_count(),
        "{groups} node groups for {} nodes",
        g.node_count()
    );
}

#[test]
fn neato_layout_renders() {
    if !have("neato", "-V") {
        return;
    }
    let g = synthetic(40, 10);
    let dot = render_dot(
        &g,
        &DotOptions {
            layout: Layout::Neato,
            ..Default::default()
        },
    );
    render_clean("neato", &dot);
}

#[test]
fn tricky_labels_survive_into_the_svg() {
    if !have("dot", "-V") {
        return;
    }
    let g = tricky();
    let dot = render_dot(&g, &DotOptions::default());
    let svg = render_clean("dot", &dot);
    let texts = svg_texts(&svg);
    let all = texts.join("\n");
    // Quotes and backslashes come out as written (no `\N` expanded to the node name).
    assert!(all.contains("Trần \"Ba\" Văn \\ Tư"), "{texts:#?}");
    assert!(all.contains("Nghị quyết \\N \\l \\G số 1"), "{texts:#?}");
    // Markup and braces are text, not HTML or record fields (the long name wraps after "&").
    assert!(all.contains("Đảng ủy <Khối> {A|B} &\nCo"), "{texts:#?}");
    // A line break in a label is a line break in the picture: two text lines.
    assert!(texts.iter().any(|t| t == "Hội nghị"), "{texts:#?}");
    assert!(
        texts.iter().any(|t| t == "sơ kết; quý I, 2024"),
        "{texts:#?}"
    );
    // A control character does not break the file; CR LF is one break.
    assert!(all.contains("Phạm 'Văn' C"), "{texts:#?}");
    assert!(texts.iter().any(|t| t == "D"), "{texts:#?}");
    // The office of a holds_position edge, with its quotes.
    assert!(all.contains("Bí thư \"Đảng ủy\""), "{texts:#?}");
}

#[test]
fn parallel_facts_are_drawn_once_with_a_count() {
    let g = tricky();
    let dot = render_dot(&g, &DotOptions::default());
    let chairs: Vec<&str> = dot
        .lines()
        .filter(|l| l.contains("\"person:t0\" -> \"meeting:t2\""))
        .collect();
    assert_eq!(chairs.len(), 1, "{dot}");
    let line = dot
        .lines()
        .skip_while(|l| !l.contains("\"person:t0\" -> \"meeting:t2\""))
        .take(10)
        .collect::<Vec<_>>()
        .join("\n");
    assert!(line.contains("chairs ×3"), "{line}");
    assert!(line.contains("penwidth=2.1"), "{line}");
}

#[test]
fn readable_defaults() {
    let g = synthetic(20, 5);
    let dot = render_dot(&g, &DotOptions::default());
    assert!(dot.contains("charset=\"UTF-8\""));
    assert!(dot.contains("layout=\"dot\""));
    assert!(dot.contains("rankdir=\"LR\""));
    // Shapes and colours by kind, meeting dates in labels, a legend with the edge kinds.
    assert!(dot.contains("shape=\"octagon\""));
    assert!(dot.contains("shape=\"note\""));
    assert!(dot.contains("fillcolor=\"#cfe2ff\""));
    assert!(dot.contains("\\n2018-01-01\""), "meeting label with date");
    assert!(dot.contains("\"legend:person\""));
    assert!(dot.contains("references (dashed)"));
    // Long names wrap.
    assert!(
        dot.contains("Đảng ủy Khối doanh\\nnghiệp số"),
        "wrapped committee label"
    );
    let no_legend = render_dot(
        &g,
        &DotOptions {
            no_legend: true,
            ..Default::default()
        },
    );
    assert!(!no_legend.contains("legend:"));
    // Deterministic.
    assert_eq!(dot, render_dot(&g, &DotOptions::default()));
}

#[test]
fn empty_graph_renders() {
    if !have("dot", "-V") {
        return;
    }
    render_clean(
        "dot",
        &render_dot(&KnowledgeGraph::new(), &DotOptions::default()),
    );
}

#[test]
fn co_attendance_renders() {
    if !have("dot", "-V") || !have("sfdp", "-V") {
        return;
    }
    let co = query::co_attendance(&synthetic(60, 20));
    assert!(!co.edges.is_empty());
    let dot = render_co_attendance_dot(&co, &DotOptions::default());
    assert!(dot.starts_with("graph {"));
    assert!(dot.contains(" -- "));
    render_clean("dot", &dot);
    let big = query::co_attendance(&synthetic(250, 80));
    render_clean(
        "sfdp",
        &render_co_attendance_dot(
            &big,
            &DotOptions {
                layout: Layout::Sfdp,
                ..Default::default()
            },
        ),
    );
}
