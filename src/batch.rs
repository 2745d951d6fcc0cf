//! Running the extractor over a corpus: in parallel over documents, results delivered in input
//! order (so output does not depend on thread timing), files read a chunk at a time (so memory
//! does not grow with the corpus), ahead of extraction by threads of their own (so a cold disk
//! does not stall the extracting threads).

use crate::corpus::{self, Input, InputError, InputWarning};
use crate::extraction::Extraction;
use crate::extractor::Extractor;
use crate::graph::KnowledgeGraph;
use rayon::prelude::*;

/// What happened to one input.
#[derive(Debug)]
pub enum Outcome {
    /// Extracted (with any warnings about the input). For a document longer than a section
    /// ([`ExtractorBuilder::section_bytes`](crate::ExtractorBuilder::section_bytes)), its last
    /// part, after the others as [`Outcome::Part`].
    Done(Box<Extraction>, Vec<InputWarning>),
    /// A part of a long document that is not its last: merge it as its `Done` is merged. Each
    /// part carries the document's record; count the document once, at its `Done`.
    Part(Box<Extraction>),
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
    pipeline(ex, inputs, |o| (sink(o), None));
    forget_memos();
}

/// Like [`run`], with `sink` borrowing each outcome: the outcomes are then freed on the pool's
/// threads, which made them, between chunks. (With the system allocator, freeing on the
/// calling thread what the pool allocated makes the two contend for the allocator's locks:
/// about two futex calls and a context switch per article.)
///
/// ```
/// use partygraph::{batch, corpus, Extractor, KnowledgeGraph};
/// let dir = std::env::temp_dir().join("partygraph-doc-batch-borrowed");
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("a.txt"), "Bộ Chính trị họp.").unwrap();
/// let (inputs, _) = corpus::collect(&[dir]);
/// let ex = Extractor::new().unwrap();
/// let mut g = KnowledgeGraph::new();
/// batch::run_borrowed(&ex, &inputs, |o| {
///     if let batch::Outcome::Done(x, _) = o { g.add_from(x) }
///     true
/// });
/// assert!(g.node("committee:bo-chinh-tri").is_some());
/// ```
pub fn run_borrowed(ex: &Extractor, inputs: &[Input], mut sink: impl FnMut(&Outcome) -> bool) {
    pipeline(ex, inputs, |o| (sink(&o), Some(o)));
    forget_memos();
}

/// Frees the memos the extraction keeps per thread (IDs and folded forms of the names it
/// saw, bounded, about 15 MB a thread when full), on every thread of the pool and this one:
/// a run is over, and what the caller does next (telling people apart, writing) has the
/// memory.
fn forget_memos() {
    let forget = || {
        crate::gazetteer::forget_id_memo();
        crate::lexicon::forget_fold_memo();
    };
    if rayon::current_thread_index().is_none() {
        rayon::broadcast(|_| forget());
    }
    forget();
}

/// Runs the pool over `inputs` a chunk at a time, handing each outcome to `handle`, which says
/// whether to go on and may give the outcome back to be freed on the pool.
fn pipeline(
    ex: &Extractor,
    inputs: &[Input],
    mut handle: impl FnMut(Outcome) -> (bool, Option<Outcome>),
) {
    if rayon::current_thread_index().is_some() {
        // Called from a pool thread: blocking on the channel below could starve the pool.
        for chunk in inputs.chunks(CHUNK) {
            let texts = chunk.par_iter().map(corpus::read).collect();
            let go = extract_chunk(ex, chunk, texts, &mut |outcomes| {
                outcomes.into_iter().all(|o| handle(o).0)
            });
            if !go {
                return;
            }
        }
        return;
    }
    // Files are read ahead, a chunk at a time, by threads of their own: with a cold page cache
    // a read waits for the disk, and the extracting threads would wait with it.
    let Ok(readers) = rayon::ThreadPoolBuilder::new()
        .num_threads(READERS)
        .thread_name(|i| format!("partygraph-read-{i}"))
        .build()
    else {
        // No threads to spare: read where the articles are extracted.
        let read = |chunk: &[Input]| chunk.par_iter().map(corpus::read).collect();
        return pipelined(ex, inputs, read, handle);
    };
    std::thread::scope(|ts| {
        let (texts_tx, texts_rx) = std::sync::mpsc::sync_channel::<Vec<ReadText>>(1);
        ts.spawn(move || {
            for chunk in inputs.chunks(CHUNK) {
                let texts = readers.install(|| chunk.par_iter().map(corpus::read).collect());
                if texts_tx.send(texts).is_err() {
                    break; // extraction stopped
                }
            }
        });
        let read = move |chunk: &[Input]| -> Vec<ReadText> {
            match texts_rx.recv() {
                Ok(read) => read,
                Err(_) => chunk.par_iter().map(corpus::read).collect(),
            }
        };
        pipelined(ex, inputs, read, handle);
    });
}

/// Threads reading files ahead of extraction (they mostly wait for the disk).
const READERS: usize = 4;

/// A file as read and decoded.
type ReadText = Result<corpus::Text, corpus::InputError>;

/// Extracts a chunk of read inputs in parallel, handing the outcomes in input order to `send`
/// a batch at a time: the articles between two long documents as one batch, a long document's
/// parts a group of sections at a time (so it is never held whole). Returns false when `send`
/// asked to stop.
fn extract_chunk(
    ex: &Extractor,
    chunk: &[Input],
    texts: Vec<ReadText>,
    send: &mut dyn FnMut(Vec<Outcome>) -> bool,
) -> bool {
    let long = |t: &ReadText| t.as_ref().is_ok_and(|t| t.text.len() > ex.section_bytes());
    let mut items: Vec<(&Input, ReadText)> = chunk.iter().zip(texts).collect();
    while !items.is_empty() {
        let run = items
            .iter()
            .position(|(_, t)| long(t))
            .unwrap_or(items.len());
        if run > 0 {
            let rest = items.split_off(run);
            let outcomes: Vec<Outcome> = std::mem::replace(&mut items, rest)
                .into_par_iter()
                .map(|(input, t)| extracted(ex, input, t))
                .collect();
            if !send(outcomes) {
                return false;
            }
            continue;
        }
        let rest = items.split_off(1);
        let Some((input, Ok(text))) = std::mem::replace(&mut items, rest).pop() else {
            continue;
        };
        // A long document: its parts, a group at a time; the last one is its `Done`.
        let mut group: Vec<Outcome> = Vec::new();
        let mut go = true;
        text.extract_parts(ex, input.info(), |x| {
            if go && group.len() >= PARTS_AT_ONCE {
                go = send(std::mem::take(&mut group));
            }
            if go {
                group.push(Outcome::Part(Box::new(x)));
            }
        });
        if !go {
            return false;
        }
        if let Some(Outcome::Part(last)) = group.pop() {
            group.push(Outcome::Done(last, text.warnings));
        }
        if !send(group) {
            return false;
        }
    }
    true
}

/// Parts of a long document handed over together.
const PARTS_AT_ONCE: usize = 16;

/// The outcome of one input from its read text.
fn extracted(ex: &Extractor, input: &Input, t: ReadText) -> Outcome {
    match t {
        // Text::extract maps offsets back to the input's bytes (HTML, bad UTF-8).
        Ok(t) => Outcome::Done(Box::new(t.extract(ex, input.info())), t.warnings),
        Err(e) => Outcome::Failed(e),
    }
}

/// The pool extracts the next chunk (read by `read`, called for the chunks in order) while
/// this thread hands the previous one to `handle` (merging, writing). At most three batches
/// are held, so memory stays flat; the outcomes given back return to the pool, which frees
/// them before its next batch.
fn pipelined(
    ex: &Extractor,
    inputs: &[Input],
    mut read: impl FnMut(&[Input]) -> Vec<ReadText> + Send,
    mut handle: impl FnMut(Outcome) -> (bool, Option<Outcome>),
) {
    rayon::in_place_scope(|s| {
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Outcome>>(1);
        let (back, freed) = std::sync::mpsc::channel::<Vec<Outcome>>();
        s.spawn(move |_| {
            for chunk in inputs.chunks(CHUNK) {
                let texts = read(chunk);
                let go = extract_chunk(ex, chunk, texts, &mut |outcomes| {
                    drop(freed.try_iter().collect::<Vec<_>>());
                    tx.send(outcomes).is_ok()
                });
                if !go {
                    break; // `handle` asked to stop
                }
            }
        });
        'chunks: for outcomes in rx.iter() {
            let mut done = Vec::with_capacity(outcomes.len());
            for o in outcomes {
                let (go, back) = handle(o);
                done.extend(back);
                if !go {
                    break 'chunks;
                }
            }
            // The pool may have finished: then this chunk is freed here.
            let _ = back.send(done);
        }
    });
}

/// One article to extract that is not a file: its document record, its text (offsets index its
/// UTF-8 bytes) and warnings about it to hand on (see [`corpus::rows::jobs`]).
///
/// ```
/// let job = partygraph::batch::Job::new(partygraph::corpus::document_info("a", "a"), "Bộ Chính trị họp.");
/// assert!(job.warnings.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Job {
    /// The article's record (ID, path, metadata).
    pub info: crate::extraction::DocumentInfo,
    /// Its text.
    pub text: String,
    /// Warnings about it (metadata left out), delivered with its outcome.
    pub warnings: Vec<InputWarning>,
}

impl Job {
    /// A job without warnings.
    pub fn new(info: crate::extraction::DocumentInfo, text: impl Into<String>) -> Job {
        Job {
            info,
            text: text.into(),
            warnings: Vec::new(),
        }
    }
}

/// Extracts articles given as [`Job`]s (rows of a corpus file, records from a program), in
/// parallel a chunk at a time, calling `sink` with each outcome in the order of `jobs`; an
/// `Err` item is handed on as [`Outcome::Failed`]. `sink` returns false to stop early. Only a
/// chunk of jobs is held at a time, so `jobs` may stream a file of any size.
///
/// ```
/// use partygraph::{batch, corpus, Extractor};
/// let ex = Extractor::new().unwrap();
/// let jobs = ["Bộ Chính trị họp.", "Ban Bí thư họp."]
///     .iter()
///     .enumerate()
///     .map(|(i, t)| Ok(batch::Job::new(corpus::document_info(&format!("r{i}"), "rows"), *t)));
/// let mut ids = Vec::new();
/// batch::run_jobs(&ex, jobs, |o| {
///     if let batch::Outcome::Done(x, _) = o { ids.push(x.document.id.clone()) }
///     true
/// });
/// assert_eq!(ids, ["r0", "r1"]);
/// ```
pub fn run_jobs(
    ex: &Extractor,
    jobs: impl Iterator<Item = Result<Job, InputError>>,
    mut sink: impl FnMut(&Outcome) -> bool,
) {
    let mut jobs = jobs.peekable();
    while jobs.peek().is_some() {
        let chunk: Vec<Result<Job, InputError>> = jobs.by_ref().take(CHUNK).collect();
        let outcomes: Vec<Outcome> = chunk
            .into_par_iter()
            .map(|j| match j {
                Ok(j) => Outcome::Done(Box::new(ex.extract(j.info, &j.text)), j.warnings),
                Err(e) => Outcome::Failed(e),
            })
            .collect();
        for o in &outcomes {
            if !sink(o) {
                forget_memos();
                return;
            }
        }
    }
    forget_memos();
}

/// Builds the merged graph of every input; returns it with the warnings and errors met.
pub fn build_graph(
    ex: &Extractor,
    inputs: &[Input],
) -> (KnowledgeGraph, Vec<InputWarning>, Vec<InputError>) {
    let mut g = KnowledgeGraph::new();
    let mut warnings = Vec::new();
    let mut errors = Vec::new();
    run_borrowed(ex, inputs, |o| {
        match o {
            Outcome::Done(x, w) => {
                g.add_from(x);
                warnings.extend(w.iter().cloned());
            }
            Outcome::Part(x) => g.add_from(x),
            Outcome::Failed(e) => errors.push(e.clone()),
        }
        true
    });
    (g, warnings, errors)
}
