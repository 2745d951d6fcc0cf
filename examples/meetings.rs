//! List the meetings of a corpus by date, with who organized and who chaired each.
//!
//! ```text
//! cargo run --example meetings -- examples/articles
//! ```

use partygraph::{EntityKind, Extractor, RelationKind, batch, corpus};
use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let folder = PathBuf::from(
        std::env::args()
            .nth(1)
            .unwrap_or_else(|| "examples/articles".into()),
    );
    let ex = Extractor::new()?;
    let (inputs, _errors) = corpus::collect(&[folder]);
    let (graph, _warnings, _failed) = batch::build_graph(&ex, &inputs);

    let mut meetings: Vec<_> = graph
        .nodes()
        .into_iter()
        .filter(|n| n.kind == EntityKind::Meeting)
        .collect();
    // Undated meetings last; then by name.
    meetings.sort_by(|a, b| {
        let (da, db) = (a.attribute("date"), b.attribute("date"));
        (da.is_none(), da, &a.label()).cmp(&(db.is_none(), db, &b.label()))
    });
    for m in meetings {
        let date = m.attribute("date").unwrap_or("????-??-??");
        println!("{date}  {}", m.label());
        // Edges into the meeting: chairs (person → meeting), organizes (committee → meeting).
        for (source, _, edge) in graph.edges_to(m.id()) {
            match edge.kind {
                RelationKind::Chairs => println!("            chaired by {}", source.label()),
                RelationKind::Organizes => println!("            organized by {}", source.label()),
                _ => {}
            }
        }
    }
    Ok(())
}
