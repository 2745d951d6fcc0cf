//! Stage 2b: finding gazetteer names in a folded text.
//!
//! One aho-corasick automaton (leftmost-longest) over the folded keys of every name and alias,
//! built once and shared by every document. Matches respect word boundaries: "Long An" is not
//! found inside "Long Anh"; when the longest candidate at a position fails the boundary test, the
//! next shorter one that ends on a boundary is taken.

use crate::gazetteer::Gazetteer;
use crate::text::{Fold, Normalized, fold, is_word_char};
use crate::types::Span;
use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, Input, MatchKind, StartKind};
use std::collections::HashMap;
use std::sync::OnceLock;

/// A gazetteer name found in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GazetteerMatch {
    /// The index of the entry in [`Gazetteer::entries`].
    pub entry: usize,
    /// Bytes of the folded view.
    pub folded: (usize, usize),
    /// Bytes of the original text.
    pub span: Span,
}

struct Automaton {
    ac: AhoCorasick,
    /// Per pattern: (entry index, number of acronym words that must be upper case).
    info: Vec<(usize, usize)>,
}

/// The automaton over a gazetteer's names, for both folds.
///
/// ```
/// use partygraph::{Gazetteer, Matcher, text::{Fold, Normalized}};
/// let g = Gazetteer::embedded().unwrap();
/// let m = Matcher::new(&g);
/// let text = "Đồng chí Bí thư Tỉnh uỷ Nghệ An phát biểu.";
/// let found = m.find(&g, &Normalized::new(text, Fold::Accents), text);
/// let names: Vec<&str> = found.iter().map(|f| &text[f.span.start..f.span.end]).collect();
/// assert!(names.contains(&"Tỉnh uỷ Nghệ An"));
/// ```
pub struct Matcher {
    accents: Automaton,
    ascii: OnceLock<Automaton>,
    keys: Vec<(String, usize)>,
}

impl std::fmt::Debug for Matcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Matcher")
            .field("patterns", &self.accents.info.len())
            .finish()
    }
}

/// How many words of a written name are acronyms (two or more letters, all upper case): such
/// words must be upper case in the text too, so "TKV" matches but the word "tkv" does not.
fn acronym_words(s: &str) -> usize {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| is_upper_word(w))
        .count()
}

fn is_upper_word(w: &str) -> bool {
    w.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !w.chars().any(char::is_lowercase)
}

fn build(keys: &[(String, usize)], g: &Gazetteer, fold_kind: Fold) -> Automaton {
    // Folded key -> pattern; a key two different entries claim (possible only across kinds, or in
    // the ASCII fold) keeps the entry with the lowest index, which is explicit before generated.
    let mut seen: HashMap<(String, crate::types::EntityKind), usize> = HashMap::new();
    let mut patterns: Vec<String> = Vec::new();
    let mut info = Vec::new();
    for (written, entry) in keys {
        let key = fold(written, fold_kind);
        if key.is_empty() {
            continue;
        }
        let kind = g.entry(*entry).kind;
        if seen.contains_key(&(key.clone(), kind)) {
            continue;
        }
        seen.insert((key.clone(), kind), *entry);
        patterns.push(key);
        info.push((*entry, acronym_words(written)));
    }
    // A contiguous NFA builds in a few milliseconds (a DFA over 20,000 keys takes ~60 ms of
    // start-up) and searches nearly as fast: the search is a small share of the pipeline.
    let ac = AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .start_kind(StartKind::Both)
        .kind(Some(AhoCorasickKind::ContiguousNFA))
        .build(&patterns)
        .or_else(|_| {
            AhoCorasick::builder()
                .match_kind(MatchKind::LeftmostLongest)
                .start_kind(StartKind::Both)
                .build(&patterns)
        })
        .expect("gazetteer automaton fits in memory");
    Automaton { ac, info }
}

impl Matcher {
    /// Builds the automaton for the folded view with accents. The diacritic-free automaton is
    /// built the first time a document needs it.
    pub fn new(g: &Gazetteer) -> Matcher {
        let keys: Vec<(String, usize)> = g.keys().map(|(k, i)| (k.to_string(), i)).collect();
        let accents = build(&keys, g, Fold::Accents);
        Matcher {
            accents,
            ascii: OnceLock::new(),
            keys,
        }
    }

    fn automaton(&self, g: &Gazetteer, f: Fold) -> &Automaton {
        match f {
            Fold::Accents => &self.accents,
            Fold::Ascii => self.ascii.get_or_init(|| build(&self.keys, g, Fold::Ascii)),
        }
    }

    /// Every word-bounded, non-overlapping, longest gazetteer match in `n` (the folded view of
    /// `original`), in text order.
    pub fn find(&self, g: &Gazetteer, n: &Normalized, original: &str) -> Vec<GazetteerMatch> {
        let a = self.automaton(g, n.fold());
        let hay = n.as_str();
        let bytes = hay.as_bytes();
        let mut out = Vec::new();
        let mut pos = 0;
        while pos < hay.len() {
            let Some(m) = a.ac.find(Input::new(hay).range(pos..)) else {
                break;
            };
            let (s, e) = (m.start(), m.end());
            if !starts_word(hay, s) {
                // Not at a word start: look again from the next word start.
                pos = next_word_start(bytes, hay, s);
                continue;
            }
            match self.longest_bounded(a, hay, s, e) {
                Some((e, pid)) => {
                    let (entry, acronym) = a.info[pid];
                    let span = n.original_span(s..e);
                    let written = span.slice(original);
                    // Names of places and people are capitalized: "hòa bình" (peace) is not the
                    // province Hòa Bình.
                    // Names are capitalized: "hòa bình" (peace) is not the province Hòa Bình,
                    // and "bộ Công an" inside "Đảng bộ Công an" is not the ministry.
                    let proper = written.chars().next().is_some_and(|c| !c.is_lowercase());
                    let acronyms_ok = acronym == 0
                        || written
                            .split(|c: char| !c.is_alphanumeric())
                            .filter(|w| is_upper_word(w))
                            .count()
                            >= acronym;
                    if proper && acronyms_ok {
                        out.push(GazetteerMatch {
                            entry,
                            folded: (s, e),
                            span,
                        });
                        pos = e;
                    } else {
                        pos = next_word_start(bytes, hay, s);
                    }
                }
                None => pos = next_word_start(bytes, hay, s),
            }
        }
        out
    }

    /// The longest match at `s` that ends on a word boundary, at most `e`.
    fn longest_bounded(
        &self,
        a: &Automaton,
        hay: &str,
        s: usize,
        mut e: usize,
    ) -> Option<(usize, usize)> {
        loop {
            if ends_word(hay, e) {
                let m =
                    a.ac.find(Input::new(hay).range(s..e).anchored(Anchored::Yes))?;
                if m.end() == e {
                    return Some((e, m.pattern().as_usize()));
                }
                e = m.end();
                continue;
            }
            // Shrink to the previous word end and ask for the longest match within it.
            let mut k = e;
            while k > s && !ends_word(hay, k) {
                k -= 1;
            }
            if k <= s {
                return None;
            }
            let m =
                a.ac.find(Input::new(hay).range(s..k).anchored(Anchored::Yes))?;
            e = m.end();
        }
    }
}

fn prev_char(hay: &str, at: usize) -> Option<char> {
    hay.get(..at).and_then(|h| h.chars().next_back())
}

fn next_char(hay: &str, at: usize) -> Option<char> {
    hay.get(at..).and_then(|h| h.chars().next())
}

fn starts_word(hay: &str, s: usize) -> bool {
    let first = next_char(hay, s).is_some_and(is_word_char);
    !first || !prev_char(hay, s).is_some_and(is_word_char)
}

fn ends_word(hay: &str, e: usize) -> bool {
    if !hay.is_char_boundary(e) {
        return false;
    }
    let last = prev_char(hay, e).is_some_and(is_word_char);
    !last || !next_char(hay, e).is_some_and(is_word_char)
}

fn next_word_start(bytes: &[u8], hay: &str, s: usize) -> usize {
    // Skip the rest of the current word, then any non-word characters.
    let mut i = s + 1;
    while i < bytes.len() && !hay.is_char_boundary(i) {
        i += 1;
    }
    while i < bytes.len() {
        match next_char(hay, i) {
            Some(c) if is_word_char(c) && prev_char(hay, i).is_some_and(is_word_char) => {
                i += c.len_utf8()
            }
            _ => break,
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::gazetteer::GazetteerBuilder;

    fn g() -> Gazetteer {
        GazetteerBuilder::new()
            .embedded(false)
            .file(
                "t.entities.tsv",
                "place\tLong An\nplace\tLong\ncommittee\tĐảng ủy Tập đoàn Mẫu\tĐảng ủy TĐM\ncommittee\tBan Thường vụ\n",
            )
            .build()
            .unwrap()
    }

    fn names(text: &str) -> Vec<String> {
        let g = g();
        let m = Matcher::new(&g);
        m.find(&g, &Normalized::new(text, Fold::Accents), text)
            .iter()
            .map(|f| text[f.span.start..f.span.end].to_string())
            .collect()
    }

    #[test]
    fn word_boundaries() {
        assert_eq!(names("tỉnh Long Anh"), vec!["Long"]);
        assert_eq!(names("tỉnh Long An."), vec!["Long An"]);
        assert_eq!(names("Thanh Long An"), vec!["Long An"]);
        assert!(names("ThanhLong An").is_empty());
    }

    #[test]
    fn longest_and_variants() {
        assert_eq!(
            names("ĐẢNG UỶ TẬP ĐOÀN MẪU họp"),
            vec!["ĐẢNG UỶ TẬP ĐOÀN MẪU"]
        );
        assert_eq!(names("Đảng ủy TĐM và đảng ủy tđm"), vec!["Đảng ủy TĐM"]);
    }
}
