//! Evidence text read back from the articles: what a graph written with `--evidence span`
//! (offsets only) needs to show its sentences.
//!
//! A document's `path` names where it was read: a file (text or HTML, decoded as `build`
//! decodes it, so the offsets of an HTML page give its visible text), or a row `FILE:LINE` of
//! a corpus file (the row's text field, `text` unless [`Fields`] say otherwise). Each file is
//! read once, and a corpus file is read row by row until every row asked for is found.

use super::rows::{Fields, RowFormat, RowReader};
use super::{Text, decode, read_file};
use crate::extraction::DocumentInfo;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;

/// A span of a document: (document ID, start, end), byte offsets into its input.
pub type SpanKey = (String, usize, usize);

/// What [`read_back`] found.
#[derive(Debug, Default)]
pub struct ReadBack {
    /// The text of each span that could be read back.
    pub texts: HashMap<SpanKey, String>,
    /// What could not be read, one line per input (`PATH: what`).
    pub problems: Vec<String>,
    /// Spans whose text could not be read back.
    pub missing: usize,
}

/// Reads back the text of `spans` from the inputs that `documents` name.
///
/// ```
/// use partygraph::corpus::{document_info, readback::read_back};
/// let dir = std::env::temp_dir().join("partygraph-doc-readback");
/// std::fs::create_dir_all(&dir).unwrap();
/// let path = dir.join("a.txt");
/// std::fs::write(&path, "Bộ Chính trị họp. Ban Bí thư họp.").unwrap();
/// let doc = document_info("a", &path.display().to_string());
/// let at = "Bộ Chính trị họp. ".len();
/// let span = ("a".to_string(), at, at + "Ban Bí thư họp.".len());
/// let got = read_back([doc], &[span.clone(), ("b".to_string(), 0, 1)]);
/// assert_eq!(got.texts[&span], "Ban Bí thư họp.");
/// assert_eq!(got.missing, 1); // no document "b"
/// ```
pub fn read_back(documents: impl IntoIterator<Item = DocumentInfo>, spans: &[SpanKey]) -> ReadBack {
    read_back_with(documents, spans, &Fields::default())
}

/// [`read_back`] with the field names of corpus files.
pub fn read_back_with(
    documents: impl IntoIterator<Item = DocumentInfo>,
    spans: &[SpanKey],
    fields: &Fields,
) -> ReadBack {
    let mut wanted: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    for (doc, s, e) in spans {
        wanted.entry(doc.as_str()).or_default().push((*s, *e));
    }
    let mut out = ReadBack::default();
    let docs: HashMap<String, DocumentInfo> = documents
        .into_iter()
        .filter(|d| wanted.contains_key(d.id.as_str()))
        .map(|d| (d.id.clone(), d))
        .collect();
    // Rows of corpus files, by file: line -> document ID.
    let mut rows: BTreeMap<String, BTreeMap<usize, &str>> = BTreeMap::new();
    for (&id, want) in &wanted {
        let Some(d) = docs.get(id) else {
            out.missing += want.len();
            continue;
        };
        if let Some((file, line)) = row_of(&d.path) {
            rows.entry(file.to_string()).or_default().insert(line, id);
            continue;
        }
        match read_file(Path::new(&d.path))
            .and_then(|b| decode(&d.path, b).map_err(|e| e.to_string()))
        {
            Ok(text) => out.take(id, &text, want),
            Err(m) => {
                out.problems.push(format!("{}: {m}", d.path));
                out.missing += want.len();
            }
        }
    }
    for (file, lines) in rows {
        let mut left: BTreeSet<usize> = lines.keys().copied().collect();
        match RowReader::open(Path::new(&file), fields) {
            Ok(reader) => {
                for row in reader.flatten() {
                    if left.remove(&row.line) {
                        let id = lines[&row.line];
                        let text = Text::plain(row.article.text);
                        out.take(id, &text, &wanted[id]);
                    }
                    if left.is_empty() {
                        break;
                    }
                }
                if !left.is_empty() {
                    out.problems.push(format!(
                        "{file}: {} rows not found (first: line {})",
                        left.len(),
                        left.first().copied().unwrap_or(0)
                    ));
                }
            }
            Err(e) => out.problems.push(e.to_string()),
        }
        out.missing += left.iter().map(|l| wanted[lines[l]].len()).sum::<usize>();
    }
    out
}

/// `FILE:LINE` of a row of a corpus file, when `path` is one.
fn row_of(path: &str) -> Option<(&str, usize)> {
    let (file, line) = path.rsplit_once(':')?;
    let line: usize = line.parse().ok()?;
    RowFormat::of(Path::new(file))?;
    Some((file, line))
}

impl ReadBack {
    fn take(&mut self, id: &str, text: &Text, want: &[(usize, usize)]) {
        let bounds = boundaries(text);
        for &(s, e) in want {
            match slice_at(text, &bounds, s, e) {
                Some(t) => {
                    self.texts.insert((id.to_string(), s, e), t);
                }
                None => self.missing += 1,
            }
        }
    }
}

/// The char boundaries of a text (only needed when it maps back to its input through maps).
fn boundaries(text: &Text) -> Vec<usize> {
    if text.maps().is_empty() {
        return Vec::new();
    }
    let t = &text.text;
    t.char_indices().map(|(i, _)| i).chain([t.len()]).collect()
}

/// The text whose input bytes are `[start, end)`, when some span of the text maps to exactly
/// those bytes.
fn slice_at(text: &Text, bounds: &[usize], start: usize, end: usize) -> Option<String> {
    if text.maps().is_empty() {
        return text.text.get(start..end).map(String::from);
    }
    // The mapping is monotonic: the first boundary at or after `start`, the last at or
    // before `end`.
    let first = bounds.partition_point(|&d| text.map_span(d, d).0 < start);
    let ds = *bounds.get(first)?;
    let last = bounds.partition_point(|&d| d <= ds || text.map_span(ds, d).1 <= end);
    let de = *bounds.get(last.checked_sub(1)?)?;
    (text.map_span(ds, de) == (start, end))
        .then(|| text.text.get(ds..de).map(String::from))
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{InputFormat, decode_as, document_info};

    #[test]
    fn html_spans_give_the_visible_text() {
        let page = "<p>Tỉnh <b>ủy</b> Nghệ An họp.</p><p>Ban Bí thư &amp; Bộ Chính trị.</p>";
        let text = decode_as("a.html", page.as_bytes().to_vec(), InputFormat::Auto).unwrap();
        let bounds = boundaries(&text);
        // Every span of the visible text that maps to the input reads back as itself.
        let visible = &text.text;
        for (ds, de) in [(0, 7), (0, visible.find(" họp").unwrap()), (2, 5)] {
            let (s, e) = text.map_span(ds, de);
            assert_eq!(
                slice_at(&text, &bounds, s, e).as_deref(),
                visible.get(ds..de)
            );
        }
        let amp = visible.find('&').unwrap();
        let (s, e) = text.map_span(amp, amp + 1);
        assert_eq!(&page[s..e], "&amp;");
        assert_eq!(slice_at(&text, &bounds, s, e).as_deref(), Some("&"));
        // Bytes inside a tag are no span of the text.
        let tag = page.find("<b>").unwrap();
        assert_eq!(slice_at(&text, &bounds, tag + 1, tag + 2), None);
    }

    #[test]
    fn rows_of_corpus_files_are_read_once() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("c.jsonl");
        std::fs::write(
            &file,
            "{\"id\":\"x\",\"text\":\"Bộ Chính trị họp.\"}\n{\"id\":\"y\",\"text\":\"Ban Bí thư họp.\"}\n",
        )
        .unwrap();
        let f = file.display().to_string();
        let docs = [
            document_info("x", &format!("{f}:1")),
            document_info("y", &format!("{f}:2")),
            document_info("z", &format!("{f}:9")),
        ];
        let spans = [
            ("y".to_string(), 0, "Ban Bí thư".len()),
            ("x".to_string(), 0, "Bộ Chính".len()),
            ("z".to_string(), 0, 1),
        ];
        let got = read_back(docs, &spans);
        assert_eq!(got.texts[&spans[0]], "Ban Bí thư");
        assert_eq!(got.texts[&spans[1]], "Bộ Chính");
        assert_eq!(got.missing, 1);
        assert!(
            got.problems[0].contains("1 rows not found (first: line 9)"),
            "{:?}",
            got.problems
        );
    }

    #[test]
    fn a_missing_file_is_named() {
        let docs = [document_info("a", "/nonexistent/partygraph/a.txt")];
        let got = read_back(docs, &[("a".to_string(), 0, 4)]);
        assert_eq!(got.missing, 1);
        assert!(got.problems[0].starts_with("/nonexistent/partygraph/a.txt: "));
    }
}
