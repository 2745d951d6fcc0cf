//! Scores the pipeline against hand annotations: the seeds in `../shared` (articles it was
//! never tuned on line by line) and our own articles in `examples/` and `tests/data/`.
//! Prints precision, recall and F1 per category and asserts the level reached.

mod common;

use common::{Scores, evaluate, load_pairs, relations_overall, shared_dir};
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
    // The level reached (raise it as recognition improves).
    for (cat, f1) in [
        ("people", 0.95),
        ("committees", 0.95),
        ("resolutions", 0.9),
        ("chairs", 0.95),
        ("speaks", 0.9),
        ("positions", 0.9),
        ("organizes", 0.9),
    ] {
        assert_at_least(&s, cat, f1);
    }
    assert!(rel.f1() >= 0.93, "relations overall F1 {:.3}", rel.f1());
}

#[test]
fn own_articles_against_gold() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pairs = load_pairs(&root.join("examples/articles"), &root.join("examples/gold"));
    pairs.extend(load_pairs(
        &root.join("tests/data/articles"),
        &root.join("tests/data/gold"),
    ));
    assert_eq!(pairs.len(), 12);
    let s = evaluate("own", &pairs, true);
    let rel = relations_overall(&s);
    eprintln!("own: relations overall F1 {:.3}", rel.f1());
    for (cat, f1) in [
        ("people", 0.95),
        ("committees", 0.9),
        ("resolutions", 0.95),
        ("chairs", 0.95),
        ("attends", 0.95),
        ("speaks", 0.95),
        ("positions", 0.95),
        ("organizes", 0.9),
        ("references", 0.9),
    ] {
        assert_at_least(&s, cat, f1);
    }
    assert!(rel.f1() >= 0.95, "relations overall F1 {:.3}", rel.f1());
}

/// Articles written for testing and never used to tune the rules: the honest figure.
#[test]
fn holdout_against_gold() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/holdout");
    let pairs = load_pairs(&root.join("articles"), &root.join("gold"));
    assert_eq!(pairs.len(), 16);
    let s = evaluate("holdout", &pairs, false);
    let rel = relations_overall(&s);
    eprintln!("holdout: relations overall F1 {:.3}", rel.f1());
    for (cat, f1) in [
        ("people", 0.9),
        ("committees", 0.85),
        ("resolutions", 0.9),
        ("chairs", 0.85),
    ] {
        assert_at_least(&s, cat, f1);
    }
    assert!(rel.f1() >= 0.85, "relations overall F1 {:.3}", rel.f1());
}
