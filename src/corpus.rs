//! Reading a corpus: paths to documents, documents to text.
//!
//! Paths may be files, folders (searched recursively for `*.txt`, `*.html`, `*.htm`) or `-` for
//! standard input. Every problem with one input is reported as an [`InputError`] naming it, and
//! the other inputs go on. What each kind of bad input gets is tabled in `docs/ROBUSTNESS.md`.
//!
//! # Offsets
//!
//! Every offset partygraph writes (a mention's or an evidence's `start`/`end`) is a byte offset
//! into the input **file as it is on disk**, whatever had to be done to read it:
//!
//! - UTF-8 text (with or without a byte-order mark, any line ends, NFC or NFD) is read as it is;
//! - invalid UTF-8 is read with each invalid sequence replaced by U+FFFD (one warning per file
//!   names the offset of the first), and offsets are mapped back through the replacements;
//! - for HTML, the extractor reads the page's visible text (see [`html_text`]); offsets are
//!   mapped back to the page's bytes, so `start..end` covers the mark-up that produced the
//!   mention (`Ki&#7875;m <b>tra</b>`) while the mention's `text` is the visible text
//!   (`Kiểm tra`).
//!
//! So for a text file `text == file[start..end]` (up to U+FFFD replacements), and for any input
//! `start..end` lies on character boundaries of the file.

mod decode;
mod html;
mod map;
pub mod readback;
pub mod rows;

pub use html::{html_text, looks_like_html};
pub use map::{SourceMap, remap_extraction};

use crate::extraction::{DocumentInfo, Extraction};
use crate::extractor::Extractor;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The largest input read, in bytes (1 GiB). Larger files are reported and not read: offsets
/// are kept in 32 bits and one article is never this large.
pub const MAX_INPUT_BYTES: u64 = 1 << 30;

/// Where a document comes from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Source {
    /// A file.
    File(PathBuf),
    /// Standard input.
    Stdin,
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::File(p) => write!(f, "{}", p.display()),
            Source::Stdin => f.write_str("-"),
        }
    }
}

/// How to read inputs: as plain text, as HTML, or by their name and content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InputFormat {
    /// `.html`/`.htm` files as HTML, `.txt` files as text; anything else (and standard input) as
    /// HTML when it starts like a page (see [`looks_like_html`]), as text otherwise.
    #[default]
    Auto,
    /// Plain text.
    Text,
    /// HTML: the visible text is read (see [`html_text`]).
    Html,
}

impl InputFormat {
    /// The lower-case name (`auto`, `text`, `html`).
    pub fn as_str(self) -> &'static str {
        match self {
            InputFormat::Auto => "auto",
            InputFormat::Text => "text",
            InputFormat::Html => "html",
        }
    }
}

/// How bad a problem with an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The input was skipped on purpose (it is not text, e.g. a binary file); the run still
    /// succeeds unless `--strict`.
    Warning,
    /// The input could not be read (missing, unreadable, a link loop, too large); the run exits
    /// with code 1.
    Error,
}

/// A problem with one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The path as given (or found in a folder).
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// Whether the input was skipped (warning) or failed (error).
    pub severity: Severity,
}

impl InputError {
    fn error(path: impl fmt::Display, message: impl Into<String>) -> InputError {
        InputError {
            path: path.to_string(),
            message: message.into(),
            severity: Severity::Error,
        }
    }

    fn skipped(path: impl fmt::Display, message: impl Into<String>) -> InputError {
        InputError {
            path: path.to_string(),
            message: message.into(),
            severity: Severity::Warning,
        }
    }

    /// True for an input skipped on purpose rather than failed.
    pub fn is_warning(&self) -> bool {
        self.severity == Severity::Warning
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.severity {
            Severity::Error => write!(f, "{}: {}", self.path, self.message),
            Severity::Warning => write!(f, "{}: warning: {}; skipped", self.path, self.message),
        }
    }
}

impl std::error::Error for InputError {}

/// A document to read: its source and the ID it will carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    /// Where it is.
    pub source: Source,
    /// Its document ID: the file name without extension, made unique with `~2`, `~3`...
    pub id: String,
    /// How to read it.
    pub format: InputFormat,
}

impl Input {
    /// The file's path (`-` for standard input).
    ///
    /// ```
    /// let (inputs, _) = partygraph::corpus::collect(&["-".into()]);
    /// assert_eq!(inputs[0].path(), std::path::Path::new("-"));
    /// ```
    pub fn path(&self) -> &Path {
        match &self.source {
            Source::File(p) => p,
            Source::Stdin => Path::new("-"),
        }
    }

    /// The [`DocumentInfo`] to extract it under.
    pub fn info(&self) -> DocumentInfo {
        document_info(&self.id, &self.source.to_string())
    }
}

/// A [`DocumentInfo`] with only an ID and a path; extraction fills in the rest (date, title,
/// authors, size).
///
/// ```
/// let d = partygraph::corpus::document_info("a", "corpus/a.txt");
/// assert_eq!((d.id.as_str(), d.path.as_str(), d.bytes), ("a", "corpus/a.txt", 0));
/// ```
pub fn document_info(id: &str, path: &str) -> DocumentInfo {
    DocumentInfo {
        id: id.to_string(),
        path: path.to_string(),
        url: None,
        source: None,
        date: None,
        title: None,
        authors: Vec::new(),
        bytes: 0,
    }
}

fn extension(p: &Path) -> Option<String> {
    p.extension()
        .map(|x| x.to_string_lossy().to_ascii_lowercase())
}

fn wanted(p: &Path) -> bool {
    matches!(extension(p).as_deref(), Some("txt" | "html" | "htm"))
}

/// Expands paths into a sorted list of inputs with unique IDs, and the problems found (see
/// [`collect_with`]); inputs are read with [`InputFormat::Auto`].
///
/// ```
/// let dir = std::env::temp_dir().join("partygraph-doc-collect");
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("a.txt"), "x").unwrap();
/// let (inputs, errors) = partygraph::corpus::collect(&[dir.clone(), dir.join("missing.txt")]);
/// assert_eq!(inputs[0].id, "a");
/// assert!(errors[0].to_string().contains("missing.txt"));
/// ```
pub fn collect(paths: &[PathBuf]) -> (Vec<Input>, Vec<InputError>) {
    collect_with(paths, InputFormat::Auto)
}

/// Expands paths into a sorted list of inputs with unique IDs, and the problems found.
///
/// - No path means standard input; `-` is standard input.
/// - Folders are searched recursively for `*.txt`, `*.html` and `*.htm` (any case), following
///   links; a link that leads back to a folder being searched is reported as a loop, a folder
///   reached twice is read once.
/// - A file reached twice (given twice, or through a link) is read once, under the path that
///   sorts first.
/// - The result does not depend on the order of `paths`: the same set of paths gives the same
///   inputs, IDs and problems.
pub fn collect_with(paths: &[PathBuf], format: InputFormat) -> (Vec<Input>, Vec<InputError>) {
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    let mut seen_dirs = HashSet::new();
    if paths.is_empty() {
        sources.push((Source::Stdin, None));
    }
    let mut paths: Vec<&PathBuf> = paths.iter().collect();
    paths.sort();
    paths.dedup();
    for p in paths {
        if p.as_os_str() == "-" {
            sources.push((Source::Stdin, None));
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => {
                let mut ancestors = Vec::new();
                let before = (sources.len(), errors.len());
                let first_visit = std::fs::canonicalize(p).is_ok_and(|c| !seen_dirs.contains(&c));
                walk(p, &mut ancestors, &mut sources, &mut errors, &mut seen_dirs);
                if first_visit && (sources.len(), errors.len()) == before {
                    errors.push(InputError::skipped(
                        p.display(),
                        "folder holds no .txt, .html or .htm file",
                    ));
                }
            }
            Ok(_) => sources.push((Source::File(p.clone()), None)),
            Err(e) => errors.push(InputError::error(p.display(), describe_path_error(p, &e))),
        }
    }
    sources.sort_by(|a, b| a.0.cmp(&b.0));
    sources.dedup_by(|a, b| a.0 == b.0);
    // The same file under two paths: keep the first path (sorted order, so the choice does not
    // depend on the order of the arguments).
    let mut seen_files = HashSet::new();
    let sources: Vec<Source> = sources
        .into_iter()
        .filter_map(|(s, real)| {
            let keep = match (&s, real) {
                (Source::File(_), Some(real)) => seen_files.insert(real),
                (Source::File(p), None) => match std::fs::canonicalize(p) {
                    Ok(c) => seen_files.insert(c),
                    Err(_) => true,
                },
                (Source::Stdin, _) => true,
            };
            keep.then_some(s)
        })
        .collect();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    let inputs = sources
        .into_iter()
        .map(|source| {
            let stem = match &source {
                Source::File(p) => p
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "doc".into()),
                Source::Stdin => "stdin".into(),
            };
            let n = counts.entry(stem.clone()).or_insert(0);
            *n += 1;
            let id = if *n == 1 { stem } else { format!("{stem}~{n}") };
            Input { source, id, format }
        })
        .collect();
    errors.sort_by(|a: &InputError, b: &InputError| {
        (&a.path, &a.message).cmp(&(&b.path, &b.message))
    });
    errors.dedup();
    (inputs, errors)
}

/// Lists the inputs under `dir` into `out`, each with its real path when known without a
/// system call (files in a folder whose real path is known).
fn walk(
    dir: &Path,
    ancestors: &mut Vec<(PathBuf, PathBuf)>,
    out: &mut Vec<(Source, Option<PathBuf>)>,
    errors: &mut Vec<InputError>,
    seen: &mut HashSet<PathBuf>,
) {
    let canon = match std::fs::canonicalize(dir) {
        Ok(c) => c,
        Err(e) => {
            errors.push(InputError::error(
                dir.display(),
                describe_path_error(dir, &e),
            ));
            return;
        }
    };
    if let Some((first, _)) = ancestors.iter().find(|(_, c)| *c == canon) {
        errors.push(InputError::error(
            dir.display(),
            format!(
                "folder link loop: leads back to {}, which is being read; not followed",
                first.display()
            ),
        ));
        return;
    }
    if !seen.insert(canon.clone()) {
        // Reached before through another path: its files are already listed.
        return;
    }
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            errors.push(InputError::error(
                dir.display(),
                format!("cannot list folder: {}", describe_io(&e)),
            ));
            return;
        }
    };
    // The type of an entry comes with the listing (no `stat` per file); `None` when unknown.
    let mut entries: Vec<(PathBuf, Option<std::fs::FileType>)> = Vec::new();
    for e in rd {
        match e {
            Ok(e) => entries.push((e.path(), e.file_type().ok())),
            Err(e) => errors.push(InputError::error(
                dir.display(),
                format!("cannot list folder: {}", describe_io(&e)),
            )),
        }
    }
    entries.sort_by(|a, b| a.0.cmp(&b.0));
    // Real folders before links, so that a folder also reachable through a link is listed
    // under its real path.
    let (links, real): (Vec<_>, Vec<_>) = entries.into_iter().partition(|(p, t)| match t {
        Some(t) => t.is_symlink(),
        None => std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink()),
    });
    ancestors.push((dir.to_path_buf(), canon.clone()));
    for (p, t) in real.into_iter().chain(links) {
        match t {
            Some(t) if t.is_dir() => walk(&p, ancestors, out, errors, seen),
            // A regular file in a folder whose real path is known: so is the file's.
            Some(t) if t.is_file() => {
                if wanted(&p) {
                    let real = p.file_name().map(|name| canon.join(name));
                    out.push((Source::File(p), real));
                }
            }
            // Pipes, sockets, devices: a named pipe or device would block or never end.
            Some(t) if !t.is_symlink() => {}
            // Links, and entries of unknown type: what they lead to.
            _ => match std::fs::metadata(&p) {
                Ok(m) if m.is_dir() => walk(&p, ancestors, out, errors, seen),
                Ok(m) if m.is_file() && wanted(&p) => out.push((Source::File(p), None)),
                Ok(_) => {}
                Err(e) => {
                    // A broken link or a link loop: report it when it could have been an input.
                    let is_link =
                        std::fs::symlink_metadata(&p).is_ok_and(|m| m.file_type().is_symlink());
                    if wanted(&p) || is_link {
                        errors.push(InputError::error(p.display(), describe_path_error(&p, &e)));
                    }
                }
            },
        }
    }
    ancestors.pop();
}

/// An I/O error in words a user can act on.
pub fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ if is_eloop(e) => "too many levels of links (a link loop)".into(),
        _ => e.to_string(),
    }
}

fn is_eloop(e: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    const ELOOP: i32 = 40;
    #[cfg(not(target_os = "linux"))]
    const ELOOP: i32 = 62;
    e.raw_os_error() == Some(ELOOP)
}

/// Like [`describe_io`], naming a broken link as such.
fn describe_path_error(p: &Path, e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::NotFound
        && std::fs::symlink_metadata(p).is_ok_and(|m| m.file_type().is_symlink())
    {
        return "broken link (its target does not exist)".into();
    }
    describe_io(e)
}

/// A warning about one input that was still processed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputWarning {
    /// The path.
    pub path: String,
    /// What was odd.
    pub message: String,
}

impl fmt::Display for InputWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: warning: {}", self.path, self.message)
    }
}

/// A document's text, as read, with the way back to the input's bytes.
#[derive(Debug, Clone)]
pub struct Text {
    /// The text the extractor reads: the file itself, its lossy decoding (invalid UTF-8
    /// sequences replaced by U+FFFD), or the visible text of an HTML page.
    pub text: String,
    /// What was odd about it (at most one warning per input).
    pub warnings: Vec<InputWarning>,
    /// How it was read: [`InputFormat::Text`] or [`InputFormat::Html`].
    pub format: InputFormat,
    /// The size of the input in bytes.
    pub source_len: usize,
    /// From `text` back to the input's bytes, innermost first (empty: `text` is the input).
    maps: Vec<SourceMap>,
}

impl Text {
    /// A text that is its input byte for byte.
    pub(crate) fn plain(text: String) -> Text {
        Text {
            source_len: text.len(),
            text,
            warnings: Vec::new(),
            format: InputFormat::Text,
            maps: Vec::new(),
        }
    }

    /// Maps a span of [`text`](Self::text) to the input bytes it came from.
    pub fn map_span(&self, start: usize, end: usize) -> (usize, usize) {
        self.maps
            .iter()
            .fold((start, end), |(s, e), m| m.map_span(s, e))
    }

    /// The maps from [`text`](Self::text) back to the input's bytes, innermost first (empty when
    /// the text is the input byte for byte).
    pub fn maps(&self) -> &[SourceMap] {
        &self.maps
    }

    /// Extracts from this text with every offset mapped back to the input's bytes (see the
    /// module documentation).
    ///
    /// ```
    /// use partygraph::corpus::{decode_as, InputFormat};
    /// let page = "<p>H\u{1ed9}i ngh\u{1ecb} c\u{1ee7}a <b>B&#7897; Ch\u{ed}nh tr\u{1ecb}</b></p>";
    /// let text = decode_as("a.html", page.as_bytes().to_vec(), InputFormat::Auto).unwrap();
    /// let ex = partygraph::Extractor::new().unwrap();
    /// let x = text.extract(&ex, partygraph::corpus::document_info("a", "a.html"));
    /// let m = &x.entities.iter().find(|e| e.id == "committee:bo-chinh-tri").unwrap().mentions[0];
    /// assert_eq!(m.text, "Bộ Chính trị");
    /// assert_eq!(&page[m.start..m.end], "B&#7897; Ch\u{ed}nh tr\u{1ecb}");
    /// ```
    pub fn extract(&self, ex: &Extractor, info: DocumentInfo) -> Extraction {
        let mut x = ex.extract(info, &self.text);
        remap_extraction(&mut x, &self.maps, self.source_len);
        x
    }

    /// Like [`extract`](Self::extract), in parts (see [`Extractor::extract_parts`]): one for an
    /// article, one per section for a long document.
    ///
    /// ```
    /// use partygraph::corpus::{decode_as, InputFormat};
    /// let text = decode_as("a.txt", "Bộ Chính trị họp.".as_bytes().to_vec(), InputFormat::Auto).unwrap();
    /// let ex = partygraph::Extractor::new().unwrap();
    /// let mut parts = 0;
    /// text.extract_parts(&ex, partygraph::corpus::document_info("a", "a.txt"), |_| parts += 1);
    /// assert_eq!(parts, 1);
    /// ```
    pub fn extract_parts(
        &self,
        ex: &Extractor,
        info: DocumentInfo,
        mut sink: impl FnMut(Extraction),
    ) {
        ex.extract_parts(info, &self.text, |mut x| {
            remap_extraction(&mut x, &self.maps, self.source_len);
            sink(x)
        });
    }
}

/// Reads one input (see [`decode_as`] for what is done with the bytes).
pub fn read(input: &Input) -> Result<Text, InputError> {
    let path = input.source.to_string();
    let bytes = match &input.source {
        Source::File(p) => read_file(p).map_err(|m| InputError::error(&path, m))?,
        Source::Stdin => {
            read_bounded(std::io::stdin().lock(), None).map_err(|m| InputError::error(&path, m))?
        }
    };
    decode_as(&path, bytes, input.format)
}

fn read_file(p: &Path) -> Result<Vec<u8>, String> {
    let f = std::fs::File::open(p).map_err(|e| describe_path_error(p, &e))?;
    let m = f.metadata().map_err(|e| describe_io(&e))?;
    if m.is_dir() {
        return Err("is a folder".into());
    }
    if m.is_file() && m.len() > MAX_INPUT_BYTES {
        return Err(too_large(m.len()));
    }
    read_bounded(f, m.is_file().then_some(m.len()))
}

fn too_large(n: u64) -> String {
    format!(
        "too large ({} MB; the limit is {} MB per input): split it into articles",
        n / 1_000_000,
        MAX_INPUT_BYTES / 1_000_000
    )
}

/// Reads at most [`MAX_INPUT_BYTES`]; stops early at a NUL byte in the first 64 KiB (a binary
/// or a device: the bytes read so far are enough to say so). `size` is the length of a regular
/// file: the bytes are read straight into a buffer of that size (no 64 KiB buffer to clear and
/// copy from for every article).
fn read_bounded(r: impl Read, size: Option<u64>) -> Result<Vec<u8>, String> {
    const CHUNK: usize = 64 * 1024;
    let mut r = r.take(MAX_INPUT_BYTES + 1);
    let mut out = Vec::new();
    if let Some(n) = size {
        out.reserve(n.min(MAX_INPUT_BYTES) as usize + 1);
    }
    loop {
        // Ask for what is left of a file of known size (plus one byte, to see its end), in
        // chunks of at most 64 KiB.
        let want = match size {
            Some(n) if n as usize >= out.len() => (n as usize - out.len() + 1).min(CHUNK),
            _ => CHUNK,
        };
        let at = out.len();
        out.resize(at + want, 0);
        match r.read(&mut out[at..]) {
            Ok(0) => {
                out.truncate(at);
                break;
            }
            Ok(n) => {
                out.truncate(at + n);
                if at + n <= CHUNK && out[at..].contains(&0) {
                    break;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => out.truncate(at),
            Err(e) => return Err(format!("cannot read: {}", describe_io(&e))),
        }
    }
    if out.len() as u64 > MAX_INPUT_BYTES {
        return Err(too_large(out.len() as u64));
    }
    Ok(out)
}

/// Decodes bytes read from `path` as text, HTML by extension or content (see [`decode_as`]).
pub fn decode(path: &str, bytes: Vec<u8>) -> Result<Text, InputError> {
    decode_as(path, bytes, InputFormat::Auto)
}

/// Decodes bytes read from `path`:
///
/// - a file with a NUL byte (binary), or UTF-16, is skipped: an [`InputError`] of
///   [`Severity::Warning`];
/// - invalid UTF-8 is decoded with each invalid sequence replaced by U+FFFD, and one warning
///   names the byte offset of the first (and, for HTML, the charset the page declares);
/// - HTML (by `format`, or for [`InputFormat::Auto`] by the extension of `path` or the content)
///   is reduced to its visible text with [`html_text`].
///
/// Offsets of the result map back to the bytes with [`Text::map_span`].
///
/// ```
/// use partygraph::corpus::{decode_as, InputFormat};
/// let t = decode_as("a.txt", b"Ban \xFF Bi thu".to_vec(), InputFormat::Auto).unwrap();
/// assert_eq!(t.text, "Ban \u{FFFD} Bi thu");
/// assert!(t.warnings[0].message.contains("offset 4"));
/// assert_eq!(t.map_span(8, 10), (6, 8)); // "Bi" after the 3-byte U+FFFD maps to bytes 6..8
/// assert!(decode_as("b.txt", b"\x7fELF\0\0".to_vec(), InputFormat::Auto).unwrap_err().is_warning());
/// ```
pub fn decode_as(path: &str, bytes: Vec<u8>, format: InputFormat) -> Result<Text, InputError> {
    let source_len = bytes.len();
    let format = match format {
        InputFormat::Auto => match extension(Path::new(path)).as_deref() {
            Some("html" | "htm" | "xhtml") => InputFormat::Html,
            Some("txt") => InputFormat::Text,
            _ if looks_like_html(&bytes) => InputFormat::Html,
            _ => InputFormat::Text,
        },
        f => f,
    };
    let charset = match format {
        InputFormat::Html => decode::declared_charset(&bytes),
        _ => None,
    };
    let (text, map, bad) = match decode::decode(bytes) {
        decode::Decoded::NotText(m) => return Err(InputError::skipped(path, m)),
        decode::Decoded::Text { text, map, bad } => (text, map, bad),
    };
    let mut warnings = Vec::new();
    if let Some(b) = bad {
        let mut message = format!(
            "not valid UTF-8: first bad byte at offset {}; {} bad sequence{} read as U+FFFD",
            b.first,
            b.sequences,
            if b.sequences == 1 { "" } else { "s" }
        );
        if let Some(c) = charset.filter(|c| c != "utf-8" && c != "utf8") {
            message.push_str(&format!(
                " (the page declares charset {c}: convert it with iconv -f {c} -t UTF-8)"
            ));
        }
        warnings.push(InputWarning {
            path: path.to_string(),
            message,
        });
    }
    let mut maps: Vec<SourceMap> = map.into_iter().collect();
    let text = match format {
        InputFormat::Html => {
            let (visible, m) = html_text(&text);
            // The HTML map is innermost: visible text -> decoded page -> file bytes.
            maps.insert(0, m);
            visible
        }
        _ => text,
    };
    Ok(Text {
        text,
        warnings,
        format,
        source_len,
        maps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension_and_content() {
        let t = decode_as("a.htm", b"<p>x</p>".to_vec(), InputFormat::Auto).unwrap();
        assert_eq!(t.format, InputFormat::Html);
        let t = decode_as("a.txt", b"<html>x".to_vec(), InputFormat::Auto).unwrap();
        assert_eq!(t.format, InputFormat::Text);
        let t = decode_as("-", b"<!doctype html><p>x".to_vec(), InputFormat::Auto).unwrap();
        assert_eq!(t.format, InputFormat::Html);
        let t = decode_as("a.txt", b"<p>x</p>".to_vec(), InputFormat::Html).unwrap();
        assert_eq!(t.text, "x\n");
    }

    #[test]
    fn html_with_bad_bytes_maps_through_both() {
        let mut page = b"<meta charset=windows-1258><p>\xE0 ".to_vec();
        page.extend("B&#7897; Chính trị</p>".as_bytes());
        let t = decode_as("p.html", page.clone(), InputFormat::Auto).unwrap();
        assert!(
            t.warnings[0].message.contains("windows-1258"),
            "{:?}",
            t.warnings
        );
        let at = t.text.find("Bộ").unwrap();
        let (s, e) = t.map_span(at, at + "Bộ Chính trị".len());
        assert_eq!(&page[s..e], "B&#7897; Chính trị".as_bytes());
    }

    #[test]
    fn empty_bom_crlf() {
        let t = decode_as("e.txt", Vec::new(), InputFormat::Auto).unwrap();
        assert!(t.text.is_empty() && t.warnings.is_empty());
        let t = decode_as(
            "b.txt",
            b"\xEF\xBB\xBFa\r\nb\rc".to_vec(),
            InputFormat::Auto,
        )
        .unwrap();
        assert_eq!(t.text.len(), 9);
        assert!(t.maps().is_empty());
    }
}
