//! Corpus files: one article per row, with its metadata.
//!
//! A scraped corpus is often one file of rows: JSON Lines (`.jsonl`, `.ndjson`), gzipped JSON
//! Lines (`.jsonl.gz`, `.ndjson.gz`) or CSV with a header (`.csv`). Each row is an article: a
//! `text` field (required) and, optionally, `id`, `url`, `date`, `title` and `source` (the
//! outlet); [`Fields`] renames the text and ID fields. Other fields are ignored.
//!
//! - The text is read as it is (plain text, not HTML): offsets index the UTF-8 bytes of the
//!   `text` field, so `text[start..end]` is the mention.
//! - `id` is the document ID (a number is read as its digits); without one, the ID is the file's
//!   input ID and the row's line (`corpus-12`). IDs must be unique: a second row with the ID of
//!   an earlier one is an error naming both (see [`Ids`]).
//! - `date` (`YYYY-MM-DD`, an ISO date-time, `YYYY-MM`, `YYYY` or `D/M/YYYY`) is the article's
//!   date when its text has no dateline; `title` replaces the headline read from the text.
//! - A bad row (not JSON, not an object, no text, a text that is not a string, not valid UTF-8)
//!   is a warning naming the file and line ([`RowError`]); the other rows are still read. A
//!   metadata field that cannot be used (a date that is not one, a URL that is not a string) is a
//!   warning too, and the row is read without it.

use super::{Input, InputError, InputWarning, Severity, Source, describe_io};
use crate::batch::Job;
use crate::extraction::DocumentInfo;
use serde_json::{Map, Value};
use std::collections::HashMap;
use std::fmt;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// The kind of a corpus file, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowFormat {
    /// JSON Lines: one JSON object per line (`.jsonl`, `.ndjson`).
    Jsonl,
    /// Gzipped JSON Lines (`.jsonl.gz`, `.ndjson.gz`).
    JsonlGz,
    /// CSV with a header line (`.csv`).
    Csv,
}

impl RowFormat {
    /// The format of a corpus file named `path`, or `None` for any other file.
    ///
    /// ```
    /// use partygraph::corpus::rows::RowFormat;
    /// assert_eq!(RowFormat::of("a/corpus.JSONL".as_ref()), Some(RowFormat::Jsonl));
    /// assert_eq!(RowFormat::of("corpus.jsonl.gz".as_ref()), Some(RowFormat::JsonlGz));
    /// assert_eq!(RowFormat::of("corpus.csv".as_ref()), Some(RowFormat::Csv));
    /// assert_eq!(RowFormat::of("bai-1.txt".as_ref()), None);
    /// ```
    pub fn of(path: &Path) -> Option<RowFormat> {
        let name = path.file_name()?.to_string_lossy().to_ascii_lowercase();
        if name.ends_with(".jsonl") || name.ends_with(".ndjson") {
            Some(RowFormat::Jsonl)
        } else if name.ends_with(".jsonl.gz") || name.ends_with(".ndjson.gz") {
            Some(RowFormat::JsonlGz)
        } else if name.ends_with(".csv") {
            Some(RowFormat::Csv)
        } else {
            None
        }
    }
}

/// The names of the text and ID fields (columns) of a corpus file.
///
/// ```
/// let f = partygraph::corpus::rows::Fields::default();
/// assert_eq!((f.text.as_str(), f.id.as_str()), ("text", "id"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    /// The field holding the article's text (`text`).
    pub text: String,
    /// The field holding its ID (`id`).
    pub id: String,
}

impl Default for Fields {
    fn default() -> Fields {
        Fields {
            text: "text".into(),
            id: "id".into(),
        }
    }
}

/// One article as a row gives it: its text and metadata.
///
/// ```
/// use partygraph::corpus::rows::{Article, Fields};
/// let row = serde_json::json!({"id": 7, "text": "Bộ Chính trị họp.", "date": "2024-03-05T08:00:00Z"});
/// let (a, warnings) = Article::from_json(row.as_object().unwrap(), &Fields::default()).unwrap();
/// assert_eq!((a.id.as_deref(), a.date.as_deref()), (Some("7"), Some("2024-03-05")));
/// assert!(warnings.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Article {
    /// The document ID, when the row gives one.
    pub id: Option<String>,
    /// The text.
    pub text: String,
    /// Where it was published.
    pub url: Option<String>,
    /// Its date (ISO).
    pub date: Option<String>,
    /// Its title.
    pub title: Option<String>,
    /// The outlet.
    pub source: Option<String>,
}

impl Article {
    /// An article with text only.
    ///
    /// ```
    /// let a = partygraph::corpus::rows::Article::new("Bộ Chính trị họp.");
    /// assert!(a.id.is_none() && a.url.is_none());
    /// ```
    pub fn new(text: impl Into<String>) -> Article {
        Article {
            text: text.into(),
            ..Article::default()
        }
    }

    /// The [`DocumentInfo`] to extract it under, with `id` (the row's own when it has one is
    /// the caller's choice) and `path`.
    ///
    /// ```
    /// let mut a = partygraph::corpus::rows::Article::new("x");
    /// a.url = Some("https://example.org/a".into());
    /// let d = a.info("a", "corpus.jsonl:3");
    /// assert_eq!((d.path.as_str(), d.url.as_deref()), ("corpus.jsonl:3", Some("https://example.org/a")));
    /// ```
    pub fn info(&self, id: &str, path: &str) -> DocumentInfo {
        DocumentInfo {
            id: id.to_string(),
            path: path.to_string(),
            url: self.url.clone(),
            source: self.source.clone(),
            date: self.date.clone(),
            title: self.title.clone(),
            authors: Vec::new(),
            bytes: 0,
        }
    }

    /// Reads a row given as a JSON object. A row that cannot be an article is an error
    /// ([`RowProblem`]); metadata that cannot be used is left out, with a warning each.
    pub fn from_json(
        row: &Map<String, Value>,
        fields: &Fields,
    ) -> Result<(Article, Vec<String>), RowProblem> {
        let text = match row.get(&fields.text) {
            None | Some(Value::Null) => {
                return Err(RowProblem::NoText {
                    field: fields.text.clone(),
                });
            }
            Some(Value::String(s)) => s.clone(),
            Some(v) => {
                return Err(RowProblem::TextNotString {
                    field: fields.text.clone(),
                    found: json_kind(v),
                });
            }
        };
        let mut warnings = Vec::new();
        let mut meta = |name: &str| -> Option<String> {
            match row.get(name) {
                None | Some(Value::Null) => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(Value::Number(n)) => Some(n.to_string()),
                Some(v) => {
                    warnings.push(format!(
                        "field \"{name}\" is {}, not a string; ignored",
                        json_kind(v)
                    ));
                    None
                }
            }
        };
        let id = meta(&fields.id);
        let url = meta("url");
        let date = meta("date");
        let title = meta("title");
        let source = meta("source");
        let mut a = Article {
            id: None,
            text,
            url: url.filter(|s| !s.trim().is_empty()),
            date: None,
            title: title.filter(|s| !s.trim().is_empty()),
            source: source.filter(|s| !s.trim().is_empty()),
        };
        a.set_id(id, &mut warnings);
        a.set_date(date, &mut warnings);
        Ok((a, warnings))
    }

    fn set_id(&mut self, id: Option<String>, warnings: &mut Vec<String>) {
        match id {
            Some(id) if id.trim().is_empty() => {
                warnings.push("empty id; the row gets an ID of its own".into());
            }
            id => self.id = id,
        }
    }

    fn set_date(&mut self, date: Option<String>, warnings: &mut Vec<String>) {
        let Some(d) = date.filter(|d| !d.trim().is_empty()) else {
            return;
        };
        match iso_date(&d) {
            Some(iso) => self.date = Some(iso),
            None => warnings.push(format!(
                "date \"{d}\" is not a date (YYYY-MM-DD, YYYY-MM, YYYY or D/M/YYYY); ignored"
            )),
        }
    }
}

/// A date as corpora write it, in ISO form: `2024-03-05`, `2024-03-05T08:00:00+07:00`,
/// `2024-03`, `2024`, `5/3/2024` (day first); `None` when it is not a date.
///
/// ```
/// use partygraph::corpus::rows::iso_date;
/// assert_eq!(iso_date("2024-03-05T08:00:00Z").as_deref(), Some("2024-03-05"));
/// assert_eq!(iso_date("5/3/2024").as_deref(), Some("2024-03-05"));
/// assert_eq!(iso_date("2024-13-01"), None);
/// assert_eq!(iso_date("hôm qua"), None);
/// ```
pub fn iso_date(s: &str) -> Option<String> {
    let s = s.trim();
    let num = |p: &str, len: std::ops::RangeInclusive<usize>| -> Option<u32> {
        (len.contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let ok = |y: u32, m: Option<u32>, d: Option<u32>| {
        (1000..=9999).contains(&y)
            && m.is_none_or(|m| (1..=12).contains(&m))
            && d.is_none_or(|d| (1..=31).contains(&d))
    };
    if s.contains('/') {
        let p: Vec<&str> = s.split('/').collect();
        let [d, m, y] = p[..] else { return None };
        let (d, m, y) = (num(d, 1..=2)?, num(m, 1..=2)?, num(y, 4..=4)?);
        return ok(y, Some(m), Some(d)).then(|| format!("{y:04}-{m:02}-{d:02}"));
    }
    // An ISO date-time: the date part.
    let date = s.split(['T', ' ']).next().unwrap_or(s);
    let p: Vec<&str> = date.split('-').collect();
    match p[..] {
        [y] => {
            let y = num(y, 4..=4)?;
            ok(y, None, None).then(|| format!("{y:04}"))
        }
        [y, m] => {
            let (y, m) = (num(y, 4..=4)?, num(m, 2..=2)?);
            ok(y, Some(m), None).then(|| format!("{y:04}-{m:02}"))
        }
        [y, m, d] => {
            let (y, m, d) = (num(y, 4..=4)?, num(m, 2..=2)?, num(d, 2..=2)?);
            ok(y, Some(m), Some(d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
        }
        _ => None,
    }
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// What is wrong with one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowProblem {
    /// The line is not JSON.
    NotJson(String),
    /// The line is JSON but not an object.
    NotObject(&'static str),
    /// The row has no text field (or it is null).
    NoText {
        /// The field's name.
        field: String,
    },
    /// The text field is not a string.
    TextNotString {
        /// The field's name.
        field: String,
        /// What it is (`a number`).
        found: &'static str,
    },
    /// The row is not valid UTF-8.
    NotUtf8,
    /// An earlier row has the same ID.
    DuplicateId {
        /// The ID.
        id: String,
        /// Where the earlier row is (`corpus.jsonl:2`).
        first: String,
    },
    /// The file could not be read on (a read error, a corrupt gzip stream).
    Read(String),
}

impl RowProblem {
    /// Whether the row is skipped with a warning (a bad row) or fails the run (a duplicate ID,
    /// a read error).
    ///
    /// ```
    /// use partygraph::corpus::{rows::RowProblem, Severity};
    /// assert_eq!(RowProblem::NotUtf8.severity(), Severity::Warning);
    /// let dup = RowProblem::DuplicateId { id: "a".into(), first: "c.jsonl:1".into() };
    /// assert_eq!(dup.severity(), Severity::Error);
    /// ```
    pub fn severity(&self) -> Severity {
        match self {
            RowProblem::DuplicateId { .. } | RowProblem::Read(_) => Severity::Error,
            _ => Severity::Warning,
        }
    }
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RowProblem::NotJson(e) => write!(f, "not JSON ({e})"),
            RowProblem::NotObject(k) => write!(f, "not a JSON object (the line is {k})"),
            RowProblem::NoText { field } => write!(f, "no \"{field}\" field"),
            RowProblem::TextNotString { field, found } => {
                write!(f, "\"{field}\" is {found}, not a string")
            }
            RowProblem::NotUtf8 => f.write_str("not valid UTF-8"),
            RowProblem::DuplicateId { id, first } => {
                write!(
                    f,
                    "duplicate id \"{id}\" (also the ID of {first}); row not read"
                )
            }
            RowProblem::Read(e) => write!(f, "cannot read on: {e}"),
        }
    }
}

/// A problem with one row of a corpus file: `corpus.jsonl:12: warning: not JSON (...); row
/// skipped`.
///
/// ```
/// use partygraph::corpus::rows::{RowError, RowProblem};
/// let e = RowError { path: "c.jsonl".into(), line: 3, problem: RowProblem::NoText { field: "text".into() } };
/// assert_eq!(e.to_string(), "c.jsonl:3: warning: no \"text\" field; row skipped");
/// assert!(partygraph::corpus::InputError::from(e).is_warning());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The corpus file.
    pub path: String,
    /// The row's line (from 1).
    pub line: usize,
    /// What is wrong.
    pub problem: RowProblem,
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.problem.severity() {
            Severity::Warning => write!(
                f,
                "{}:{}: warning: {}; row skipped",
                self.path, self.line, self.problem
            ),
            Severity::Error => write!(f, "{}:{}: {}", self.path, self.line, self.problem),
        }
    }
}

impl std::error::Error for RowError {}

impl From<RowError> for InputError {
    fn from(e: RowError) -> InputError {
        InputError {
            path: format!("{}:{}", e.path, e.line),
            message: e.problem.to_string(),
            severity: e.problem.severity(),
        }
    }
}

/// One row read: its line and article, with warnings about its metadata.
///
/// ```
/// use partygraph::corpus::rows::{Fields, RowFormat, RowReader};
/// let data = "{\"text\": \"x\", \"url\": 5}\n";
/// let row = RowReader::new("c.jsonl", RowFormat::Jsonl, Box::new(data.as_bytes()), &Fields::default())
///     .unwrap().next().unwrap().unwrap();
/// assert_eq!((row.line, row.article.url.as_deref()), (1, Some("5")));
/// assert!(row.warnings.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The line it starts on (from 1).
    pub line: usize,
    /// The article.
    pub article: Article,
    /// What could not be used (`date "x" is not a date ...; ignored`).
    pub warnings: Vec<String>,
}

enum Inner {
    Lines(Box<dyn BufRead + Send>),
    Csv {
        reader: Box<csv::Reader<NewlineReader>>,
        header: Vec<String>,
        text: usize,
        newlines: Newlines,
    },
}

/// The rows of one corpus file, read one at a time (memory does not grow with the file).
///
/// ```
/// use partygraph::corpus::rows::{Fields, RowFormat, RowReader};
/// let data = "{\"id\": \"a\", \"text\": \"Bộ Chính trị họp.\"}\nnot json\n{\"text\": 5}\n";
/// let rows: Vec<_> = RowReader::new("c.jsonl", RowFormat::Jsonl, Box::new(data.as_bytes()), &Fields::default())
///     .unwrap()
///     .collect();
/// assert_eq!(rows[0].as_ref().unwrap().article.id.as_deref(), Some("a"));
/// assert!(rows[1].as_ref().unwrap_err().to_string().starts_with("c.jsonl:2: warning: not JSON"));
/// assert_eq!(rows[2].as_ref().unwrap_err().to_string(), "c.jsonl:3: warning: \"text\" is a number, not a string; row skipped");
/// ```
pub struct RowReader {
    path: String,
    fields: Fields,
    inner: Inner,
    line: usize,
    done: bool,
}

impl RowReader {
    /// Opens a corpus file by its name (see [`RowFormat::of`]); for CSV, reads its header.
    ///
    /// ```
    /// let dir = std::env::temp_dir().join("partygraph-doc-rows");
    /// std::fs::create_dir_all(&dir).unwrap();
    /// std::fs::write(dir.join("c.csv"), "id,title,text\na,Tin,\"Bộ Chính trị họp.\"\n").unwrap();
    /// let fields = partygraph::corpus::rows::Fields::default();
    /// let mut rows = partygraph::corpus::rows::RowReader::open(&dir.join("c.csv"), &fields).unwrap();
    /// let row = rows.next().unwrap().unwrap();
    /// assert_eq!((row.line, row.article.title.as_deref()), (2, Some("Tin")));
    /// let err = partygraph::corpus::rows::RowReader::open(&dir.join("none.csv"), &fields).err().unwrap();
    /// assert!(err.to_string().ends_with("none.csv: no such file or folder"));
    /// ```
    pub fn open(path: &Path, fields: &Fields) -> Result<RowReader, InputError> {
        let shown = path.display().to_string();
        let format = RowFormat::of(path).ok_or_else(|| {
            InputError::error(
                &shown,
                "not a corpus file (.jsonl, .jsonl.gz, .ndjson or .csv)",
            )
        })?;
        let f = std::fs::File::open(path)
            .map_err(|e| InputError::error(&shown, super::describe_path_error(path, &e)))?;
        if f.metadata().is_ok_and(|m| m.is_dir()) {
            return Err(InputError::error(&shown, "is a folder"));
        }
        RowReader::new(&shown, format, Box::new(f), fields)
    }

    /// Reads rows of `format` from `r`; `path` names them in messages.
    pub fn new(
        path: &str,
        format: RowFormat,
        r: Box<dyn Read + Send>,
        fields: &Fields,
    ) -> Result<RowReader, InputError> {
        let inner = match format {
            RowFormat::Jsonl => Inner::Lines(Box::new(BufReader::with_capacity(1 << 16, r))),
            RowFormat::JsonlGz => Inner::Lines(Box::new(BufReader::with_capacity(
                1 << 16,
                flate2::read::MultiGzDecoder::new(r),
            ))),
            RowFormat::Csv => {
                let newlines = Newlines::default();
                let r = NewlineReader {
                    inner: r,
                    at: 0,
                    newlines: newlines.clone(),
                };
                let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(r);
                let header: Vec<String> = match reader.byte_headers() {
                    Ok(h) => h
                        .iter()
                        .map(|f| {
                            String::from_utf8_lossy(f)
                                .trim_start_matches('\u{feff}')
                                .to_string()
                        })
                        .collect(),
                    Err(e) => {
                        return Err(InputError::error(
                            format!("{path}:1"),
                            format!("cannot read the CSV header: {}", csv_error(&e)),
                        ));
                    }
                };
                let Some(text) = header.iter().position(|h| *h == fields.text) else {
                    return Err(InputError::error(
                        format!("{path}:1"),
                        format!(
                            "no \"{}\" column (the header has: {}); name the text column with --text-field",
                            fields.text,
                            header.join(", ")
                        ),
                    ));
                };
                Inner::Csv {
                    reader: Box::new(reader),
                    header,
                    text,
                    newlines,
                }
            }
        };
        Ok(RowReader {
            path: path.to_string(),
            fields: fields.clone(),
            inner,
            line: 0,
            done: false,
        })
    }

    /// The file's name as given.
    ///
    /// ```
    /// use partygraph::corpus::rows::{Fields, RowFormat, RowReader};
    /// let r = RowReader::new("c.jsonl", RowFormat::Jsonl, Box::new(&b""[..]), &Fields::default()).unwrap();
    /// assert_eq!(r.path(), "c.jsonl");
    /// ```
    pub fn path(&self) -> &str {
        &self.path
    }

    fn error(&self, line: usize, problem: RowProblem) -> RowError {
        RowError {
            path: self.path.clone(),
            line,
            problem,
        }
    }

    fn next_line(&mut self) -> Option<Result<Row, RowError>> {
        let Inner::Lines(r) = &mut self.inner else {
            return None;
        };
        let mut buf = Vec::new();
        loop {
            buf.clear();
            match r.read_until(b'\n', &mut buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.done = true;
                    let line = self.line + 1;
                    return Some(Err(self.error(line, RowProblem::Read(describe_io(&e)))));
                }
            }
            self.line += 1;
            let mut bytes = buf.as_slice();
            if self.line == 1 {
                bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            }
            if bytes.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let line = self.line;
            let value: Value = match serde_json::from_slice(bytes) {
                Ok(v) => v,
                Err(e) => {
                    let problem = if std::str::from_utf8(bytes).is_err() {
                        RowProblem::NotUtf8
                    } else {
                        RowProblem::NotJson(e.to_string())
                    };
                    return Some(Err(self.error(line, problem)));
                }
            };
            let Value::Object(map) = value else {
                return Some(Err(
                    self.error(line, RowProblem::NotObject(json_kind(&value)))
                ));
            };
            return Some(match Article::from_json(&map, &self.fields) {
                Ok((article, warnings)) => Ok(Row {
                    line,
                    article,
                    warnings,
                }),
                Err(p) => Err(self.error(line, p)),
            });
        }
    }

    fn next_record(&mut self) -> Option<Result<Row, RowError>> {
        let Inner::Csv {
            reader,
            header,
            text,
            newlines,
        } = &mut self.inner
        else {
            return None;
        };
        let mut rec = csv::ByteRecord::new();
        let read = reader.read_byte_record(&mut rec);
        let start = match &read {
            Ok(_) => rec.position().map(|p| p.byte()),
            Err(e) => e.position().map(|p| p.byte()),
        };
        let line = match start {
            Some(b) => newlines.line_at(b),
            None => self.line + 1,
        };
        match read {
            Ok(false) => return None,
            Ok(true) => {}
            Err(e) => {
                self.done = true;
                return Some(Err(self.error(line, RowProblem::Read(csv_error(&e)))));
            }
        }
        self.line = line;
        let Some(text_bytes) = rec.get(*text) else {
            let field = self.fields.text.clone();
            return Some(Err(self.error(line, RowProblem::NoText { field })));
        };
        let Ok(text) = std::str::from_utf8(text_bytes) else {
            return Some(Err(self.error(line, RowProblem::NotUtf8)));
        };
        let mut map = Map::new();
        map.insert(self.fields.text.clone(), Value::String(text.to_string()));
        let mut warnings = Vec::new();
        for name in [self.fields.id.as_str(), "url", "date", "title", "source"] {
            let Some(i) = header.iter().position(|h| h == name) else {
                continue;
            };
            match rec.get(i).map(std::str::from_utf8) {
                // An empty cell is no value.
                Some(Ok("")) | None => {}
                Some(Ok(v)) => {
                    map.insert(name.to_string(), Value::String(v.to_string()));
                }
                Some(Err(_)) => {
                    warnings.push(format!("field \"{name}\" is not valid UTF-8; ignored"))
                }
            }
        }
        Some(match Article::from_json(&map, &self.fields) {
            Ok((article, more)) => {
                warnings.extend(more);
                Ok(Row {
                    line,
                    article,
                    warnings,
                })
            }
            Err(p) => Err(self.error(line, p)),
        })
    }
}

/// Where the lines of a CSV file start, as far as read: the csv reader counts a record after a
/// CRLF as starting on the line before, so lines are counted here from the bytes.
#[derive(Clone, Default)]
struct Newlines(std::sync::Arc<std::sync::Mutex<NewlineCount>>);

#[derive(Default)]
struct NewlineCount {
    /// Offsets of the `\n` bytes read and not yet passed.
    ahead: std::collections::VecDeque<u64>,
    /// `\n` bytes passed.
    passed: usize,
}

impl Newlines {
    /// The line (from 1) of the record starting at byte `start`: a record never starts with a
    /// line break, so a `\n` at `start` ends the line before.
    fn line_at(&self, start: u64) -> usize {
        let Ok(mut c) = self.0.lock() else { return 0 };
        while c.ahead.front().is_some_and(|&b| b <= start) {
            c.ahead.pop_front();
            c.passed += 1;
        }
        c.passed + 1
    }
}

/// Reads the file for the csv reader, noting where its lines end.
struct NewlineReader {
    inner: Box<dyn Read + Send>,
    at: u64,
    newlines: Newlines,
}

impl Read for NewlineReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Ok(mut c) = self.newlines.0.lock() {
            for i in memchr::memchr_iter(b'\n', &buf[..n]) {
                c.ahead.push_back(self.at + i as u64);
            }
        }
        self.at += n as u64;
        Ok(n)
    }
}

fn csv_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(e) => describe_io(e),
        _ => e.to_string(),
    }
}

impl Iterator for RowReader {
    type Item = Result<Row, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = match self.inner {
            Inner::Lines(_) => self.next_line(),
            Inner::Csv { .. } => self.next_record(),
        };
        if next.is_none() {
            self.done = true;
        }
        next
    }
}

/// Splits inputs into articles and corpus files (named `.jsonl`, `.jsonl.gz`, `.ndjson`,
/// `.csv`: see [`RowFormat::of`]), both in their order.
///
/// ```
/// let dir = std::env::temp_dir().join("partygraph-doc-split");
/// std::fs::create_dir_all(&dir).unwrap();
/// std::fs::write(dir.join("a.txt"), "x").unwrap();
/// std::fs::write(dir.join("c.jsonl"), "{\"text\": \"x\"}\n").unwrap();
/// let (inputs, _) = partygraph::corpus::collect(&[dir.join("a.txt"), dir.join("c.jsonl")]);
/// let (articles, corpora) = partygraph::corpus::rows::split(inputs);
/// assert_eq!((articles[0].id.as_str(), corpora[0].id.as_str()), ("a", "c"));
/// ```
pub fn split(inputs: Vec<Input>) -> (Vec<Input>, Vec<Input>) {
    let (corpora, articles) = inputs
        .into_iter()
        .partition(|i| matches!(&i.source, Source::File(p) if RowFormat::of(p).is_some()));
    (articles, corpora)
}

/// The document IDs of a run, each with where it was first given, so that a second article
/// with the same ID is reported instead of silently merged with the first.
///
/// ```
/// let mut ids = partygraph::corpus::rows::Ids::default();
/// assert!(ids.claim("bai-1", "a.jsonl:1").is_ok());
/// assert_eq!(ids.claim("bai-1", "b.csv:7").unwrap_err(), "a.jsonl:1");
/// ```
#[derive(Debug, Clone, Default)]
pub struct Ids {
    seen: HashMap<String, String>,
}

impl Ids {
    /// Records `id` as given at `at`; `Err(where it was given first)` when it was.
    pub fn claim(&mut self, id: &str, at: &str) -> Result<(), String> {
        match self.seen.get(id) {
            Some(first) => Err(first.clone()),
            None => {
                self.seen.insert(id.to_string(), at.to_string());
                Ok(())
            }
        }
    }
}

/// The articles of one corpus file as extraction jobs, in file order: each row with its ID
/// (its own, or `<input_id>-<line>`), `path` `file:line`, and metadata. A duplicate ID is an
/// [`InputError`] naming both rows; bad rows are warnings (see the module documentation).
///
/// ```
/// use partygraph::corpus::rows::{jobs, Fields, Ids, RowFormat, RowReader};
/// let data = "{\"text\": \"a\"}\n{\"id\": \"x\", \"text\": \"b\"}\n{\"id\": \"x\", \"text\": \"c\"}\n";
/// let rows = RowReader::new("c.jsonl", RowFormat::Jsonl, Box::new(data.as_bytes()), &Fields::default()).unwrap();
/// let mut ids = Ids::default();
/// let got: Vec<_> = jobs(rows, "c", &mut ids).collect();
/// assert_eq!(got[0].as_ref().unwrap().info.id, "c-1");
/// assert_eq!(got[1].as_ref().unwrap().info.path, "c.jsonl:2");
/// assert_eq!(got[2].as_ref().unwrap_err().to_string(), "c.jsonl:3: duplicate id \"x\" (also the ID of c.jsonl:2); row not read");
/// ```
pub fn jobs<'a>(
    rows: RowReader,
    input_id: &'a str,
    ids: &'a mut Ids,
) -> impl Iterator<Item = Result<Job, InputError>> + 'a {
    let path = rows.path.clone();
    rows.map(move |r| {
        let row = r?;
        let at = format!("{path}:{}", row.line);
        let id = match &row.article.id {
            Some(id) => id.clone(),
            None => format!("{input_id}-{}", row.line),
        };
        if let Err(first) = ids.claim(&id, &at) {
            return Err(RowError {
                path: path.clone(),
                line: row.line,
                problem: RowProblem::DuplicateId { id, first },
            }
            .into());
        }
        let warnings = row
            .warnings
            .into_iter()
            .map(|message| InputWarning {
                path: at.clone(),
                message,
            })
            .collect();
        Ok(Job {
            info: row.article.info(&id, &at),
            text: row.article.text,
            warnings,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(format: RowFormat, data: &[u8]) -> Vec<Result<Row, RowError>> {
        let data = std::io::Cursor::new(data.to_vec());
        RowReader::new("c", format, Box::new(data), &Fields::default())
            .unwrap()
            .collect()
    }

    #[test]
    fn jsonl_rows_metadata_and_bad_rows() {
        let data = "\u{feff}{\"id\":\"a\",\"text\":\"x\",\"url\":\"u\",\"source\":\"Báo\",\"title\":\"T\",\"date\":\"1/2/2024\"}\r\n\n[1]\n{\"text\":null}\n{\"text\":\"y\",\"date\":\"soon\",\"url\":[1]}\n";
        let rows = read(RowFormat::Jsonl, data.as_bytes());
        let a = &rows[0].as_ref().unwrap().article;
        assert_eq!(
            (
                a.id.as_deref(),
                a.url.as_deref(),
                a.source.as_deref(),
                a.title.as_deref(),
                a.date.as_deref()
            ),
            (
                Some("a"),
                Some("u"),
                Some("Báo"),
                Some("T"),
                Some("2024-02-01")
            )
        );
        assert_eq!(rows[1].as_ref().unwrap_err().line, 3);
        assert!(matches!(
            rows[1].as_ref().unwrap_err().problem,
            RowProblem::NotObject(_)
        ));
        assert!(matches!(
            rows[2].as_ref().unwrap_err().problem,
            RowProblem::NoText { .. }
        ));
        let last = rows[3].as_ref().unwrap();
        assert_eq!((last.line, last.article.date.as_ref()), (5, None));
        assert_eq!(last.warnings.len(), 2, "{:?}", last.warnings);
        assert_eq!(rows.len(), 4);
    }

    #[test]
    fn invalid_utf8_row_is_named() {
        let rows = read(
            RowFormat::Jsonl,
            b"{\"text\":\"\xff\"}\n{\"text\":\"ok\"}\n",
        );
        assert_eq!(rows[0].as_ref().unwrap_err().problem, RowProblem::NotUtf8);
        assert!(rows[1].is_ok());
    }

    #[test]
    fn gzip_rows_and_a_corrupt_stream() {
        use std::io::Write;
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(b"{\"text\":\"a\"}\n{\"text\":\"b\"}\n")
            .unwrap();
        let bytes = gz.finish().unwrap();
        let rows = read(RowFormat::JsonlGz, &bytes);
        assert_eq!(rows.len(), 2);
        assert!(rows.iter().all(Result::is_ok));
        let rows = read(RowFormat::JsonlGz, b"not gzip at all");
        assert_eq!(rows.len(), 1);
        assert_eq!(
            rows[0].as_ref().unwrap_err().problem.severity(),
            Severity::Error
        );
    }

    #[test]
    fn csv_rows_quoted_lines_and_short_rows() {
        let data = "id,text,date\na,\"dòng 1\ndòng 2\",2024-03-05\nb\nc,z,\n";
        let rows = read(RowFormat::Csv, data.as_bytes());
        let crlf = read(RowFormat::Csv, data.replace('\n', "\r\n").as_bytes());
        let lines = |rows: &[Result<Row, RowError>]| -> Vec<usize> {
            rows.iter()
                .map(|r| r.as_ref().map_or_else(|e| e.line, |r| r.line))
                .collect()
        };
        assert_eq!(lines(&rows), [2, 4, 5]);
        assert_eq!(lines(&crlf), [2, 4, 5]);
        let a = rows[0].as_ref().unwrap();
        assert_eq!((a.line, a.article.text.as_str()), (2, "dòng 1\ndòng 2"));
        assert_eq!(rows[1].as_ref().unwrap_err().line, 4);
        let c = rows[2].as_ref().unwrap();
        assert_eq!((c.line, c.article.date.as_ref()), (5, None));
        let err = RowReader::new(
            "c.csv",
            RowFormat::Csv,
            Box::new(&b"a,b\n1,2\n"[..]),
            &Fields::default(),
        )
        .err()
        .unwrap();
        assert_eq!(err.path, "c.csv:1");
        assert!(err.message.contains("--text-field"), "{err}");
    }

    #[test]
    fn dates() {
        assert_eq!(iso_date("2024").as_deref(), Some("2024"));
        assert_eq!(iso_date("2024-03").as_deref(), Some("2024-03"));
        assert_eq!(iso_date("2024-03-05 10:00").as_deref(), Some("2024-03-05"));
        assert_eq!(iso_date("05/03/2024").as_deref(), Some("2024-03-05"));
        assert_eq!(iso_date("5/13/2024"), None);
        assert_eq!(iso_date("2024-3-5"), None);
    }
}
