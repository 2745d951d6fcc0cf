//! Use a custom gazetteer: add your own committees, people and documents to the bundled lists
//! (or replace them), then extract an article with it.
//!
//! The same files can live in a folder and be given to the command line with
//! `partygraph build --gazetteers DIR`; see `gazetteers/README.md` for the format.
//!
//! ```text
//! cargo run --example custom_gazetteer
//! ```

use partygraph::{Extractor, GazetteerBuilder};
use std::error::Error;

/// One entity per line: kind, canonical name, aliases (` | `-separated), attributes.
const MINE: &str = "\
# kind\tname\taliases\tattributes
committee\tĐảng ủy Công ty Cổ phần Than Mẫu Sơn\tĐảng ủy Công ty | Đảng ủy TMS\tlevel=enterprise
person\tHoàng Thị Mẫu\tđồng chí Mẫu
";

fn main() -> Result<(), Box<dyn Error>> {
    // Start from the embedded gazetteers and add a file; `.embedded(false)` would use only ours.
    let gazetteer = GazetteerBuilder::new()
        .file("mine.entities.tsv", MINE)
        .build()?;
    let ex = Extractor::builder().gazetteer(gazetteer).build()?;

    let text = "Ngày 12/4/2024, Đảng ủy TMS tổ chức hội nghị sơ kết quý I. \
                Đồng chí Hoàng Thị Mẫu, Bí thư Đảng ủy Công ty, chủ trì hội nghị.";
    let extraction = ex.extract_str("bai-mau", text);
    for e in &extraction.entities {
        let written: Vec<&str> = e.mentions.iter().map(|m| m.text.as_str()).collect();
        println!("{:<40} {:<10} {:?}", e.id, e.kind.as_str(), written);
    }
    for r in &extraction.relations {
        println!("{} -[{}]-> {}", r.source, r.kind, r.target);
    }
    Ok(())
}
