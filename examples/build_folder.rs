//! Build the knowledge graph of a folder of articles and write it as JSON (and, optionally,
//! GraphML), using the library the way the `partygraph build` command does.
//!
//! ```text
//! cargo run --example build_folder -- examples/articles graph.json
//! ```

use partygraph::{Extractor, KnowledgeGraph, batch, corpus, export};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let folder = PathBuf::from(args.next().unwrap_or_else(|| "examples/articles".into()));
    let out = args.next().map(PathBuf::from);

    // One extractor (gazetteers and automata built once), shared by every article and thread.
    let ex = Extractor::new()?;
    // Files, folders (searched recursively) or "-" for stdin, with stable document IDs.
    let (inputs, errors) = corpus::collect(&[folder]);
    for e in &errors {
        eprintln!("skipped {e}");
    }
    // Articles are extracted in parallel and delivered in input order.
    let mut graph = KnowledgeGraph::new();
    batch::run(&ex, &inputs, |outcome| {
        match outcome {
            batch::Outcome::Done(extraction, _warnings) => graph.add(*extraction),
            // A long document comes in parts before its `Done`: merged the same way.
            batch::Outcome::Part(extraction) => graph.add(*extraction),
            batch::Outcome::Failed(e) => eprintln!("failed {e}"),
        }
        true // go on
    });
    eprintln!(
        "{} articles, {} nodes, {} edges",
        graph.documents().count(),
        graph.node_count(),
        graph.edge_count()
    );
    match out {
        Some(path) => {
            let file = std::io::BufWriter::new(std::fs::File::create(&path)?);
            export::write_json(&graph, file)?;
            let graphml = path.with_extension("graphml");
            export::write_graphml(&graph, std::fs::File::create(&graphml)?)?;
            eprintln!("wrote {} and {}", path.display(), graphml.display());
        }
        None => export::write_json(&graph, std::io::stdout().lock())?,
    }
    Ok(())
}
