//! The floor a build is compared with in `scripts/bench.sh`: the bare word-bounded search of
//! our own gazetteer automaton over the same files, on one thread.
//!
//! Every gazetteer name and alias, folded as the matcher folds them, in an Aho-Corasick
//! automaton of the kind the matcher builds (contiguous NFA, leftmost-longest); each file is
//! read, lower-cased and searched, and a match counts when no letter or digit touches it on
//! either side. No normalization beyond lower case, no tokens, no rules, no output: what any
//! gazetteer tagger has to do at the least. Prints the files, bytes, matches, seconds and MB/s.
//!
//! ```text
//! cargo run --release --example search_floor -- bench-corpus/50mb
//! ```

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use partygraph::corpus;
use partygraph::gazetteer::Gazetteer;
use partygraph::text::{Fold, fold};
use std::error::Error;
use std::path::PathBuf;
use std::time::Instant;

fn main() -> Result<(), Box<dyn Error>> {
    let paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        return Err("usage: search_floor FILE|FOLDER...".into());
    }
    let g = Gazetteer::embedded()?;
    let mut keys: Vec<String> = g
        .entries()
        .iter()
        .flat_map(|e| std::iter::once(&e.name).chain(e.aliases.iter()))
        .map(|k| fold(k, Fold::Accents))
        .filter(|k| !k.is_empty())
        .collect();
    keys.sort_unstable();
    keys.dedup();
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(&keys)?;
    let (inputs, errors) = corpus::collect(&paths);
    if let Some(e) = errors.first() {
        return Err(e.to_string().into());
    }
    let started = Instant::now();
    let (mut bytes, mut matches) = (0usize, 0usize);
    for input in &inputs {
        let raw = std::fs::read(input.path())
            .map_err(|e| format!("{}: {}", input.path().display(), e))?;
        bytes += raw.len();
        let text = String::from_utf8_lossy(&raw).to_lowercase();
        let is_word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        for m in ac.find_iter(&text) {
            let before = text[..m.start()].chars().next_back();
            let after = text[m.end()..].chars().next();
            if !is_word(before) && !is_word(after) {
                matches += 1;
            }
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "files {} bytes {bytes} matches {matches} seconds {secs:.3} mb_per_s {:.1}",
        inputs.len(),
        bytes as f64 / 1e6 / secs
    );
    Ok(())
}
