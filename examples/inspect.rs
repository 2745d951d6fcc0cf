//! Prints what partygraph finds in one article: entities with their mentions, and facts.
//!
//! ```sh
//! cargo run --example inspect -- examples/articles/01_tinh-uy-ha-tinh-quan-triet-chi-thi-05.txt
//! ```
use partygraph::Extractor;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = std::env::args().nth(1).ok_or("usage: inspect FILE")?;
    let text = std::fs::read_to_string(&path)?;
    let ex = Extractor::new()?;
    let out = ex.extract_str("doc", &text);
    println!(
        "date {:?} title {:?} authors {:?}",
        out.document.date, out.document.title, out.document.authors
    );
    for e in &out.entities {
        let ms: Vec<String> = e
            .mentions
            .iter()
            .map(|m| {
                format!(
                    "{:?}@{}:{:?}{}",
                    m.text,
                    m.start,
                    m.recognizer,
                    if m.reference_only { "(ref)" } else { "" }
                )
            })
            .collect();
        println!("{} [{}] {}", e.id, e.label, ms.join(" "));
    }
    for r in &out.relations {
        println!(
            "  {} -{}{}-> {}",
            r.source,
            r.kind,
            r.title
                .as_deref()
                .map(|t| format!("({t})"))
                .unwrap_or_default(),
            r.target
        );
    }
    Ok(())
}
