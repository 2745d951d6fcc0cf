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
use crate::token::{sentences, tokenize};
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
