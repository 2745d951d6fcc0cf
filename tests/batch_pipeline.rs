//! `batch::run` hands outcomes over in input order, stops when asked, and gives the same
//! results inside a rayon pool (where it does not pipeline) as outside.

use partygraph::{Extractor, batch, corpus};

fn corpus(n: usize) -> (tempfile::TempDir, Vec<corpus::Input>) {
    let dir = tempfile::tempdir().unwrap();
    for i in 0..n {
        let text = format!(
            "Ngày {}/3/2024, Tỉnh ủy Nghệ An họp. Bài số {i}.",
            i % 28 + 1
        );
        std::fs::write(dir.path().join(format!("a{i:04}.txt")), text).unwrap();
    }
    let (inputs, errors) = corpus::collect(&[dir.path().to_path_buf()]);
    assert!(errors.is_empty());
    (dir, inputs)
}

fn ids(ex: &Extractor, inputs: &[corpus::Input], stop_after: usize) -> Vec<String> {
    let mut seen = Vec::new();
    batch::run(ex, inputs, |o| {
        if let batch::Outcome::Done(x, _) = o {
            seen.push(x.document.id.clone());
        }
        seen.len() < stop_after
    });
    seen
}

#[test]
fn in_order_and_stops() {
    let (_dir, inputs) = corpus(700); // three chunks
    let ex = Extractor::new().unwrap();
    let want: Vec<String> = inputs.iter().map(|i| i.id.clone()).collect();
    assert_eq!(ids(&ex, &inputs, usize::MAX), want);
    assert_eq!(ids(&ex, &inputs, 300), want[..300]);
    assert_eq!(ids(&ex, &inputs, 1), want[..1]);
    // Inside a pool of one thread: no pipelining (it could starve the pool), same result.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    assert_eq!(pool.install(|| ids(&ex, &inputs, usize::MAX)), want);
    assert_eq!(pool.install(|| ids(&ex, &inputs, 260)), want[..260]);
}
