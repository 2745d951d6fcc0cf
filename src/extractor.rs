//! The pipeline for one article, top to bottom:
//! text → normalize → match gazetteers → recognize patterns → resolve aliases → extract
//! relations → [`Extraction`].
//!
//! An [`Extractor`] holds everything built once (the gazetteer, its automaton, the lexicons) and
//! is shared by every document and thread.

use crate::article::{Analysis, FoundIndex, clean_spaces, found_from_entry, is_clean};
use crate::extraction::{DocumentInfo, EntityRecord, Extraction, Mention};
use crate::gazetteer::{Gazetteer, GazetteerBuilder, GazetteerError};
use crate::lexicon::Lexicon;
use crate::matcher::Matcher;
use crate::text::{Fold, Normalized, detect_fold};
use crate::token::sentences;
use crate::types::EntityKind;
use crate::{recognize, relate, resolve};
use rayon::prelude::*;
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
    section_bytes: Option<usize>,
}

/// The longest stretch of a document read as one piece: see [`ExtractorBuilder::section_bytes`].
pub const SECTION_BYTES: usize = 64 * 1024;

/// The smallest section [`ExtractorBuilder::section_bytes`] accepts; smaller values are raised
/// to it.
pub const MIN_SECTION_BYTES: usize = 256;

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
    /// Sets the longest stretch of a document read as one piece (default [`SECTION_BYTES`],
    /// 64 KiB; at least [`MIN_SECTION_BYTES`]).
    ///
    /// A longer document (a dump of many articles in one file) is read in sections that end at
    /// a paragraph break (a blank line; else a line break; else a sentence's or a clause's end;
    /// else a space) before that many
    /// bytes. Every rule that looks at "the article" (a short form resolved to the full name
    /// named before it, the article's own committee, the lead sentences, a meeting and its
    /// roles) looks within the section, so the cost stays linear in the document's size. Each
    /// section reports its own meeting (`meeting:DOC-1`, `meeting:DOC-2`, ...); offsets stay
    /// those of the whole document. A document no longer than this is read whole.
    ///
    /// ```
    /// let ex = partygraph::ExtractorBuilder::new().section_bytes(300).build().unwrap();
    /// let one = "Ngày 5/3/2024, Tỉnh ủy Nghệ An tổ chức hội nghị sơ kết. Đồng chí Nguyễn Văn Bình, Bí thư Tỉnh ủy, chủ trì hội nghị.";
    /// let two = "Ngày 6/3/2024, Tỉnh ủy Hà Tĩnh tổ chức hội nghị tổng kết. Đồng chí Trần Thị Hoa, Bí thư Tỉnh ủy, chủ trì hội nghị.";
    /// let out = ex.extract_str("dump", &format!("{one}\n\n{two}\n"));
    /// let meetings: Vec<&str> = out.entities.iter()
    ///     .filter(|e| e.kind == partygraph::EntityKind::Meeting)
    ///     .map(|e| e.id.as_str()).collect();
    /// assert_eq!(meetings, ["meeting:dump-1", "meeting:dump-2"]);
    /// ```
    pub fn section_bytes(mut self, bytes: usize) -> ExtractorBuilder {
        self.section_bytes = Some(bytes.max(MIN_SECTION_BYTES));
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
            section_bytes: self.section_bytes.unwrap_or(SECTION_BYTES),
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
    section_bytes: usize,
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
        let fold = self.fold_of(text);
        if text.len() <= self.section_bytes {
            let first = Section {
                text,
                given_date,
                given_title,
                document: None,
            };
            return self.extract_section(info, first, fold);
        }
        // A long document: its parts joined.
        let mut whole: Option<Extraction> = None;
        let mut by_id: BTreeMap<String, EntityRecord> = BTreeMap::new();
        self.long_parts(
            info,
            text,
            given_date,
            given_title,
            fold,
            |part| match &mut whole {
                None => {
                    let mut first = part;
                    by_id = std::mem::take(&mut first.entities)
                        .into_iter()
                        .map(|e| (e.id.clone(), e))
                        .collect();
                    whole = Some(first);
                }
                Some(w) => join(w, &mut by_id, part),
            },
        );
        let mut whole = whole.unwrap_or_else(|| Extraction {
            document: DocumentInfo::default(),
            entities: Vec::new(),
            relations: Vec::new(),
        });
        whole.entities = by_id.into_values().collect();
        whole
    }

    /// Extracts from one article like [`extract`](Self::extract), handing the result to `sink`
    /// in parts: one part for an article no longer than the section size
    /// ([`ExtractorBuilder::section_bytes`]), one part per section for a longer document, in
    /// the order of the text, so a document of any size is never held as one extraction.
    ///
    /// Every part carries the document's record (its title and date from the first section,
    /// the authors of the bylines met so far, the bytes of the whole text) and offsets into
    /// the whole text. Merging the parts ([`KnowledgeGraph::add`](crate::KnowledgeGraph::add))
    /// gives the graph of [`extract`](Self::extract)'s extraction.
    ///
    /// ```
    /// let ex = partygraph::ExtractorBuilder::new().section_bytes(300).build().unwrap();
    /// let one = "Ngày 5/3/2024, Tỉnh ủy Nghệ An tổ chức hội nghị sơ kết. Đồng chí Nguyễn Văn Bình, Bí thư Tỉnh ủy, chủ trì hội nghị.";
    /// let text = format!("{one}\n\n{one}\n\n{one}\n");
    /// let mut parts = Vec::new();
    /// ex.extract_parts(partygraph::corpus::document_info("dump", "dump.txt"), &text, |p| parts.push(p));
    /// assert_eq!(parts.len(), 3);
    /// assert!(parts.iter().all(|p| p.document.bytes == text.len()));
    /// ```
    pub fn extract_parts(&self, mut info: DocumentInfo, text: &str, sink: impl FnMut(Extraction)) {
        let mut sink = sink;
        info.bytes = text.len();
        let given_date = info.date.take();
        let given_title = info.title.take();
        let fold = self.fold_of(text);
        if text.len() <= self.section_bytes {
            let first = Section {
                text,
                given_date,
                given_title,
                document: None,
            };
            sink(self.extract_section(info, first, fold));
            return;
        }
        self.long_parts(info, text, given_date, given_title, fold, sink);
    }

    /// The section size in bytes (see [`ExtractorBuilder::section_bytes`]).
    pub fn section_bytes(&self) -> usize {
        self.section_bytes
    }

    fn fold_of(&self, text: &str) -> Fold {
        match self.fold {
            FoldMode::Auto => detect_fold(text),
            FoldMode::Accents => Fold::Accents,
            FoldMode::Ascii => Fold::Ascii,
        }
    }

    /// The parts of a document longer than a section: the first section, then the others a
    /// group at a time in parallel, numbered and handed over in order.
    fn long_parts(
        &self,
        info: DocumentInfo,
        text: &str,
        given_date: Option<String>,
        given_title: Option<String>,
        fold: Fold,
        mut sink: impl FnMut(Extraction),
    ) {
        let bounds = section_bounds(text, self.section_bytes);
        let first = Section {
            text: &text[..bounds[0]],
            given_date,
            given_title,
            document: None,
        };
        let mut head = self.extract_section(info.clone(), first, fold);
        // What later sections know of the document: the first section's title and date.
        let document = head.document.clone();
        let mut record = head.document.clone();
        record.bytes = text.len();
        let mut meetings = renumber_meetings(&mut head, 0);
        head.document = record.clone();
        sink(head);
        let starts: Vec<(usize, usize)> = bounds.windows(2).map(|w| (w[0], w[1])).collect();
        for group in starts.chunks(SECTIONS_AT_ONCE) {
            let parts: Vec<Extraction> = group
                .par_iter()
                .map(|&(start, end)| {
                    let section = Section {
                        text: &text[start..end],
                        given_date: None,
                        given_title: None,
                        document: Some(&document),
                    };
                    let mut part = self.extract_section(info.clone(), section, fold);
                    shift(&mut part, start);
                    part
                })
                .collect();
            for mut part in parts {
                meetings = renumber_meetings(&mut part, meetings);
                for a in std::mem::take(&mut part.document.authors) {
                    if !record.authors.contains(&a) {
                        record.authors.push(a);
                    }
                }
                part.document = record.clone();
                sink(part);
            }
        }
    }

    /// Extracts from one section of a document (the whole of a short one).
    fn extract_section(&self, info: DocumentInfo, section: Section<'_>, fold: Fold) -> Extraction {
        let Section {
            text,
            given_date,
            given_title,
            document,
        } = section;
        // 1. normalize
        let (norm, mut tokens) = Normalized::with_tokens(text, fold);
        let mut starts = crate::lexicon::RuleStarts::default();
        self.lexicon
            .get(fold)
            .number_words(&mut tokens, &norm, &mut starts);
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
            starts,
            caps_lines: Vec::new(),
            by_start: FoundIndex::default(),
            by_end: FoundIndex::default(),
        };
        recognize::meta::dateline(&mut an);
        match document {
            // A later section: the document's title, and its date unless the section has one.
            Some(d) => {
                an.info.title = d.title.clone();
                if an.info.date.is_none() {
                    an.info.date = d.date.clone();
                }
                an.info.authors = d.authors.clone();
            }
            None => {
                if an.info.date.is_none() {
                    an.info.date = given_date;
                }
                if given_title.is_some() {
                    an.info.title = given_title;
                }
            }
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
        recognize::documents::unify_congress_resolutions(&mut an);
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

/// One stretch of a document read as an article.
struct Section<'t> {
    text: &'t str,
    given_date: Option<String>,
    given_title: Option<String>,
    /// What the first section found of the document (none for the first itself).
    document: Option<&'t DocumentInfo>,
}

/// The end of every section of `text`, in order (the last is `text.len()`).
fn section_bounds(text: &str, max: usize) -> Vec<usize> {
    let mut ends = Vec::with_capacity(text.len() / max + 1);
    let mut start = 0;
    while start < text.len() {
        start = section_end(text, start, max);
        ends.push(start);
    }
    if ends.is_empty() {
        ends.push(0);
    }
    ends
}

/// Where the section that starts at `start` ends: after the last blank line within `max`
/// bytes, else the last line break, else the last sentence end (". "), else the last clause
/// mark (", ", "; ", ": "), else the last space, else at a character boundary; never before
/// `max / 2` bytes unless the text ends there.
fn section_end(text: &str, start: usize, max: usize) -> usize {
    if text.len() - start <= max {
        return text.len();
    }
    let mut limit = start + max;
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let bytes = text.as_bytes();
    let floor = start + max / 2;
    let window = &bytes[floor..limit];
    // A blank line: a line break, then only spaces, tabs or '\r' up to the next line break.
    let mut last_nl: Option<usize> = None;
    let mut blank: Option<usize> = None;
    for i in memchr::memchr_iter(b'\n', window) {
        if let Some(p) = last_nl
            && window[p + 1..i]
                .iter()
                .all(|c| matches!(c, b' ' | b'\t' | b'\r'))
        {
            blank = Some(floor + i + 1);
        }
        last_nl = Some(i);
    }
    if let Some(b) = blank {
        return b;
    }
    if let Some(p) = last_nl {
        return floor + p + 1;
    }
    // One long line: after a sentence's end, else a clause's (a name in a list is not cut).
    for marks in [&b".!?"[..], &b";,:"[..]] {
        if let Some(p) = window
            .windows(2)
            .rposition(|w| marks.contains(&w[0]) && w[1] == b' ')
        {
            return floor + p + 2;
        }
    }
    if let Some(p) = window.iter().rposition(|&b| b == b' ' || b == b'\t') {
        return floor + p + 1;
    }
    limit
}

/// Moves a section's offsets to the whole document's.
fn shift(x: &mut Extraction, by: usize) {
    for e in &mut x.entities {
        for m in &mut e.mentions {
            m.start += by;
            m.end += by;
        }
    }
    for r in &mut x.relations {
        r.evidence.start += by;
        r.evidence.end += by;
    }
}

/// Numbers a section's meetings after the `before` meetings of the sections before it
/// (`meeting:DOC-1`, `meeting:DOC-2`, ... in the order of the text), and returns the count so
/// far.
fn renumber_meetings(x: &mut Extraction, before: usize) -> usize {
    let mut meetings: Vec<(usize, String)> = x
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Meeting)
        .map(|e| (e.mentions.first().map_or(0, |m| m.start), e.id.clone()))
        .collect();
    meetings.sort();
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    for (k, (_, id)) in meetings.iter().enumerate() {
        let new = match id.rsplit_once('-') {
            Some((stem, n)) if n.bytes().all(|b| b.is_ascii_digit()) => {
                format!("{stem}-{}", before + k + 1)
            }
            _ => id.clone(),
        };
        if &new != id {
            map.insert(id.clone(), new);
        }
    }
    if !map.is_empty() {
        for e in &mut x.entities {
            if let Some(new) = map.get(&e.id) {
                e.id = new.clone();
            }
        }
        for r in &mut x.relations {
            if let Some(new) = map.get(&r.source) {
                r.source = new.clone();
            }
            if let Some(new) = map.get(&r.target) {
                r.target = new.clone();
            }
        }
    }
    before + meetings.len()
}

/// Sections extracted in parallel at a time (they are handed over in order after each group).
const SECTIONS_AT_ONCE: usize = 16;

/// Adds a later section's extraction to the document's (its entities to `by_id`).
fn join(whole: &mut Extraction, by_id: &mut BTreeMap<String, EntityRecord>, part: Extraction) {
    for e in part.entities {
        match by_id.get_mut(&e.id) {
            Some(rec) => {
                rec.attrs.merge(&e.attrs);
                for a in e.aliases {
                    if a != rec.label {
                        rec.aliases.insert(a);
                    }
                }
                rec.mentions.extend(e.mentions);
            }
            None => {
                by_id.insert(e.id.clone(), e);
            }
        }
    }
    whole.relations.extend(part.relations);
    // Each part carries the document's record as known so far.
    whole.document = part.document;
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_section_ends_at_the_last_blank_line_of_its_second_half() {
        let text = format!(
            "{}\n\n{}\n\n{}\nend",
            "a".repeat(30),
            "b".repeat(40),
            "c".repeat(50)
        );
        // Within 100 bytes: the second blank line (after the b's) is the last one.
        assert_eq!(section_end(&text, 0, 100), 74);
        // A blank line written with spaces and a carriage return counts.
        let crlf = format!("{}\r\n \r\n{}", "a".repeat(60), "b".repeat(60));
        assert_eq!(section_end(&crlf, 0, 100), 65);
    }

    #[test]
    fn without_a_blank_line_a_section_ends_at_a_line_break_then_a_space() {
        let lines = format!("{}\n{}\n{}", "a".repeat(55), "b".repeat(30), "c".repeat(50));
        assert_eq!(section_end(&lines, 0, 100), 87);
        let words = "từ ".repeat(60);
        let e = section_end(&words, 0, 100);
        assert!((50..=100).contains(&e) && words[..e].ends_with(' '), "{e}");
    }

    #[test]
    fn in_one_long_line_a_section_ends_after_a_sentence_then_a_clause() {
        let text = format!(
            "{}. {}, {} {}",
            "a".repeat(60),
            "b".repeat(20),
            "c".repeat(5),
            "d".repeat(60)
        );
        assert_eq!(section_end(&text, 0, 100), 62);
        // No sentence end in the second half: after the comma, so a listed name stays whole.
        let list = "Nguyễn Văn An, ".repeat(20);
        let e = section_end(&list, 0, 100);
        assert!(list[..e].ends_with(", ") && e > 50, "{e}");
    }

    #[test]
    fn a_section_without_spaces_ends_at_a_character_boundary() {
        let text = "đ".repeat(200);
        let e = section_end(&text, 0, 101);
        assert_eq!(e, 100);
        assert!(text.is_char_boundary(e));
    }

    #[test]
    fn a_blank_line_in_the_first_half_is_not_taken() {
        // One blank line early, then one long line: the section ends at the line break of the
        // second half, not after 12 bytes.
        let text = format!(
            "{}\n\n{}\n{}",
            "a".repeat(10),
            "b".repeat(60),
            "c".repeat(80)
        );
        assert_eq!(section_end(&text, 0, 100), 73);
    }

    proptest! {
        #[test]
        fn sections_cover_the_text_in_order_at_character_boundaries(
            pieces in proptest::collection::vec(
                prop_oneof!["[a-zđ ]{1,40}", Just("\n".to_string()), Just("\n\n".to_string()), "[ạăêỏ]{1,9}"],
                0..80,
            ),
            max in 256usize..400,
        ) {
            let text: String = pieces.concat();
            let ends = section_bounds(&text, max);
            let mut start = 0;
            for &e in &ends {
                prop_assert!(text.is_char_boundary(e));
                prop_assert!(e > start || text.is_empty());
                prop_assert!(e - start <= max);
                // Only the last section may be shorter than half the size.
                if e != text.len() {
                    prop_assert!(e - start >= max / 2 - 3);
                }
                start = e;
            }
            prop_assert_eq!(start, text.len());
        }
    }
}
