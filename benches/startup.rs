//! Start-up: what the CLI does before the first article. Loading the embedded gazetteers,
//! building the gazetteer automaton, and building the [`Extractor`] (which does both, plus the
//! lexicons: the CLI's whole start-up).
//!
//! ```sh
//! cargo bench --bench startup
//! ```

use criterion::{Criterion, criterion_group, criterion_main};
use partygraph::Extractor;

/// What the CLI does before the first article: load the embedded gazetteers, build the
/// automaton, build the extractor (which loads and builds again: it is the CLI's start-up).
fn startup(c: &mut Criterion) {
    let mut g = c.benchmark_group("startup");
    g.sample_size(20);
    g.bench_function("gazetteer_embedded", |b| {
        b.iter(|| partygraph::Gazetteer::embedded().expect("embedded gazetteers load"))
    });
    let gaz = partygraph::Gazetteer::embedded().expect("embedded gazetteers load");
    g.bench_function("matcher_new", |b| b.iter(|| partygraph::Matcher::new(&gaz)));
    g.bench_function("extractor_new", |b| {
        b.iter(|| Extractor::new().expect("embedded gazetteers load"))
    });
    g.finish();
}

criterion_group!(benches, startup);
criterion_main!(benches);
