//! The pipeline for one article, top to bottom:
//! text → normalize → match gazetteers → recognize patterns → resolve aliases → extract
//! relations → [`Extraction`].
//!
//! An [`Extractor`] holds everything built once (the gazetteer, its automaton, the lexicons) and
//! is shared by every document and thread.

use crate::extraction::{Attributes, DocumentInfo, EntityRecord, Extraction, Mention};
use crate::gazetteer::{Gazetteer, GazetteerBuilder, GazetteerError, node_id};
use crate::lexicon::Lexicon;
use crate::matcher::Matcher;
use crate::text::{Fold, Normalized, detect_fold};
use crate::token::{Token, sentences, tokenize};
use crate::types::{EntityKind, Recognizer, Span};
use crate::{recognize, relate, resolve};
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

/// Which fold to match documents in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FoldMode {
    /// Per document: without diacritics when its letters carry almost none.
    #[default]
    Auto,
    /// Always with diacritics.
    Accents,
    /// Always without diacritics.
    Ascii,
}

/// Builds an [`Extractor`].
///
/// ```
/// use partygraph::{ExtractorBuilder, FoldMode};
/// let ex = ExtractorBuilder::new().fold(FoldMode::Accents).build().unwrap();
/// let out = ex.extract_str("a", "Bộ Chính trị họp.");
/// assert!(out.entities.iter().any(|e| e.id == "committee:bo-chinh-tri"));
/// ```
#[derive(Debug, Default)]
pub struct ExtractorBuilder {
    gazetteer_dirs: Vec<PathBuf>,
    gazetteer: Option<Gazetteer>,
    fold: FoldMode,
}

impl ExtractorBuilder {
    /// Starts from the embedded gazetteers.
    pub fn new() -> ExtractorBuilder {
        ExtractorBuilder::default()
    }
    /// Adds or replaces gazetteer files from a folder.
    pub fn gazetteer_dir(mut self, dir: impl Into<PathBuf>) -> ExtractorBuilder {
        self.gazetteer_dirs.push(dir.into());
        self
    }
    /// Uses a gazetteer built elsewhere (the folders are then ignored).
    pub fn gazetteer(mut self, g: Gazetteer) -> ExtractorBuilder {
        self.gazetteer = Some(g);
        self
    }
    /// Sets the fold mode.
    pub fn fold(mut self, f: FoldMode) -> ExtractorBuilder {
        self.fold = f;
        self
    }
    /// Loads the gazetteers and builds the automata.
    pub fn build(self) -> Result<Extractor, GazetteerError> {
        let gaz = match self.gazetteer {
            Some(g) => g,
            None => {
                let mut b = GazetteerBuilder::new();
                for d in &self.gazetteer_dirs {
                    b = b.dir(d);
                }
                b.build()?
            }
        };
        let matcher = Matcher::new(&gaz);
        let lexicon = Lexicon::new(&gaz);
        Ok(Extractor {
            gaz,
            matcher,
            lexicon,
            fold: self.fold,
        })
    }
}

/// Extracts entities and relations from articles.
///
/// ```
/// let ex = partygraph::Extractor::new().unwrap();
/// let text = "Ngày 5/3/2024, Tỉnh ủy Nghệ An tổ chức hội nghị. Đồng chí Nguyễn Văn Bình, Bí thư Tỉnh ủy, chủ trì hội nghị.";
/// let out = ex.extract_str("bai-1", text);
/// let ids: Vec<&str> = out.entities.iter().map(|e| e.id.as_str()).collect();
/// assert!(ids.contains(&"committee:tinh-uy-nghe-an"));
/// assert!(ids.contains(&"person:nguyen-van-binh"));
/// ```
#[derive(Debug)]
pub struct Extractor {
    gaz: Gazetteer,
    matcher: Matcher,
    lexicon: Lexicon,
    fold: FoldMode,
}

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
    pub short_committees: Vec<crate::recognize::committees::ShortCommittee>,
    /// Full committee names seen, for short forms to resolve against.
    pub name_parts: Vec<crate::recognize::committees::NamePart>,
    /// Abbreviations defined in parentheses: folded acronym → full name.
    pub acronyms: rustc_hash::FxHashMap<String, String>,
    /// One-syllable names after an honorific ("đồng chí Ninh"): token ranges.
    pub short_people: Vec<(usize, usize)>,
    /// Documents whose issuer is a short form: (document span start, issuer's first token).
    pub pending_issuers: Vec<(usize, usize)>,
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
    fn reset(&mut self, tokens: usize) {
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
            EntityKind::Resolution => {
                crate::recognize::documents::resolution_id(&self.name, &self.attrs)
            }
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

impl Extractor {
    /// An extractor over the embedded gazetteers.
    pub fn new() -> Result<Extractor, GazetteerError> {
        ExtractorBuilder::new().build()
    }

    /// Starts a builder.
    pub fn builder() -> ExtractorBuilder {
        ExtractorBuilder::new()
    }

    /// The gazetteer in use.
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gaz
    }

    /// Extracts from one article given as text, with `doc_id` as its ID and path.
    pub fn extract_str(&self, doc_id: &str, text: &str) -> Extraction {
        self.extract(
            DocumentInfo {
                id: doc_id.to_string(),
                path: doc_id.to_string(),
                url: None,
                source: None,
                date: None,
                title: None,
                authors: Vec::new(),
                bytes: text.len(),
            },
            text,
        )
    }

    /// Extracts from one article. `info.id` names the document in every mention and evidence.
    ///
    /// A `date` given in `info` (ISO, e.g. a corpus row's) is the article's date when the text
    /// has no dateline: facts and positions are dated with it. A `title` given is kept; without
    /// one, the headline (the first line, when it reads as one) becomes the title.
    ///
    /// ```
    /// let ex = partygraph::Extractor::new().unwrap();
    /// let text = "Đồng chí Nguyễn Văn Bình, Bí thư Tỉnh ủy Nghệ An, chủ trì hội nghị.";
    /// let info = partygraph::DocumentInfo {
    ///     date: Some("2024-03-05".into()),
    ///     ..partygraph::corpus::document_info("bai-1", "bai-1")
    /// };
    /// let out = ex.extract(info, text);
    /// assert_eq!(out.document.date.as_deref(), Some("2024-03-05"));
    /// let with_dateline = ex.extract(
    ///     partygraph::DocumentInfo { date: Some("2024-03-05".into()), ..out.document.clone() },
    ///     &format!("Ngày 1/2/2023, Tỉnh ủy Nghệ An họp.\n{text}"),
    /// );
    /// assert_eq!(with_dateline.document.date.as_deref(), Some("2023-02-01"));
    /// ```
    pub fn extract(&self, mut info: DocumentInfo, text: &str) -> Extraction {
        info.bytes = text.len();
        let given_date = info.date.take();
        let given_title = info.title.take();
        let fold = match self.fold {
            FoldMode::Auto => detect_fold(text),
            FoldMode::Accents => Fold::Accents,
            FoldMode::Ascii => Fold::Ascii,
        };
        // 1. normalize
        let norm = Normalized::new(text, fold);
        let mut tokens = tokenize(&norm, text);
        self.lexicon.get(fold).assign_words(&mut tokens, &norm);
        let sents = sentences(&tokens, &norm);
        let doc_id = info.id.clone();
        let mut an = Analysis {
            doc: &doc_id,
            original: text,
            norm,
            tokens,
            sentences: sents,
            found: Vec::new(),
            info,
            short_committees: Vec::new(),
            name_parts: Vec::new(),
            acronyms: rustc_hash::FxHashMap::default(),
            short_people: Vec::new(),
            pending_issuers: Vec::new(),
            caps_lines: Vec::new(),
            by_start: FoundIndex::default(),
            by_end: FoundIndex::default(),
        };
        recognize::meta::dateline(&mut an);
        if an.info.date.is_none() {
            an.info.date = given_date;
        }
        if given_title.is_some() {
            an.info.title = given_title;
        }
        // 2. match gazetteers
        let matches = self
            .matcher
            .find_in_tokens(&self.gaz, &an.norm, text, &an.tokens);
        for m in &matches {
            let a = an.token_at(m.span.start);
            let b = an.token_at(m.span.end);
            an.found
                .push(found_from_entry(&self.gaz, m.entry, m.span, (a, b)));
        }
        // 3. recognize patterns
        recognize::run(&mut an, &self.gaz, &self.lexicon);
        // 4. resolve aliases
        resolve::resolve(&mut an, &self.gaz);
        recognize::documents::finalize_issuers(&mut an);
        recognize::documents::unify_documents(&mut an);
        // Node IDs are slugs of names: compute each once.
        for f in &mut an.found {
            if f.id_override.is_none() {
                f.id_override = Some(f.id_with(&self.gaz));
            }
        }
        // 5. relations (and the meetings and organizations they need)
        let related = relate::relate(&mut an, &self.gaz, &self.lexicon);
        // 6. assemble
        let mut entities: BTreeMap<String, EntityRecord> = BTreeMap::new();
        // The mentions are not needed after this: their strings move into the records.
        for mut f in std::mem::take(&mut an.found) {
            let id = match f.id_override.take() {
                Some(id) => id,
                None => f.id(),
            };
            let rec = match entities.get_mut(id.as_str()) {
                Some(rec) => {
                    rec.attrs.merge(&f.attrs);
                    rec
                }
                // A new record takes the mention's attributes (what merging them into empty
                // ones gives).
                None => entities.entry(id.clone()).or_insert(EntityRecord {
                    id,
                    kind: f.kind,
                    label: f.name,
                    aliases: BTreeSet::new(),
                    attrs: std::mem::take(&mut f.attrs),
                    mentions: Vec::new(),
                }),
            };
            for a in f.aliases {
                if !rec.aliases.contains(&a) {
                    rec.aliases.insert(a);
                }
            }
            let written = f.span.slice(text);
            if !written.is_empty() {
                if is_clean(written.as_bytes()) {
                    if !rec.aliases.contains(written) {
                        rec.aliases.insert(written.to_string());
                    }
                } else {
                    // As written, with whitespace collapsed (line breaks inside names happen).
                    let alias = clean_spaces(written);
                    if !rec.aliases.contains(&alias) {
                        rec.aliases.insert(alias);
                    }
                }
            }
            rec.mentions.push(Mention {
                doc: doc_id.clone(),
                start: f.span.start,
                end: f.span.end,
                text: written.to_string(),
                recognizer: f.recognizer,
                confidence: f.confidence,
                reference_only: f.reference_only,
            });
        }
        for m in related.extra_entities {
            match entities.get_mut(&m.id) {
                Some(e) => {
                    e.mentions.extend(m.mentions);
                    e.aliases.extend(m.aliases);
                    e.attrs.merge(&m.attrs);
                }
                None => {
                    entities.insert(m.id.clone(), m);
                }
            }
        }
        let relations = related.relations;
        for rec in entities.values_mut() {
            let label = &rec.label;
            rec.aliases.retain(|a| a != label && !a.is_empty());
            rec.mentions.sort_by_key(|m| (m.start, m.end));
        }
        Extraction {
            document: an.info,
            entities: entities.into_values().collect(),
            relations,
        }
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
fn is_clean(b: &[u8]) -> bool {
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
