//! Reading a corpus: paths to documents, documents to text.
//!
//! Paths may be files, folders (searched recursively for `*.txt`, `*.html`, `*.htm`) or `-` for
//! standard input. Every problem with one input is reported as an [`InputError`] naming it, and
//! the other inputs go on.

use crate::extraction::DocumentInfo;
use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};

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

/// A problem with one input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The path as given (or found in a folder).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
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
}

impl Input {
    /// The [`DocumentInfo`] to extract it under.
    pub fn info(&self) -> DocumentInfo {
        DocumentInfo {
            id: self.id.clone(),
            path: self.source.to_string(),
            date: None,
            title: None,
            authors: Vec::new(),
            bytes: 0,
        }
    }
}

fn wanted(p: &Path) -> bool {
    p.extension().is_some_and(|x| {
        let x = x.to_string_lossy().to_ascii_lowercase();
        x == "txt" || x == "html" || x == "htm"
    })
}

/// Expands paths into a sorted list of inputs with unique IDs, and the problems found.
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
    let mut sources = Vec::new();
    let mut errors = Vec::new();
    let mut seen_dirs = HashSet::new();
    if paths.is_empty() {
        sources.push(Source::Stdin);
    }
    for p in paths {
        if p.as_os_str() == "-" {
            sources.push(Source::Stdin);
            continue;
        }
        match std::fs::metadata(p) {
            Ok(m) if m.is_dir() => walk(p, &mut sources, &mut errors, &mut seen_dirs),
            Ok(_) => sources.push(Source::File(p.clone())),
            Err(e) => errors.push(InputError {
                path: p.display().to_string(),
                message: describe_io(&e),
            }),
        }
    }
    sources.sort();
    sources.dedup();
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
            Input { source, id }
        })
        .collect();
    (inputs, errors)
}

fn walk(dir: &Path, out: &mut Vec<Source>, errors: &mut Vec<InputError>, seen: &mut HashSet<PathBuf>) {
    let canon = match std::fs::canonicalize(dir) {
        Ok(c) => c,
        Err(e) => {
            errors.push(InputError {
                path: dir.display().to_string(),
                message: describe_io(&e),
            });
            return;
        }
    };
    if !seen.insert(canon) {
        errors.push(InputError {
            path: dir.display().to_string(),
            message: "folder already read (a link loop?); skipped".into(),
        });
        return;
    }
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            errors.push(InputError {
                path: dir.display().to_string(),
                message: describe_io(&e),
            });
            return;
        }
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        match std::fs::metadata(&p) {
            Ok(m) if m.is_dir() => walk(&p, out, errors, seen),
            Ok(_) if wanted(&p) => out.push(Source::File(p)),
            Ok(_) => {}
            Err(e) => errors.push(InputError {
                path: p.display().to_string(),
                message: describe_io(&e),
            }),
        }
    }
}

/// An I/O error in words a user can act on.
pub fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
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

/// A document's text, as read.
#[derive(Debug, Clone)]
pub struct Text {
    /// The text (lossily decoded when the bytes were not valid UTF-8).
    pub text: String,
    /// What was odd about it.
    pub warnings: Vec<InputWarning>,
}

/// Reads one input. Binary files (with NUL bytes) are an error; invalid UTF-8 is decoded lossily
/// with a warning naming the byte offset of the first bad sequence (offsets then index the
/// decoded text, where each bad sequence became U+FFFD).
pub fn read(input: &Input) -> Result<Text, InputError> {
    let path = input.source.to_string();
    let bytes = match &input.source {
        Source::File(p) => std::fs::read(p).map_err(|e| InputError {
            path: path.clone(),
            message: describe_io(&e),
        })?,
        Source::Stdin => {
            let mut b = Vec::new();
            std::io::stdin()
                .lock()
                .read_to_end(&mut b)
                .map_err(|e| InputError {
                    path: path.clone(),
                    message: describe_io(&e),
                })?;
            b
        }
    };
    decode(&path, bytes)
}

/// Decodes bytes read from `path` (see [`read`]).
pub fn decode(path: &str, bytes: Vec<u8>) -> Result<Text, InputError> {
    if let Some(at) = memchr_nul(&bytes) {
        return Err(InputError {
            path: path.to_string(),
            message: format!("binary file (NUL byte at offset {at}); skipped"),
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Text {
            text,
            warnings: Vec::new(),
        }),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            Ok(Text {
                text,
                warnings: vec![InputWarning {
                    path: path.to_string(),
                    message: format!(
                        "not valid UTF-8 (first bad byte at offset {at}); decoded with U+FFFD replacements"
                    ),
                }],
            })
        }
    }
}

fn memchr_nul(b: &[u8]) -> Option<usize> {
    b.iter().position(|&x| x == 0)
}
