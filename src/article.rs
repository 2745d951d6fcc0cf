//! The state of one article while it goes through the stages: its text, tokens and sentences,
//! the mentions found so far ([`Found`]) and what the recognizers leave for the resolve and
//! relation stages (short committee names, full name parts, abbreviations). Every stage reads
//! and writes it; it depends on no stage, so the stages depend on it and not on each other.

use crate::extraction::{Attributes, DocumentInfo};
use crate::gazetteer::{Gazetteer, node_id};
use crate::text::{Normalized, slug};
use crate::token::Token;
use crate::types::{EntityKind, Recognizer, Span};

/// One article while it goes through the stages.
pub(crate) struct Analysis<'a> {
    pub doc: &'a str,
    pub original: &'a str,
    pub norm: Normalized,
    pub tokens: Vec<Token>,
    pub sentences: Vec<(usize, usize)>,
    pub found: Vec<Found>,
    pub info: DocumentInfo,
    /// Committees named by short forms, resolved in the resolve stage.
    pub short_committees: Vec<ShortCommittee>,
    /// Full committee names seen, for short forms to resolve against.
    pub name_parts: Vec<NamePart>,
    /// Abbreviations defined in parentheses: folded acronym → full name.
    pub acronyms: rustc_hash::FxHashMap<String, String>,
    /// One-syllable names after an honorific ("đồng chí Ninh"): token ranges.
    pub short_people: Vec<(usize, usize)>,
    /// Documents whose issuer is a short form: (document span start, issuer's first token).
    pub pending_issuers: Vec<(usize, usize)>,
    /// Where the recognizers and the relation stage's phrase lookups may find something.
    pub starts: crate::lexicon::RuleStarts,
    /// Per token: on a line written mostly in capitals (set by the committee recognizer).
    pub caps_lines: Vec<bool>,
    /// Mentions by first token (built by [`Analysis::index_found`]).
    pub by_start: FoundIndex,
    /// Mentions by end token.
    pub by_end: FoundIndex,
}

const NONE: u32 = u32::MAX;

/// Indexes into `found` per token, as linked lists in insertion order: two numbers per token
/// and one per mention, however many mentions a token has.
#[derive(Debug, Default)]
pub(crate) struct FoundIndex {
    /// Per token: its first and last mention.
    ends: Vec<(u32, u32)>,
    /// Per mention: the next mention of the same token.
    next: Vec<u32>,
}

impl FoundIndex {
    pub(crate) fn reset(&mut self, tokens: usize) {
        self.ends.clear();
        self.ends.resize(tokens, (NONE, NONE));
        self.next.clear();
    }
    /// Records mention `i` (the next index) at token `k`.
    fn push(&mut self, k: usize, i: usize) {
        if self.next.len() <= i {
            self.next.resize(i + 1, NONE);
        }
        if let Some(e) = self.ends.get_mut(k) {
            if e.0 == NONE {
                e.0 = i as u32;
            } else if let Some(n) = self.next.get_mut(e.1 as usize) {
                *n = i as u32;
            }
            e.1 = i as u32;
        }
    }
    /// The mentions at token `k`, in insertion order.
    fn at(&self, k: usize) -> FoundIter<'_> {
        FoundIter {
            idx: self,
            cur: self.ends.get(k).map_or(NONE, |e| e.0),
        }
    }
}

pub(crate) struct FoundIter<'i> {
    idx: &'i FoundIndex,
    cur: u32,
}

impl Iterator for FoundIter<'_> {
    type Item = usize;
    #[inline]
    fn next(&mut self) -> Option<usize> {
        if self.cur == NONE {
            return None;
        }
        let i = self.cur as usize;
        self.cur = self.idx.next.get(i).copied().unwrap_or(NONE);
        Some(i)
    }
}

/// An entity mention found by some stage, before resolution.
#[derive(Debug, Clone)]
pub(crate) struct Found {
    pub kind: EntityKind,
    pub span: Span,
    /// Token range `[start, end)`.
    pub tok: (usize, usize),
    /// Canonical name.
    pub name: String,
    pub aliases: Vec<String>,
    pub attrs: Attributes,
    pub recognizer: Recognizer,
    pub confidence: f32,
    pub reference_only: bool,
    /// The node ID when it is not `kind:slug(name)` (scoped document codes).
    pub id_override: Option<String>,
    /// The gazetteer entry it was made from, if any (its ID is cached there).
    pub entry: Option<usize>,
}

impl Found {
    /// A mention of `name` over tokens `tok`, found by `recognizer` with `confidence`.
    pub fn new(
        an: &Analysis<'_>,
        kind: EntityKind,
        name: &str,
        tok: (usize, usize),
        recognizer: Recognizer,
        confidence: f32,
    ) -> Found {
        Found {
            kind,
            span: an.span(tok.0, tok.1),
            tok,
            name: name.to_string(),
            aliases: Vec::new(),
            attrs: Attributes::default(),
            recognizer,
            confidence,
            reference_only: false,
            id_override: None,
            entry: None,
        }
    }

    /// [`id`](Self::id), taken from the gazetteer's cache when the mention still has its
    /// entry's kind, name and code.
    pub fn id_with(&self, g: &Gazetteer) -> String {
        if self.id_override.is_none()
            && let Some(i) = self.entry
        {
            let e = g.entry(i);
            if e.kind == self.kind
                && e.name == self.name
                && (self.kind != EntityKind::Resolution
                    || self.attrs.code.as_deref() == e.attr("code"))
            {
                return g.mention_id(i).to_string();
            }
        }
        self.id()
    }

    /// [`id`](Self::id), borrowed when it is already known.
    pub fn id_ref(&self) -> std::borrow::Cow<'_, str> {
        match &self.id_override {
            Some(id) => std::borrow::Cow::Borrowed(id),
            None => std::borrow::Cow::Owned(self.id()),
        }
    }

    pub fn id(&self) -> String {
        if let Some(id) = &self.id_override {
            return id.clone();
        }
        match self.kind {
            EntityKind::Resolution => resolution_id(&self.name, &self.attrs),
            k => node_id(k, &self.name),
        }
    }
}

impl<'a> Analysis<'a> {
    /// Indexes the mentions found so far by their first token.
    pub fn index_found(&mut self) {
        let n = self.tokens.len() + 1;
        self.by_start.reset(n);
        self.by_end.reset(n);
        for (i, f) in self.found.iter().enumerate() {
            self.by_start.push(f.tok.0, i);
            self.by_end.push(f.tok.1, i);
        }
    }
    /// The mentions that end at token `k` (after [`index_found`](Self::index_found)).
    pub fn ending_at(&self, k: usize) -> impl Iterator<Item = &Found> + '_ {
        self.by_end.at(k).map(|i| &self.found[i])
    }
    /// The mentions that begin at token `k` (after [`index_found`](Self::index_found)).
    pub fn starting_at(&self, k: usize) -> impl Iterator<Item = &Found> + '_ {
        self.by_start.at(k).map(|i| &self.found[i])
    }
    /// Adds a mention, keeping the index.
    pub fn push_found(&mut self, f: Found) {
        let i = self.found.len();
        self.by_start.push(f.tok.0, i);
        self.by_end.push(f.tok.1, i);
        self.found.push(f);
    }
    /// The token index whose original span starts at or after `byte`.
    pub fn token_at(&self, byte: usize) -> usize {
        self.tokens.partition_point(|t| t.span.start < byte)
    }
    /// The token text (folded).
    pub fn t(&self, i: usize) -> &str {
        self.tokens.get(i).map(|t| t.text(&self.norm)).unwrap_or("")
    }
    /// The original text of tokens `[a, b)`.
    pub fn orig(&self, a: usize, b: usize) -> &'a str {
        if a >= b || b > self.tokens.len() {
            return "";
        }
        Span::new(self.tokens[a].span.start, self.tokens[b - 1].span.end).slice(self.original)
    }
    /// The span of tokens `[a, b)`.
    pub fn span(&self, a: usize, b: usize) -> Span {
        if a >= b || b > self.tokens.len() {
            return Span::new(0, 0);
        }
        Span::new(self.tokens[a].span.start, self.tokens[b - 1].span.end)
    }
    /// The sentence (token range) holding token `i`.
    pub fn sentence_of(&self, i: usize) -> (usize, usize) {
        let k = self.sentences.partition_point(|s| s.1 <= i);
        self.sentences.get(k).copied().unwrap_or((i, i + 1))
    }
}

/// A committee named by a short form, to be resolved against the article's full names.
#[derive(Debug, Clone)]
pub(crate) struct ShortCommittee {
    /// Sub-bodies, outermost first.
    pub prefixes: Vec<&'static str>,
    /// The body word, if any ("Đảng ủy"); `None` for a bare sub-body ("Ban Chấp hành").
    pub body: Option<&'static str>,
    /// The first word(s) of the name ("Tập đoàn", "Viện", "tỉnh"), if any.
    pub partial: Option<String>,
    /// Its tokens.
    pub tok: (usize, usize),
    /// The first token of the body word, after the sub-bodies (the end of the sub-bodies for a
    /// bare sub-body).
    pub body_at: usize,
}

/// A full name part of a committee seen in the article: (body, name part, first token).
#[derive(Debug, Clone)]
pub(crate) struct NamePart {
    pub body: &'static str,
    pub name: String,
    /// `name` folded like the document.
    pub folded: String,
    pub at: usize,
}

/// The node ID of a resolution from its name and attributes (gazetteer entries and documents
/// whose ID was not scoped by the recognizer).
pub(crate) fn resolution_id(name: &str, attrs: &Attributes) -> String {
    match &attrs.code {
        Some(c) => format!("resolution:{}", slug(c)),
        None => format!("resolution:{}", slug(name)),
    }
}

/// `s` with its whitespace collapsed: the words of `s.split_whitespace()` joined by one space.
pub(crate) fn clean_spaces(s: &str) -> String {
    if is_clean(s.as_bytes()) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

/// True when `b` (UTF-8) holds no whitespace but single spaces between words. Conservative:
/// any byte that may begin a non-ASCII whitespace character (U+0085, U+00A0, U+1680,
/// U+2000–U+205F, U+3000) sends the text the slow way.
pub(crate) fn is_clean(b: &[u8]) -> bool {
    let mut prev_space = true; // no leading space
    for (k, &c) in b.iter().enumerate() {
        match c {
            b' ' => {
                if prev_space {
                    return false;
                }
                prev_space = true;
                continue;
            }
            0x09..=0x0D | 0xC2 | 0xE2 | 0xE3 => return false,
            0xE1 if b.get(k + 1) == Some(&0x9A) => return false,
            _ => {}
        }
        prev_space = false;
    }
    // No trailing space (an empty text is clean).
    !prev_space || b.is_empty()
}

/// A mention of gazetteer entry `i`.
pub(crate) fn found_from_entry(g: &Gazetteer, i: usize, span: Span, tok: (usize, usize)) -> Found {
    let e = g.entry(i);
    let mut attrs = Attributes::default();
    match e.kind {
        EntityKind::Committee => {
            attrs.level = e.attr("level").map(String::from);
            attrs.parent = e.attr("parent").map(String::from);
        }
        EntityKind::Resolution => {
            attrs.code = e.attr("code").map(String::from);
            attrs.doc_type = e.attr("type").map(String::from);
            attrs.issuer = e.attr("issuer").map(String::from);
            attrs.date = e.attr("date").map(String::from);
            attrs.subject = e.attr("subject").map(String::from);
            attrs.number = attrs
                .code
                .as_deref()
                .and_then(|c| c.split(['-', '/']).next())
                .map(String::from);
        }
        EntityKind::Organization | EntityKind::Place => {
            attrs.org_type = e.attr("type").map(String::from);
        }
        _ => {}
    }
    Found {
        kind: e.kind,
        span,
        tok,
        name: e.name.clone(),
        aliases: Vec::new(),
        attrs,
        recognizer: Recognizer::Gazetteer,
        confidence: 1.0,
        reference_only: false,
        id_override: None,
        entry: Some(i),
    }
}

#[cfg(test)]
mod clean_tests {
    use super::clean_spaces;

    #[test]
    fn clean_spaces_is_split_and_join() {
        for s in [
            "",
            " ",
            "a",
            "a b",
            "a  b",
            " a",
            "a ",
            "a\nb",
            "a\tb",
            "Tỉnh ủy Nghệ An",
            "Bí thư\u{a0}Tỉnh ủy",
            "a\u{85}b",
            "a\u{1680}b",
            "a\u{2003}b",
            "a\u{202f}b",
            "a\u{3000}b",
            "“Đảng ủy” – Khối",
            "Ế ế ỗ ự",
        ] {
            let want = s.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(clean_spaces(s), want, "{s:?}");
        }
    }
}
