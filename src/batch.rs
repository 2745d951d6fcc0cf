//! Running the extractor over a corpus: in parallel over documents, results delivered in input
//! order (so output does not depend on thread timing), files read a chunk at a time (so memory
//! does not grow with the corpus).

use crate::corpus::{self, Input, InputError, InputWarning};
use crate::extraction::Extraction;
use crate::extractor::Extractor;
use crate::graph::KnowledgeGraph;
use rayon::prelude::*;

/// What happened to one input.
#[derive(Debug)]
pub enum Outcome {
    /// Extracted (with any warnings about the input).
    Done(Box<Extraction>, Vec<InputWarning>),
    /// Could not be read.
    Failed(InputError),
}

/// Documents processed per parallel chunk.
const CHUNK: usize = 256;

/// Extracts every input, calling `sink` with each outcome in input order. `sink` returns false to
/// stop early (e.g. the output pipe closed).
///
/// ```
/// use partygraph::{batch, corpus, Extractor};
/// let dir = std::env::temp_dir().join("partygraph-doc-batch");
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("a.txt"), "Bộ Chính trị họp.").unwrap();
/// let (inputs, _) = corpus::collect(&[dir]);
/// let ex = Extractor::new().unwrap();
/// let mut n = 0;
/// batch::run(&ex, &inputs, |o| { n += 1; matches!(o, batch::Outcome::Done(..)) });
/// assert_eq!(n, 1);
/// ```
pub fn run(ex: &Extractor, inputs: &[Input], mut sink: impl FnMut(Outcome) -> bool) {
    let extract_chunk = |chunk: &[Input]| -> Vec<Outcome> {
        chunk
            .par_iter()
            .map(|input| match corpus::read(input) {
                // Text::extract maps offsets back to the input's bytes (HTML, bad UTF-8).
                Ok(t) => Outcome::Done(Box::new(t.extract(ex, input.info())), t.warnings),
                Err(e) => Outcome::Failed(e),
            })
            .collect()
    };
    if rayon::current_thread_index().is_some() {
        // Called from a pool thread: blocking on the channel below could starve the pool.
        for chunk in inputs.chunks(CHUNK) {
            for o in extract_chunk(chunk) {
                if !sink(o) {
                    return;
                }
            }
        }
        return;
    }
    // Pipelined: the pool extracts the next chunk while this thread hands the previous one to
    // `sink` (merging, writing). At most three chunks are held, so memory stays flat.
    rayon::in_place_scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Outcome>>(1);
        s.spawn(move |_| {
            for chunk in inputs.chunks(CHUNK) {
                if tx.send(extract_chunk(chunk)).is_err() {
                    break; // `sink` asked to stop
                }
            }
        });
        'chunks: for outcomes in rx.iter() {
            for o in outcomes {
                if !sink(o) {
                    break 'chunks;
                }
            }
        }
    });
}

/// Builds the merged graph of every input; returns it with the warnings and errors met.
pub fn build_graph(
    ex: &Extractor,
    inputs: &[Input],
) -> (KnowledgeGraph, Vec<InputWarning>, Vec<InputError>) {
    let mut g = KnowledgeGraph::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    run(ex, inputs, |o| {
        match o {
            Outcome::Done(x, w) => {
                g.add(*x);
                warnings.extend(w);
            }
            Outcome::Failed(e) => errors.push(e),
        }
        true
    });
    (g, warnings, errors)
}
