//! Render the graph of a folder of articles to SVG by piping DOT to Graphviz.
//!
//! ```text
//! cargo run --example render_svg -- examples/articles graph.svg [dot|sfdp|neato]
//! ```

use partygraph::export::{DotOptions, Layout, write_dot};
use partygraph::{Extractor, batch, corpus};
use std::error::Error;
use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let folder = PathBuf::from(args.next().unwrap_or_else(|| "examples/articles".into()));
    let svg = PathBuf::from(args.next().unwrap_or_else(|| "graph.svg".into()));
    // Small graphs read best top-down with `dot`; hundreds of nodes need `sfdp`.
    let layout = match args.next().as_deref() {
        Some("sfdp") => Layout::Sfdp,
        Some("neato") => Layout::Neato,
        _ => Layout::Dot,
    };

    let ex = Extractor::new()?;
    let (inputs, _errors) = corpus::collect(&[folder]);
    let (graph, _warnings, _failed) = batch::build_graph(&ex, &inputs);

    // The layout is written into the file as `layout=...`, so any Graphviz command honours it.
    let mut child = Command::new("dot")
        .args(["-Tsvg", "-o"])
        .arg(&svg)
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run Graphviz `dot` (is graphviz installed?): {e}"))?;
    {
        let mut stdin = child.stdin.take().ok_or("no stdin for dot")?;
        let opts = DotOptions {
            layout,
            ..DotOptions::default()
        };
        write_dot(&graph, &opts, &mut stdin)?;
        stdin.flush()?;
    } // closing stdin lets dot finish
    let status = child.wait()?;
    if !status.success() {
        return Err(format!("dot failed: {status}").into());
    }
    eprintln!("wrote {} ({} nodes)", svg.display(), graph.node_count());
    Ok(())
}
