//! Stage 2b: finding gazetteer names in a folded text.
//!
//! One aho-corasick automaton (leftmost-longest) over the folded keys of every name and alias,
//! built once and shared by every document. Matches respect word boundaries: "Long An" is not
//! found inside "Long Anh"; when the longest candidate at a position fails the boundary test, the
//! next shorter one that ends on a boundary is taken.

use crate::gazetteer::Gazetteer;
use crate::text::{Fold, Normalized, fold, is_word_char};
use crate::token::{Case, Token, TokenKind};
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
    /// Per byte: true when some key begins with it.
    first: [bool; 256],
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
    let mut first = [false; 256];
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
        first[key.as_bytes()[0] as usize] = true;
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
    Automaton { ac, first, info }
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
            match self.accept(a, n, original, s, e) {
                Some(kept) => {
                    pos = kept.folded.1;
                    out.push(kept);
                }
                None => pos = next_word_start(bytes, hay, s),
            }
        }
        out
    }

    /// [`find`](Self::find) for a document already tokenized (`tokens` from
    /// [`tokenize`](crate::token::tokenize) over `n`), asking the automaton only where a kept
    /// match can begin.
    ///
    /// A match is kept only when it starts a word (a position not strictly inside a run of
    /// word characters) and its first letter is not lower case in the original. Keys never
    /// begin with a space or a line break, and every other character begins a token (a word
    /// is a maximal run of word characters; any other character is a token of its own), so
    /// the candidates are token starts whose original character is not lower case and whose
    /// first byte begins some key. At each, the anchored longest match is the one a
    /// leftmost-longest search from there finds; a rejected candidate, like a position with
    /// no match, moves on to the next token.
    pub(crate) fn find_in_tokens(
        &self,
        g: &Gazetteer,
        n: &Normalized,
        original: &str,
        tokens: &[Token],
    ) -> Vec<GazetteerMatch> {
        let a = self.automaton(g, n.fold());
        let hay = n.as_str();
        let bytes = hay.as_bytes();
        let mut out = Vec::new();
        let mut pos = 0;
        for t in tokens {
            let s = t.fs as usize;
            if s < pos || t.kind == TokenKind::Newline {
                continue;
            }
            match bytes.get(s) {
                Some(&b) if a.first[b as usize] => {}
                _ => continue,
            }
            // A word whose letters are all lower case, beginning with a letter, begins with a
            // lower-case character in the original too (the tokenizer read its case there).
            if t.kind == TokenKind::Word && t.case == Case::Lower && !bytes[s].is_ascii_digit() {
                continue;
            }
            let first = original
                .get(n.original_start(s, original.len())..)
                .and_then(|o| o.chars().next());
            if first.is_some_and(|c| c.is_lowercase()) {
                continue;
            }
            let Some(m) =
                a.ac.find(Input::new(hay).range(s..).anchored(Anchored::Yes))
            else {
                continue;
            };
            if let Some(kept) = self.accept(a, n, original, s, m.end()) {
                pos = kept.folded.1;
                out.push(kept);
            }
        }
        out
    }

    /// The match to keep at word start `s` whose longest match ends at `e`, if any.
    fn accept(
        &self,
        a: &Automaton,
        n: &Normalized,
        original: &str,
        s: usize,
        e: usize,
    ) -> Option<GazetteerMatch> {
        let hay = n.as_str();
        let (e, pid) = self.longest_bounded(a, hay, s, e)?;
        let (entry, acronym) = a.info[pid];
        let span = n.original_span(s..e);
        let written = span.slice(original);
        // Names are capitalized: "hòa bình" (peace) is not the province Hòa Bình,
        // and "bộ Công an" inside "Đảng bộ Công an" is not the ministry.
        let proper = written.chars().next().is_some_and(|c| !c.is_lowercase());
        let acronyms_ok = acronym == 0
            || written
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| is_upper_word(w))
                .count()
                >= acronym;
        (proper && acronyms_ok).then_some(GazetteerMatch {
            entry,
            folded: (s, e),
            span,
        })
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

    /// The token-driven search finds exactly what the full search finds.
    #[test]
    fn token_search_equals_full_search() {
        let g = Gazetteer::embedded().unwrap();
        let m = Matcher::new(&g);
        let mut texts: Vec<String> = vec![
            "tỉnh Long Anh, Tỉnh ủy Nghệ An; (Bộ Chính trị) \"Đảng ủy TKV\" hòa bình Hòa Bình"
                .into(),
            "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TRUNG ƯƠNG\n3Tỉnh ủy  Nghệ\tAn-Hà Nội.Bộ Công an".into(),
            "Đảng bộ Công an, bộ Công an, TKV tkv Tkv, 12-NQ/TW, QĐ-TTg".into(),
            String::new(),
        ];
        for dir in [
            "examples/articles",
            "tests/data/articles",
            "tests/data/holdout/articles",
        ] {
            let Ok(rd) = std::fs::read_dir(dir) else {
                continue;
            };
            for e in rd.flatten() {
                if let Ok(t) = std::fs::read_to_string(e.path()) {
                    texts.push(t);
                }
            }
        }
        assert!(texts.len() > 20, "the example articles are read");
        for text in &texts {
            for f in [Fold::Accents, Fold::Ascii] {
                let n = Normalized::new(text, f);
                let tokens = crate::token::tokenize(&n, text);
                assert_eq!(
                    m.find(&g, &n, text),
                    m.find_in_tokens(&g, &n, text, &tokens),
                    "{f:?} {text:?}"
                );
            }
        }
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
