//! Stage 2a: the gazetteers — what partygraph knows before reading anything.
//!
//! Files are plain UTF-8 TSV (format in `gazetteers/README.md`), embedded in the binary and
//! overridable file by file from a folder. Loading checks every line and reports
//! `file:line: what is wrong`; nothing is resolved silently by load order.

use crate::text::{Fold, fold, slug};
use crate::types::EntityKind;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};

include!(concat!(env!("OUT_DIR"), "/embedded.rs"));

/// An error in a gazetteer file: which file, which line, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GazetteerError {
    /// The file name (or path, for files read from a folder).
    pub file: String,
    /// The 1-based line, 0 when the error is about the whole file.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for GazetteerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "{}:{}: {}", self.file, self.line, self.message)
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}

impl std::error::Error for GazetteerError {}

/// Where an entry was written.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    /// File name.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// True for entries generated from a template or an organization's party committee.
    pub generated: bool,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One known entity.
#[derive(Debug, Clone)]
pub struct Entry {
    /// What it is.
    pub kind: EntityKind,
    /// Its canonical name.
    pub name: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// `key=value` attributes (see `gazetteers/README.md`).
    pub attrs: BTreeMap<String, String>,
    /// Where it was written.
    pub origin: Origin,
}

impl Entry {
    /// The stable node ID: `kind:slug`.
    ///
    /// ```
    /// let g = partygraph::Gazetteer::embedded().unwrap();
    /// let e = g.find_by_name(partygraph::EntityKind::Committee, "Bộ Chính trị").unwrap();
    /// assert_eq!(e.id(), "committee:bo-chinh-tri");
    /// ```
    pub fn id(&self) -> String {
        node_id(self.kind, &self.name)
    }
    /// An attribute's value.
    pub fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.get(key).map(String::as_str)
    }
}

/// The position of a kind in [`EntityKind::ALL`].
fn kind_index(kind: EntityKind) -> usize {
    kind as usize
}

/// The stable ID of a node: `kind:` + the ASCII slug of its canonical name.
///
/// ```
/// assert_eq!(partygraph::gazetteer::node_id(partygraph::EntityKind::Person, "Lê Thị Hoa"), "person:le-thi-hoa");
/// ```
pub fn node_id(kind: EntityKind, name: &str) -> String {
    /// Names kept per kind before the memo starts over.
    const MAX: usize = 20_000;
    let make = || {
        let s = slug(name);
        let k = kind.as_str();
        let mut id = String::with_capacity(k.len() + 1 + s.len());
        id.push_str(k);
        id.push(':');
        id.push_str(&s);
        id
    };
    ID_MEMO
        .try_with(|m| {
            let Ok(mut m) = m.try_borrow_mut() else {
                return make();
            };
            let Some(m) = m.get_mut(kind_index(kind)) else {
                return make();
            };
            if let Some(id) = m.get(name) {
                return id.clone();
            }
            let id = make();
            if m.len() >= MAX {
                m.clear();
            }
            m.insert(name.to_string(), id.clone());
            id
        })
        .unwrap_or_else(|_| make())
}

type IdMemo = std::cell::RefCell<Vec<rustc_hash::FxHashMap<String, String>>>;

thread_local! {
    // Per kind: name → ID, for [`node_id`]. Names repeat within and across articles; slugs
    // are pure.
    static ID_MEMO: IdMemo =
        std::cell::RefCell::new(vec![rustc_hash::FxHashMap::default(); EntityKind::ALL.len()]);
}

/// Frees this thread's memo of [`node_id`] (about 10 MB when full), when a run is over.
pub(crate) fn forget_id_memo() {
    let _ = ID_MEMO.try_with(|m| {
        if let Ok(mut m) = m.try_borrow_mut() {
            for per_kind in m.iter_mut() {
                *per_kind = rustc_hash::FxHashMap::default();
            }
        }
    });
}

/// The category of a title in `titles.tsv`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TitleCategory {
    /// đồng chí, ông, bà, academic and military ranks.
    Honorific,
    /// A party office: Bí thư, Trưởng Ban...
    Office,
    /// A membership: Ủy viên Ban Thường vụ...
    Member,
    /// A state or organization office: Chủ tịch UBND, Giám đốc...
    Government,
}

/// A title or honorific.
#[derive(Debug, Clone)]
pub struct Title {
    /// The title as written in full.
    pub title: String,
    /// What kind of title.
    pub category: TitleCategory,
    /// Abbreviations (`UVTV`).
    pub aliases: Vec<String>,
    /// The body the title implies when the text names none after it ("Thủ tướng" → "Chính
    /// phủ"): an organization or committee name.
    pub body: Option<String>,
}

/// A document type and its code part (`Chỉ thị` / `CT`).
#[derive(Debug, Clone)]
pub struct DocType {
    /// The type as written ("Nghị quyết").
    pub name: String,
    /// The code part ("NQ"); empty for types without codes ("Điều lệ").
    pub code: String,
    /// Other spellings.
    pub aliases: Vec<String>,
}

/// What a code suffix (`TW`, `TU`, `ĐU`) says about the issuer.
#[derive(Debug, Clone)]
pub struct IssuerCode {
    /// The code part as written.
    pub code: String,
    /// The issuing body.
    pub issuer: String,
    /// True when one body nationwide issues under this suffix.
    pub unambiguous: bool,
}

/// What a trigger word signals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TriggerRole {
    /// A meeting noun: hội nghị, giao ban.
    Meeting,
    /// chủ trì.
    Chair,
    /// tham dự.
    Attend,
    /// phát biểu.
    Speak,
    /// tổ chức.
    Organize,
    /// quán triệt, triển khai.
    Reference,
    /// sẽ, dự kiến.
    Future,
    /// không, chưa.
    Negation,
}

impl TriggerRole {
    fn parse(s: &str) -> Option<TriggerRole> {
        Some(match s {
            "meeting" => TriggerRole::Meeting,
            "chair" => TriggerRole::Chair,
            "attend" => TriggerRole::Attend,
            "speak" => TriggerRole::Speak,
            "organize" => TriggerRole::Organize,
            "reference" => TriggerRole::Reference,
            "future" => TriggerRole::Future,
            "negation" => TriggerRole::Negation,
            _ => return None,
        })
    }
}

/// A trigger phrase.
#[derive(Debug, Clone)]
pub struct Trigger {
    /// The phrase as written.
    pub phrase: String,
    /// What it signals.
    pub role: TriggerRole,
}

/// Everything the gazetteer files hold, checked and indexed.
#[derive(Debug, Clone, Default)]
pub struct Gazetteer {
    entries: Vec<Entry>,
    by_id: rustc_hash::FxHashMap<String, usize>,
    by_key: rustc_hash::FxHashMap<(EntityKind, String), usize>,
    /// Per kind: every name and alias exactly as written → the entry `by_key` gives for it, so
    /// a lookup of a name spelled as listed needs no folding.
    by_written: Vec<rustc_hash::FxHashMap<String, usize>>,
    /// The node ID of every entry (`Entry::id`), computed once.
    ids: Vec<String>,
    /// The ID a mention of every entry takes (`resolution:` + the code's slug for coded
    /// documents, else the node ID), computed once.
    mention_ids: Vec<String>,
    /// Resolution entries by the slug of their `code`, in entry order.
    by_code: rustc_hash::FxHashMap<String, Vec<usize>>,
    surnames: HashSet<String>,
    titles: Vec<Title>,
    doctypes: Vec<DocType>,
    issuers: Vec<IssuerCode>,
    triggers: Vec<Trigger>,
    files: Vec<(String, usize)>,
}

/// Builds a [`Gazetteer`] from the embedded files, folders and strings.
///
/// ```
/// use partygraph::GazetteerBuilder;
/// let g = GazetteerBuilder::new()
///     .embedded(false)
///     .file("mine.entities.tsv", "committee\tĐảng ủy Công ty Mẫu\tĐảng ủy CTM\tlevel=enterprise\n")
///     .build()
///     .unwrap();
/// assert_eq!(g.entries().len(), 1);
///
/// let err = GazetteerBuilder::new()
///     .embedded(false)
///     .file("bad.entities.tsv", "# header\nalien\tX\n")
///     .build()
///     .unwrap_err();
/// assert!(err.to_string().starts_with("bad.entities.tsv:2: unknown kind"));
/// ```
#[derive(Debug, Clone)]
pub struct GazetteerBuilder {
    embedded: bool,
    files: BTreeMap<String, (String, String)>, // name -> (display path, text)
    errors: Vec<GazetteerError>,
}

impl Default for GazetteerBuilder {
    fn default() -> Self {
        GazetteerBuilder::new()
    }
}

impl GazetteerBuilder {
    /// A builder that starts from the embedded files.
    pub fn new() -> GazetteerBuilder {
        GazetteerBuilder {
            embedded: true,
            files: BTreeMap::new(),
            errors: Vec::new(),
        }
    }

    /// Whether to start from the embedded files (default true).
    pub fn embedded(mut self, yes: bool) -> GazetteerBuilder {
        self.embedded = yes;
        self
    }

    /// Adds a file by name (replacing the embedded file of that name).
    pub fn file(mut self, name: &str, text: &str) -> GazetteerBuilder {
        self.files
            .insert(name.to_string(), (name.to_string(), text.to_string()));
        self
    }

    /// Adds every `*.tsv` and `*.txt` file of a folder (replacing embedded files of the same
    /// name). Errors (missing folder, unreadable file, bad UTF-8) are reported by [`build`].
    ///
    /// [`build`]: GazetteerBuilder::build
    pub fn dir(mut self, dir: impl AsRef<Path>) -> GazetteerBuilder {
        let dir = dir.as_ref();
        let rd = match std::fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) => {
                self.errors.push(GazetteerError {
                    file: dir.display().to_string(),
                    line: 0,
                    message: format!("cannot read gazetteer folder: {e}"),
                });
                return self;
            }
        };
        let mut all: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
        all.sort();
        // Data files are *.tsv and *.txt; documentation (*.md), hidden files and subfolders
        // are passed over; any other file is named, so a misnamed one is not silently lost.
        let mut paths = Vec::new();
        for p in all {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let ext = p.extension().map(|x| x.to_string_lossy().to_lowercase());
            if !p.is_file() || name.starts_with('.') || ext.as_deref() == Some("md") {
                continue;
            }
            if matches!(ext.as_deref(), Some("tsv") | Some("txt")) {
                paths.push(p);
            } else {
                self.errors.push(GazetteerError {
                    file: p.display().to_string(),
                    line: 0,
                    message: "not a gazetteer file: names end in .tsv or .txt (*.entities.tsv, *.templates.tsv, surnames.txt, titles.tsv, doctypes.tsv, issuers.tsv, triggers.tsv); rename it or move it out of the folder".into(),
                });
            }
        }
        for p in paths {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            match std::fs::read(&p) {
                Ok(bytes) => match String::from_utf8(bytes) {
                    Ok(text) => {
                        self.files.insert(name, (p.display().to_string(), text));
                    }
                    Err(e) => {
                        let at = e.utf8_error().valid_up_to();
                        let bytes = e.as_bytes();
                        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
                        self.errors.push(GazetteerError {
                            file: p.display().to_string(),
                            line,
                            message: format!("not valid UTF-8 (byte {at}); save the file as UTF-8"),
                        });
                    }
                },
                Err(e) => self.errors.push(GazetteerError {
                    file: p.display().to_string(),
                    line: 0,
                    message: format!("cannot read: {e}"),
                }),
            }
        }
        self
    }

    /// Parses and checks every file.
    pub fn build(self) -> Result<Gazetteer, GazetteerError> {
        if let Some(e) = self.errors.into_iter().next() {
            return Err(e);
        }
        let mut all: BTreeMap<String, (String, String)> = BTreeMap::new();
        if self.embedded {
            for (name, text) in EMBEDDED {
                all.insert(name.to_string(), (name.to_string(), text.to_string()));
            }
        }
        all.extend(self.files);
        let mut g = Gazetteer::default();
        let mut templates = Vec::new();
        for (name, (path, text)) in &all {
            let text = text.strip_prefix('\u{feff}').unwrap_or(text);
            let n_before = g.entries.len();
            if name.ends_with(".entities.tsv") {
                parse_entities(path, text, &mut g.entries)?;
            } else if name.ends_with(".templates.tsv") {
                parse_templates(path, text, &mut templates)?;
            } else {
                match name.as_str() {
                    "surnames.txt" => parse_surnames(path, text, &mut g.surnames)?,
                    "titles.tsv" => parse_titles(path, text, &mut g.titles)?,
                    "doctypes.tsv" => parse_doctypes(path, text, &mut g.doctypes)?,
                    "issuers.tsv" => parse_issuers(path, text, &mut g.issuers)?,
                    "triggers.tsv" => parse_triggers(path, text, &mut g.triggers)?,
                    _ => {
                        return Err(GazetteerError {
                            file: path.clone(),
                            line: 0,
                            message: "unknown gazetteer file name (expected *.entities.tsv, *.templates.tsv, surnames.txt, titles.tsv, doctypes.tsv, issuers.tsv or triggers.tsv)".into(),
                        });
                    }
                }
            }
            g.files.push((path.clone(), g.entries.len() - n_before));
        }
        expand_templates(&mut g.entries, &templates);
        expand_party_committees(&mut g.entries);
        add_central_spellings(&mut g.entries);
        add_central_title_spellings(&mut g.titles);
        g.index()?;
        Ok(g)
    }
}

impl Gazetteer {
    /// The embedded gazetteers alone.
    pub fn embedded() -> Result<Gazetteer, GazetteerError> {
        GazetteerBuilder::new().build()
    }

    /// Every entity entry, explicit and generated.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// An entry by node ID.
    pub fn get(&self, id: &str) -> Option<&Entry> {
        self.by_id.get(id).map(|&i| &self.entries[i])
    }

    /// An entry of `kind` by name or alias, in any spelling the folded view accepts.
    pub fn find_by_name(&self, kind: EntityKind, name: &str) -> Option<&Entry> {
        self.find_index(kind, name).map(|i| &self.entries[i])
    }

    /// The index of the entry [`find_by_name`](Self::find_by_name) gives.
    pub(crate) fn find_index(&self, kind: EntityKind, name: &str) -> Option<usize> {
        if let Some(&i) = self
            .by_written
            .get(kind_index(kind))
            .and_then(|m| m.get(name))
        {
            return Some(i);
        }
        self.by_key
            .get(&(kind, crate::lexicon::fold_memo(name, Fold::Accents)))
            .copied()
    }

    /// The node ID of entry `i` (what [`Entry::id`] gives).
    pub(crate) fn entry_id(&self, i: usize) -> &str {
        &self.ids[i]
    }

    /// The ID of a mention of entry `i` with the entry's own name and code.
    pub(crate) fn mention_id(&self, i: usize) -> &str {
        &self.mention_ids[i]
    }

    /// The resolution entries whose code has slug `code_slug`, in entry order.
    pub(crate) fn resolutions_by_code(&self, code_slug: &str) -> &[usize] {
        self.by_code
            .get(code_slug)
            .map(Vec::as_slice)
            .unwrap_or(&[])
    }

    /// True when `word` (folded or not) is a known family name.
    pub fn is_surname(&self, word: &str) -> bool {
        self.surnames.contains(&fold(word, Fold::Accents))
    }

    /// The family names, folded.
    pub fn surnames(&self) -> &HashSet<String> {
        &self.surnames
    }

    /// Titles and honorifics.
    pub fn titles(&self) -> &[Title] {
        &self.titles
    }

    /// Document types.
    pub fn doctypes(&self) -> &[DocType] {
        &self.doctypes
    }

    /// Code suffixes and their issuers.
    pub fn issuers(&self) -> &[IssuerCode] {
        &self.issuers
    }

    /// Trigger phrases.
    pub fn triggers(&self) -> &[Trigger] {
        &self.triggers
    }

    /// (file, number of entities it gave) for every file loaded.
    pub fn files(&self) -> &[(String, usize)] {
        &self.files
    }

    /// Builds the ID and name indexes; reports duplicate IDs and aliases claimed twice.
    fn index(&mut self) -> Result<(), GazetteerError> {
        // Explicit entries first, so an explicit entry wins over a generated one.
        self.entries.sort_by_key(|a| a.origin.generated);
        let mut by_id: rustc_hash::FxHashMap<String, usize> = Default::default();
        let mut by_key: rustc_hash::FxHashMap<(EntityKind, String), usize> = Default::default();
        let mut ambiguous: HashSet<(EntityKind, String)> = HashSet::new();
        let mut keep = vec![true; self.entries.len()];
        // Every name as written with its key, for the exact-spelling index.
        let mut written: Vec<(String, (EntityKind, String))> = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            let id = e.id();
            if let Some(&j) = by_id.get(&id) {
                let other = &self.entries[j];
                if e.origin.generated {
                    // A generated entry that an explicit one already defines: the explicit wins.
                    keep[i] = false;
                    continue;
                }
                return Err(GazetteerError {
                    file: e.origin.file.clone(),
                    line: e.origin.line,
                    message: format!(
                        "duplicate {} {:?}: already defined at {}",
                        e.kind, e.name, other.origin
                    ),
                });
            }
            by_id.insert(id, i);
        }
        for (i, e) in self.entries.iter().enumerate() {
            if !keep[i] {
                continue;
            }
            for name in std::iter::once(&e.name).chain(e.aliases.iter()) {
                let key = (e.kind, fold(name, Fold::Accents));
                written.push((name.clone(), key.clone()));
                match by_key.get(&key) {
                    Some(&j) if j != i => {
                        let other = &self.entries[j];
                        if !e.origin.generated && !other.origin.generated {
                            return Err(GazetteerError {
                                file: e.origin.file.clone(),
                                line: e.origin.line,
                                message: format!(
                                    "name or alias {:?} of {} {:?} is already claimed by {:?} at {}",
                                    name, e.kind, e.name, other.name, other.origin
                                ),
                            });
                        }
                        // Documented rule: explicit beats generated; two generated entries
                        // claiming one alias make it ambiguous, and it names neither.
                        if e.origin.generated && other.origin.generated {
                            ambiguous.insert(key);
                        }
                    }
                    Some(_) => {}
                    None => {
                        by_key.insert(key, i);
                    }
                }
            }
        }
        for k in ambiguous {
            // A canonical name always names its own entry.
            if let Some(&i) = by_key.get(&k)
                && fold(&self.entries[i].name, Fold::Accents) != k.1
            {
                by_key.remove(&k);
            }
        }
        // Drop shadowed generated entries, remapping indexes.
        if keep.iter().any(|k| !k) {
            let mut remap = vec![usize::MAX; self.entries.len()];
            let mut kept = Vec::with_capacity(self.entries.len());
            for (i, e) in std::mem::take(&mut self.entries).into_iter().enumerate() {
                if keep[i] {
                    remap[i] = kept.len();
                    kept.push(e);
                }
            }
            self.entries = kept;
            by_id = by_id
                .into_iter()
                .filter(|(_, i)| remap[*i] != usize::MAX)
                .map(|(k, i)| (k, remap[i]))
                .collect();
            by_key = by_key
                .into_iter()
                .filter(|(_, i)| remap[*i] != usize::MAX)
                .map(|(k, i)| (k, remap[i]))
                .collect();
        }
        self.by_id = by_id;
        self.by_key = by_key;
        self.index_lookups(written);
        Ok(())
    }

    /// The indexes that spare per-mention work: IDs, exact spellings, codes. `written` holds
    /// every name and alias with its key in `by_key`.
    fn index_lookups(&mut self, written: Vec<(String, (EntityKind, String))>) {
        self.ids = vec![String::new(); self.entries.len()];
        for (id, &i) in &self.by_id {
            if let Some(slot) = self.ids.get_mut(i) {
                slot.clone_from(id);
            }
        }
        self.by_written = vec![rustc_hash::FxHashMap::default(); EntityKind::ALL.len()];
        for (name, key) in written {
            if let Some(&j) = self.by_key.get(&key) {
                self.by_written[kind_index(key.0)].entry(name).or_insert(j);
            }
        }
        self.mention_ids = self
            .entries
            .iter()
            .zip(&self.ids)
            .map(|(e, id)| match (e.kind, e.attr("code")) {
                (EntityKind::Resolution, Some(c)) => format!("resolution:{}", slug(c)),
                _ => id.clone(),
            })
            .collect();
        self.by_code = rustc_hash::FxHashMap::default();
        for (i, e) in self.entries.iter().enumerate() {
            if e.kind == EntityKind::Resolution
                && let Some(c) = e.attr("code")
            {
                self.by_code.entry(slug(c)).or_default().push(i);
            }
        }
    }

    /// Every (folded key, entry index) the matcher should look for: names and aliases.
    pub(crate) fn keys(&self) -> impl Iterator<Item = (&str, usize)> + '_ {
        self.entries.iter().enumerate().flat_map(|(i, e)| {
            std::iter::once(e.name.as_str())
                .chain(e.aliases.iter().map(String::as_str))
                .map(move |n| (n, i))
        })
    }

    /// The entry an index of [`keys`](Self::keys) names.
    pub fn entry(&self, i: usize) -> &Entry {
        &self.entries[i]
    }
}

/// The data lines of a file: (1-based line number, columns), comments and blanks skipped.
fn data_lines(text: &str) -> impl Iterator<Item = (usize, Vec<&str>)> {
    text.lines().enumerate().filter_map(|(i, l)| {
        let l = l.trim_end_matches('\r');
        if l.trim().is_empty() || l.trim_start().starts_with('#') {
            None
        } else {
            Some((i + 1, l.split('\t').map(str::trim).collect()))
        }
    })
}

fn err(file: &str, line: usize, message: impl Into<String>) -> GazetteerError {
    GazetteerError {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

fn list(col: Option<&&str>) -> Vec<String> {
    col.map(|c| {
        c.split('|')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    })
    .unwrap_or_default()
}

fn need<'a>(
    file: &str,
    line: usize,
    cols: &[&'a str],
    i: usize,
    what: &str,
) -> Result<&'a str, GazetteerError> {
    match cols.get(i) {
        Some(s) if !s.is_empty() => Ok(s),
        _ => Err(err(
            file,
            line,
            format!(
                "missing {what} (column {}; columns are separated by TAB)",
                i + 1
            ),
        )),
    }
}

fn parse_entities(file: &str, text: &str, out: &mut Vec<Entry>) -> Result<(), GazetteerError> {
    for (line, cols) in data_lines(text) {
        if cols.len() > 4 {
            return Err(err(
                file,
                line,
                format!(
                    "{} columns, expected at most 4: kind, name, aliases, attributes",
                    cols.len()
                ),
            ));
        }
        let kind: EntityKind = need(file, line, &cols, 0, "kind")?
            .parse()
            .map_err(|m: String| err(file, line, m))?;
        if kind == EntityKind::Meeting || kind == EntityKind::Document {
            return Err(err(
                file,
                line,
                format!("kind {kind} cannot be listed in a gazetteer"),
            ));
        }
        let name = need(file, line, &cols, 1, "name")?;
        if slug(name).is_empty() {
            return Err(err(
                file,
                line,
                format!("name {name:?} has no letters or digits"),
            ));
        }
        let aliases = list(cols.get(2));
        if let Some(a) = aliases.iter().find(|a| slug(a).is_empty()) {
            return Err(err(
                file,
                line,
                format!("alias {a:?} has no letters or digits"),
            ));
        }
        let mut attrs = BTreeMap::new();
        if let Some(a) = cols.get(3) {
            for kv in a.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                let Some((k, v)) = kv.split_once('=') else {
                    return Err(err(
                        file,
                        line,
                        format!("attribute {kv:?} is not key=value"),
                    ));
                };
                let (k, v) = (k.trim(), v.trim());
                if k.is_empty() {
                    return Err(err(file, line, format!("attribute {kv:?} has no key")));
                }
                if k == "date" && !valid_date(v) {
                    return Err(err(
                        file,
                        line,
                        format!("date {v:?} is not YYYY, YYYY-MM or YYYY-MM-DD"),
                    ));
                }
                if k == "code" && !valid_code(v) {
                    return Err(err(
                        file,
                        line,
                        format!("code {v:?} is not a document code like 05-CT/TW"),
                    ));
                }
                attrs.insert(k.to_string(), v.to_string());
            }
        }
        out.push(Entry {
            kind,
            name: name.to_string(),
            aliases,
            attrs,
            origin: Origin {
                file: file.to_string(),
                line,
                generated: false,
            },
        });
    }
    Ok(())
}

/// True for `YYYY`, `YYYY-MM`, `YYYY-MM-DD` with plausible values.
pub(crate) fn valid_date(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let num = |p: &str, lo: u32, hi: u32| {
        p.chars().all(|c| c.is_ascii_digit())
            && p.parse::<u32>().is_ok_and(|n| (lo..=hi).contains(&n))
    };
    match parts.as_slice() {
        [y] => y.len() == 4 && num(y, 1900, 2100),
        [y, m] => y.len() == 4 && num(y, 1900, 2100) && m.len() == 2 && num(m, 1, 12),
        [y, m, d] => {
            y.len() == 4
                && num(y, 1900, 2100)
                && m.len() == 2
                && num(m, 1, 12)
                && d.len() == 2
                && num(d, 1, 31)
        }
        _ => false,
    }
}

/// True for a code shaped like `NUMBER-TYPE/ISSUER` (`05-CT/TW`, `202/2025/QH15`).
fn valid_code(s: &str) -> bool {
    let s = s.trim();
    s.contains('/')
        && s.chars().next().is_some_and(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '/' | '.'))
}

struct Template {
    pattern: String,
    applies_to: String,
    level: String,
    parent: Option<String>,
    origin: Origin,
}

fn parse_templates(file: &str, text: &str, out: &mut Vec<Template>) -> Result<(), GazetteerError> {
    for (line, cols) in data_lines(text) {
        let pattern = need(file, line, &cols, 0, "pattern")?;
        if !pattern.contains("{name}") {
            return Err(err(
                file,
                line,
                format!("pattern {pattern:?} has no {{name}}"),
            ));
        }
        let applies_to = need(
            file,
            line,
            &cols,
            1,
            "applies_to (a place type: tỉnh or thành phố)",
        )?;
        let level = cols.get(2).copied().unwrap_or("").to_string();
        let parent = cols.get(3).filter(|p| !p.is_empty()).map(|p| p.to_string());
        if let Some(p) = &parent
            && !p.contains("{name}")
        {
            return Err(err(
                file,
                line,
                format!("parent pattern {p:?} has no {{name}}"),
            ));
        }
        out.push(Template {
            pattern: pattern.to_string(),
            applies_to: applies_to.to_string(),
            level,
            parent,
            origin: Origin {
                file: file.to_string(),
                line,
                generated: true,
            },
        });
    }
    Ok(())
}

fn expand_templates(entries: &mut Vec<Entry>, templates: &[Template]) {
    let places: Vec<(String, Vec<String>, String)> = entries
        .iter()
        .filter(|e| e.kind == EntityKind::Place)
        .map(|e| {
            (
                e.name.clone(),
                e.aliases.clone(),
                e.attr("type").unwrap_or("").to_string(),
            )
        })
        .collect();
    for t in templates {
        for (name, aliases, ty) in &places {
            if fold(ty, Fold::Accents) != fold(&t.applies_to, Fold::Accents) {
                continue;
            }
            let mut attrs = BTreeMap::new();
            if !t.level.is_empty() {
                attrs.insert("level".to_string(), t.level.clone());
            }
            if let Some(p) = &t.parent {
                attrs.insert("parent".to_string(), p.replace("{name}", name));
            }
            attrs.insert("place".to_string(), name.clone());
            entries.push(Entry {
                kind: EntityKind::Committee,
                name: t.pattern.replace("{name}", name),
                aliases: aliases
                    .iter()
                    .map(|a| t.pattern.replace("{name}", a))
                    .collect(),
                attrs,
                origin: t.origin.clone(),
            });
        }
    }
}

/// Organizations marked `party_committee=yes` get "Đảng ủy NAME" and "Đảng bộ NAME".
fn expand_party_committees(entries: &mut Vec<Entry>) {
    let orgs: Vec<Entry> = entries
        .iter()
        .filter(|e| e.kind == EntityKind::Organization && e.attr("party_committee") == Some("yes"))
        .cloned()
        .collect();
    for o in orgs {
        for body in ["Đảng ủy", "Đảng bộ"] {
            let mut attrs = BTreeMap::new();
            attrs.insert("level".to_string(), "enterprise".to_string());
            attrs.insert("organization".to_string(), o.name.clone());
            if body == "Đảng ủy" {
                attrs.insert("parent".to_string(), format!("Đảng bộ {}", o.name));
            }
            entries.push(Entry {
                kind: EntityKind::Committee,
                name: format!("{body} {}", o.name),
                aliases: o.aliases.iter().map(|a| format!("{body} {a}")).collect(),
                attrs,
                origin: Origin {
                    generated: true,
                    ..o.origin.clone()
                },
            });
        }
    }
}

/// How the press writes "Trung ương" inside a body's name: in full, "TW", "T.Ư", "TƯ", "T.W".
const CENTRAL_SPELLINGS: &[&str] = &["Trung ương", "TW", "T.Ư", "TƯ", "T.W"];

/// Every committee name or alias with "Trung ương" (or "TW") in it gets the other spellings of
/// [`CENTRAL_SPELLINGS`] as aliases ("Đảng ủy Khối các cơ quan T.Ư"), and a name that ends in
/// it also the form followed by "Đảng" ("Ban Tổ chức Trung ương Đảng"). A spelling another
/// entry already claims is left to it.
fn add_central_spellings(entries: &mut [Entry]) {
    let mut committees: Vec<(&String, &mut Vec<String>)> = entries
        .iter_mut()
        .filter(|e| e.kind == EntityKind::Committee)
        .map(|e| (&e.name, &mut e.aliases))
        .collect();
    add_spellings(&mut committees);
}

/// Titles with "Trung ương" in them get its other spellings too ("Ủy viên T.Ư Đảng"), unless
/// another title has that spelling.
fn add_central_title_spellings(titles: &mut [Title]) {
    let mut named: Vec<(&String, &mut Vec<String>)> = titles
        .iter_mut()
        .map(|t| (&t.title, &mut t.aliases))
        .collect();
    add_spellings(&mut named);
}

/// For each (name, aliases): the [`central_spellings`] of its name and aliases that no name
/// or alias of the list already is, added to its aliases.
fn add_spellings(named: &mut [(&String, &mut Vec<String>)]) {
    let claimed: HashSet<String> = named
        .iter()
        .flat_map(|(n, a)| std::iter::once(*n).chain(a.iter()))
        .map(|n| fold(n, Fold::Accents))
        .collect();
    for (name, aliases) in named.iter_mut() {
        let mut own = HashSet::new();
        let mut add = Vec::new();
        for n in std::iter::once(*name).chain(aliases.iter()) {
            for v in central_spellings(n) {
                let key = fold(&v, Fold::Accents);
                if !claimed.contains(&key) && own.insert(key) {
                    add.push(v);
                }
            }
        }
        aliases.extend(add);
    }
}

/// The other spellings of one name (see [`add_central_spellings`]).
fn central_spellings(name: &str) -> Vec<String> {
    let words: Vec<&str> = name.split(' ').collect();
    // Where "Trung ương" (two words) or one of its abbreviations (one word) stands.
    let mut at = None;
    for (k, w) in words.iter().enumerate() {
        if *w == "Trung" && words.get(k + 1) == Some(&"ương") {
            at = Some((k, 2));
            break;
        }
        if CENTRAL_SPELLINGS[1..].contains(w) {
            at = Some((k, 1));
            break;
        }
    }
    let Some((k, len)) = at else {
        return Vec::new();
    };
    let before = words[..k].join(" ");
    let after = words[k + len..].join(" ");
    let mut out = Vec::new();
    for sp in CENTRAL_SPELLINGS {
        let v = [before.as_str(), sp, after.as_str()]
            .iter()
            .filter(|p| !p.is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ");
        if after.is_empty() && k > 0 {
            out.push(format!("{v} Đảng"));
        }
        out.push(v);
    }
    out.retain(|v| v != name);
    out
}

fn parse_surnames(file: &str, text: &str, out: &mut HashSet<String>) -> Result<(), GazetteerError> {
    for (line, cols) in data_lines(text) {
        let s = cols[0];
        if cols.len() > 1 || s.split_whitespace().count() > 2 {
            return Err(err(file, line, format!("{s:?}: one family name per line")));
        }
        out.insert(fold(s, Fold::Accents));
    }
    Ok(())
}

fn parse_titles(file: &str, text: &str, out: &mut Vec<Title>) -> Result<(), GazetteerError> {
    for (line, cols) in data_lines(text) {
        let title = need(file, line, &cols, 0, "title")?;
        let category = match need(file, line, &cols, 1, "category")? {
            "honorific" => TitleCategory::Honorific,
            "office" => TitleCategory::Office,
            "member" => TitleCategory::Member,
            "government" => TitleCategory::Government,
            other => {
                return Err(err(
                    file,
                    line,
                    format!(
                        "unknown category {other:?} (expected honorific, office, member or government)"
                    ),
                ));
            }
        };
        if cols.len() > 4 {
            return Err(err(
                file,
                line,
                format!(
                    "{} columns, expected at most 4: title, category, aliases, body",
                    cols.len()
                ),
            ));
        }
        let body = cols
            .get(3)
            .map(|b| b.trim())
            .filter(|b| !b.is_empty())
            .map(String::from);
        out.push(Title {
            title: title.to_string(),
            category,
            aliases: list(cols.get(2)),
            body,
        });
    }
    Ok(())
}

fn parse_doctypes(file: &str, text: &str, out: &mut Vec<DocType>) -> Result<(), GazetteerError> {
    for (line, cols) in data_lines(text) {
        let name = need(file, line, &cols, 0, "type")?;
        let code = cols.get(1).copied().unwrap_or("");
        if !code.chars().all(char::is_alphabetic) {
            return Err(err(
                file,
                line,
                format!("code {code:?} must be letters only (NQ, CT, QĐi)"),
            ));
        }
        out.push(DocType {
            name: name.to_string(),
            code: code.to_string(),
            aliases: list(cols.get(2)),
        });
    }
    Ok(())
}

fn parse_issuers(file: &str, text: &str, out: &mut Vec<IssuerCode>) -> Result<(), GazetteerError> {
    for (line, cols) in data_lines(text) {
        let code = need(file, line, &cols, 0, "code part")?;
        let issuer = need(file, line, &cols, 1, "issuer")?;
        let unambiguous = match cols.get(2).copied().unwrap_or("no") {
            "yes" => true,
            "no" | "" => false,
            other => {
                return Err(err(
                    file,
                    line,
                    format!("unambiguous must be yes or no, not {other:?}"),
                ));
            }
        };
        out.push(IssuerCode {
            code: code.to_string(),
            issuer: issuer.to_string(),
            unambiguous,
        });
    }
    Ok(())
}

fn parse_triggers(file: &str, text: &str, out: &mut Vec<Trigger>) -> Result<(), GazetteerError> {
    for (line, cols) in data_lines(text) {
        let phrase = need(file, line, &cols, 0, "phrase")?;
        let role_s = need(file, line, &cols, 1, "role")?;
        let role = TriggerRole::parse(role_s).ok_or_else(|| {
            err(file, line, format!("unknown role {role_s:?} (expected meeting, chair, attend, speak, organize, reference, future or negation)"))
        })?;
        out.push(Trigger {
            phrase: phrase.to_string(),
            role,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn only(name: &str, text: &str) -> Result<Gazetteer, GazetteerError> {
        GazetteerBuilder::new()
            .embedded(false)
            .file(name, text)
            .build()
    }

    #[test]
    fn errors_name_file_and_line() {
        let e = only("x.entities.tsv", "# c\n\ncommittee\t\n").unwrap_err();
        assert_eq!(e.file, "x.entities.tsv");
        assert_eq!(e.line, 3);
        assert!(e.message.contains("missing name"));
        let e = only("x.entities.tsv", "resolution\tA\t\tcode=hello\n").unwrap_err();
        assert!(e.message.contains("not a document code"), "{e}");
        let e = only("x.entities.tsv", "resolution\tA\t\tdate=2020-13-01\n").unwrap_err();
        assert!(e.message.contains("date"), "{e}");
        let e = only("titles.tsv", "Bí thư\tboss\n").unwrap_err();
        assert!(e.message.contains("unknown category"), "{e}");
        let e = only("what.csv", "").unwrap_err();
        assert!(e.message.contains("unknown gazetteer file"), "{e}");
    }

    #[test]
    fn duplicates_and_shared_aliases_are_errors() {
        let e = only("x.entities.tsv", "person\tLê Thị Hoa\nperson\tLe Thi Hoa\n").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(e.message.contains("duplicate"), "{e}");
        let e = only(
            "x.entities.tsv",
            "committee\tĐảng ủy A\tĐU X\ncommittee\tĐảng ủy B\tĐU X\n",
        )
        .unwrap_err();
        assert!(e.message.contains("already claimed"), "{e}");
        // The same alias for two kinds is fine.
        only(
            "x.entities.tsv",
            "organization\tCông ty X\tCTX\ncommittee\tĐảng ủy CTX\tCTX\n",
        )
        .unwrap();
    }

    #[test]
    fn central_bodies_have_every_spelling_of_trung_uong() {
        let v = central_spellings("Ban Tổ chức Trung ương");
        for want in [
            "Ban Tổ chức Trung ương Đảng",
            "Ban Tổ chức TW",
            "Ban Tổ chức T.Ư Đảng",
            "Ban Tổ chức TƯ",
        ] {
            assert!(v.iter().any(|x| x == want), "{want}: {v:?}");
        }
        let v = central_spellings("Đảng ủy Khối các cơ quan TW");
        assert!(
            v.iter().any(|x| x == "Đảng ủy Khối các cơ quan T.Ư"),
            "{v:?}"
        );
        assert!(v.iter().any(|x| x == "Đảng ủy Khối các cơ quan Trung ương"));
        // Inside the name: no "Đảng" added at the end.
        let v = central_spellings("Ủy ban Kiểm tra Trung ương Đảng");
        assert!(v.contains(&"Ủy ban Kiểm tra TW Đảng".to_string()), "{v:?}");
        assert!(!v.iter().any(|x| x.ends_with("Đảng Đảng")));
        assert!(central_spellings("Tỉnh ủy Nghệ An").is_empty());
        // "Trung ương" alone (no body word before it) is not a body name to extend.
        assert!(
            !central_spellings("Trung ương")
                .iter()
                .any(|x| x.ends_with("Đảng"))
        );
        // The embedded gazetteer: the spellings name the one body.
        let g = Gazetteer::embedded().unwrap();
        let a = g.find_by_name(EntityKind::Committee, "Ban Tổ chức T.Ư Đảng");
        assert_eq!(a.map(|e| e.name.as_str()), Some("Ban Tổ chức Trung ương"));
    }

    #[test]
    fn templates_expand_over_places() {
        let g = GazetteerBuilder::new()
            .embedded(false)
            .file("p.entities.tsv", "place\tNghệ An\t\ttype=tỉnh\nplace\tHà Nội\t\ttype=thành phố\n")
            .file(
                "c.templates.tsv",
                "Tỉnh ủy {name}\ttỉnh\tprovincial\nBan Thường vụ Tỉnh ủy {name}\ttỉnh\tprovincial\tTỉnh ủy {name}\n",
            )
            .build()
            .unwrap();
        let e = g
            .find_by_name(EntityKind::Committee, "Ban Thường vụ Tỉnh uỷ Nghệ An")
            .unwrap();
        assert_eq!(e.attr("parent"), Some("Tỉnh ủy Nghệ An"));
        assert!(
            g.find_by_name(EntityKind::Committee, "Tỉnh ủy Hà Nội")
                .is_none()
        );
    }

    #[test]
    fn embedded_loads() {
        let g = Gazetteer::embedded().unwrap();
        assert!(g.entries().len() > 500, "{}", g.entries().len());
        assert!(g.is_surname("Nguyễn"));
        assert!(
            g.find_by_name(EntityKind::Committee, "Bộ Chính trị")
                .is_some()
        );
        assert!(
            g.find_by_name(EntityKind::Committee, "Tỉnh ủy Nghệ An")
                .is_some()
        );
        assert!(
            g.find_by_name(EntityKind::Committee, "Đảng ủy TKV")
                .is_some()
        );
    }
}
