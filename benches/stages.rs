//! Throughput of each stage on the generated benchmark corpus (see `support/corpus.rs`), in MB of
//! input text per second, one thread:
//!
//! | bench | what |
//! |---|---|
//! | `stages/decode` | `corpus::decode`: UTF-8 check, BOM and line ends |
//! | `stages/detect_fold` | `text::detect_fold`: with or without diacritics |
//! | `stages/normalize` | `text::Normalized::new`: NFC, case, tone placement, offset map |
//! | `stages/tokenize` | `token::tokenize` + `token::sentences` on the folded view |
//! | `stages/normalize_then_tokenize` | `Normalized::new`, then `token::tokenize`: two passes |
//! | `stages/fused` | `Normalized::with_tokens`: the same view and tokens in one pass (what `extract` runs) |
//! | `stages/match` | `Matcher::find`: the gazetteer automaton, word-bounded |
//! | `stages/text` | detect_fold + the fused pass + sentences + match in turn on each article: the text-wide work, before any rule (the issue's "plain pipeline") |
//! | `stages/extract` | `Extractor::extract`: everything above plus recognize, resolve, relate |
//! | `stages/merge` | `KnowledgeGraph::add` of every article's extraction |
//! | `stages/json` | `export::write_json` of the merged graph (MB of *input* per second) |
//! | `stages/jsonl` | `export::write_extraction` of every article |
//!
//! ```sh
//! cargo bench --bench stages                      # 5 MB corpus
//! PARTYGRAPH_BENCH_MB=50 cargo bench --bench stages
//! ```
//!
//! The corpus needs the seed articles in `../shared/seeds` (or `$PARTYGRAPH_SEEDS`).

#[path = "support/corpus.rs"]
mod corpus;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use partygraph::text::{Fold, Normalized, detect_fold};
use partygraph::token::{sentences, tokenize};
use partygraph::{Extraction, Extractor, KnowledgeGraph, export};
use std::hint::black_box;
use std::time::Duration;

struct Fixture {
    docs: Vec<corpus::Doc>,
    folds: Vec<Fold>,
    normalized: Vec<Normalized>,
    extractions: Vec<Extraction>,
    graph: KnowledgeGraph,
    bytes: u64,
    ex: Extractor,
}

fn fixture() -> Fixture {
    let mb: f64 = std::env::var("PARTYGRAPH_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5.0);
    let src = corpus::Sources::load_default().unwrap_or_else(|m| panic!("{m}"));
    let docs: Vec<corpus::Doc> = src.corpus(1, (mb * 1e6) as u64).collect();
    let bytes: u64 = docs.iter().map(|d| d.text.len() as u64).sum();
    let ex = Extractor::new().expect("embedded gazetteers load");
    let folds: Vec<Fold> = docs.iter().map(|d| detect_fold(&d.text)).collect();
    let normalized = docs
        .iter()
        .zip(&folds)
        .map(|(d, f)| Normalized::new(&d.text, *f))
        .collect();
    let extractions: Vec<Extraction> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| ex.extract_str(&format!("doc-{i:06}"), &d.text))
        .collect();
    let mut graph = KnowledgeGraph::new();
    for x in &extractions {
        graph.add(x.clone());
    }
    eprintln!(
        "benchmark corpus: {} articles, {:.1} MB; graph {} nodes, {} edges",
        docs.len(),
        bytes as f64 / 1e6,
        graph.node_count(),
        graph.edge_count()
    );
    Fixture {
        docs,
        folds,
        normalized,
        extractions,
        graph,
        bytes,
        ex,
    }
}

fn stages(c: &mut Criterion) {
    let f = fixture();
    let mut g = c.benchmark_group("stages");
    g.throughput(Throughput::BytesDecimal(f.bytes));
    g.sample_size(10);
    g.warm_up_time(Duration::from_secs(1));
    g.measurement_time(Duration::from_secs(5));

    g.bench_function("decode", |b| {
        b.iter_batched(
            || {
                f.docs
                    .iter()
                    .map(|d| d.text.clone().into_bytes())
                    .collect::<Vec<_>>()
            },
            |bytes| {
                for (d, b) in f.docs.iter().zip(bytes) {
                    black_box(partygraph::corpus::decode(&d.name, b).ok());
                }
            },
            BatchSize::LargeInput,
        )
    });
    g.bench_function("detect_fold", |b| {
        b.iter(|| {
            for d in &f.docs {
                black_box(detect_fold(&d.text));
            }
        })
    });
    g.bench_function("normalize", |b| {
        b.iter(|| {
            for (d, fold) in f.docs.iter().zip(&f.folds) {
                black_box(Normalized::new(&d.text, *fold));
            }
        })
    });
    g.bench_function("tokenize", |b| {
        b.iter(|| {
            for (d, n) in f.docs.iter().zip(&f.normalized) {
                let t = tokenize(n, &d.text);
                black_box(sentences(&t, n));
            }
        })
    });
    g.bench_function("normalize_then_tokenize", |b| {
        b.iter(|| {
            for (d, fold) in f.docs.iter().zip(&f.folds) {
                let n = Normalized::new(&d.text, *fold);
                black_box(tokenize(&n, &d.text));
            }
        })
    });
    g.bench_function("fused", |b| {
        b.iter(|| {
            for (d, fold) in f.docs.iter().zip(&f.folds) {
                black_box(Normalized::with_tokens(&d.text, *fold));
            }
        })
    });
    let gaz = f.ex.gazetteer();
    let matcher = partygraph::Matcher::new(gaz);
    g.bench_function("match", |b| {
        b.iter(|| {
            for (d, n) in f.docs.iter().zip(&f.normalized) {
                black_box(matcher.find(gaz, n, &d.text));
            }
        })
    });
    g.bench_function("text", |b| {
        b.iter(|| {
            for d in &f.docs {
                let (n, t) = Normalized::with_tokens(&d.text, detect_fold(&d.text));
                black_box(sentences(&t, &n));
                black_box(matcher.find(gaz, &n, &d.text));
            }
        })
    });
    g.bench_function("extract", |b| {
        b.iter(|| {
            for (i, d) in f.docs.iter().enumerate() {
                black_box(f.ex.extract_str(&format!("doc-{i:06}"), &d.text));
            }
        })
    });
    g.bench_function("merge", |b| {
        b.iter_batched(
            || f.extractions.clone(),
            |xs| {
                let mut graph = KnowledgeGraph::new();
                for x in xs {
                    graph.add(x);
                }
                graph
            },
            BatchSize::LargeInput,
        )
    });
    g.bench_function("json", |b| {
        b.iter(|| export::write_json(&f.graph, std::io::sink()).expect("write to sink"))
    });
    g.bench_function("jsonl", |b| {
        b.iter(|| {
            let mut w = std::io::BufWriter::new(std::io::sink());
            for x in &f.extractions {
                export::write_extraction(x, &mut w).expect("write to sink");
            }
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
