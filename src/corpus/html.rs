//! The visible text of an HTML page, with a map back to the page's bytes.
//!
//! The page is tokenized with [html5gum] (a WHATWG-compliant tokenizer that reports the byte
//! span of every token). The text is every character run outside `<script>`, `<style>`,
//! `<title>`, `<noscript>`, `<iframe>`, `<noembed>` and `<noframes>`, with character
//! references (`&amp;`, `&#7871;`, `&nbsp;`) decoded, and a line break for every block-level tag
//! (`<p>`, `<div>`, `<br>`, `<h1>`, `<li>`, `<tr>`...; a space for `<td>` and `<th>`). Inline
//! tags (`<b>`, `<a>`, `<span>`) add nothing, so `Ngu<b>yễn</b>` reads "Nguyễn". Comments,
//! the doctype and attribute values are not text. Hidden content (`hidden`, CSS `display:none`)
//! is not detected and reads as text.
//!
//! Every byte of the text maps to the page bytes it came from: characters copied from the page
//! to themselves, a decoded reference to the whole reference, a line break to its tag.

use super::map::SourceMap;
use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};

/// Elements whose content is not page text. All of them are raw text or RCDATA for the
/// tokenizer, so their content always ends at their end tag (or at the end of the page).
const HIDDEN: &[&[u8]] = &[
    b"script",
    b"style",
    b"title",
    b"noscript",
    b"iframe",
    b"noembed",
    b"noframes",
    b"noframe",
];

/// Elements that start a new line.
const BLOCK: &[&[u8]] = &[
    b"address",
    b"article",
    b"aside",
    b"blockquote",
    b"body",
    b"br",
    b"caption",
    b"center",
    b"dd",
    b"details",
    b"dialog",
    b"dir",
    b"div",
    b"dl",
    b"dt",
    b"fieldset",
    b"figcaption",
    b"figure",
    b"footer",
    b"form",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"header",
    b"hgroup",
    b"hr",
    b"html",
    b"legend",
    b"li",
    b"main",
    b"menu",
    b"nav",
    b"ol",
    b"p",
    b"pre",
    b"section",
    b"summary",
    b"table",
    b"tbody",
    b"tfoot",
    b"thead",
    b"tr",
    b"ul",
    b"option",
    b"head",
];

/// Elements that separate words within a line (at their start tag).
const CELL: &[&[u8]] = &[b"td", b"th"];

/// The extracted text and its map.
struct Out<'a> {
    html: &'a str,
    text: String,
    map: SourceMap,
    hidden: Option<Vec<u8>>,
    tag: Vec<u8>,
    tag_start: usize,
}

impl Out<'_> {
    fn separator(&mut self, sep: char, span: Span<usize>) {
        if self.text.is_empty()
            || self.text.ends_with('\n')
            || (sep == ' ' && self.text.ends_with(' '))
        {
            return;
        }
        self.text.push(sep);
        let end = span.end.min(self.html.len());
        self.map.replaced(1, span.start.min(end)..end);
    }

    fn tag(&mut self, name: &[u8], span: Span<usize>, start: bool) {
        if BLOCK.contains(&name) {
            self.separator('\n', span);
        } else if start && CELL.contains(&name) {
            self.separator(' ', span);
        }
    }

    fn string(&mut self, span: Span<usize>) {
        if self.hidden.is_some() {
            return;
        }
        let (start, end) = (span.start, span.end);
        let Some(raw) = self.html.get(start..end) else {
            return;
        };
        let mut i = 0;
        let bytes = raw.as_bytes();
        while i < raw.len() {
            let next_amp = raw[i..].find('&').map_or(raw.len(), |k| i + k);
            if next_amp > i {
                self.text.push_str(&raw[i..next_amp]);
                self.map.verbatim(next_amp - i, start + i);
                i = next_amp;
                continue;
            }
            // At '&': a character reference, or a literal ampersand.
            match reference(&bytes[i..]) {
                Some((len, decoded)) => {
                    self.text.push_str(&decoded);
                    self.map.replaced(decoded.len(), start + i..start + i + len);
                    i += len;
                }
                None => {
                    self.text.push('&');
                    self.map.verbatim(1, start + i);
                    i += 1;
                }
            }
        }
    }
}

/// Legacy references that browsers decode without a semicolon (the common ones).
const LEGACY: &[&str] = &["amp", "lt", "gt", "quot", "nbsp", "copy", "reg"];

/// The length and decoded text of the character reference at the start of `s` (which starts
/// with `&`), if it is one.
fn reference(s: &[u8]) -> Option<(usize, String)> {
    let body = &s[1..];
    let (len, semicolon) = if body.first() == Some(&b'#') {
        let (digits, skip) = match body.get(1) {
            Some(b'x' | b'X') => (
                body[2..]
                    .iter()
                    .take_while(|b| b.is_ascii_hexdigit())
                    .count()
                    .min(8),
                2,
            ),
            _ => (
                body[1..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count()
                    .min(10),
                1,
            ),
        };
        if digits == 0 {
            return None;
        }
        let n = 1 + skip + digits;
        (n, s.get(n) == Some(&b';'))
    } else {
        let n = body
            .iter()
            .take(40)
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if n == 0 {
            return None;
        }
        (1 + n, s.get(1 + n) == Some(&b';'))
    };
    let name = std::str::from_utf8(&s[1..len]).ok()?;
    // Without a semicolon only numeric and the common legacy references count.
    if !(semicolon || LEGACY.contains(&name) || name.starts_with('#')) {
        return None;
    }
    let candidate = format!("&{name};");
    let decoded = html_escape::decode_html_entities(&candidate);
    if decoded == candidate || decoded.is_empty() || decoded.contains('\0') {
        return None;
    }
    Some((len + usize::from(semicolon), decoded.into_owned()))
}

/// Extracts the visible text of `html` and the map from its bytes to the page's.
///
/// ```
/// let html = "<html><head><title>T</title></head><body><p>Ban Bí&nbsp;thư</p><script>x</script></body></html>";
/// let (text, map) = partygraph::corpus::html_text(html);
/// assert_eq!(text.trim(), "Ban Bí\u{a0}thư");
/// let at = text.find("Ban").unwrap();
/// let (s, e) = map.map_span(at, text.len());
/// assert!(html[s..e].starts_with("Ban Bí&nbsp;thư"));
/// ```
pub fn html_text(html: &str) -> (String, SourceMap) {
    let mut out = Out {
        html,
        text: String::with_capacity(html.len() / 2),
        map: SourceMap::new(),
        hidden: None,
        tag: Vec::new(),
        tag_start: 0,
    };
    {
        let out = &mut out;
        let mut emitter =
            CallbackEmitter::new(|ev: CallbackEvent<'_>, span: Span<usize>| -> Option<()> {
                match ev {
                    CallbackEvent::OpenStartTag { name } => {
                        out.tag.clear();
                        out.tag.extend(name.iter().map(u8::to_ascii_lowercase));
                        out.tag_start = span.start;
                    }
                    CallbackEvent::CloseStartTag { .. } => {
                        let name = std::mem::take(&mut out.tag);
                        let span = Span {
                            start: out.tag_start,
                            end: span.end,
                        };
                        if out.hidden.is_none() {
                            if HIDDEN.contains(&name.as_slice()) {
                                out.hidden = Some(name);
                            } else {
                                out.tag(&name, span, true);
                            }
                        }
                    }
                    CallbackEvent::EndTag { name } => {
                        let name: Vec<u8> = name.iter().map(u8::to_ascii_lowercase).collect();
                        if out.hidden.as_deref() == Some(name.as_slice()) {
                            out.hidden = None;
                        } else if out.hidden.is_none() {
                            out.tag(&name, span, false);
                        }
                    }
                    CallbackEvent::String { .. } => out.string(span),
                    _ => {}
                }
                None
            });
        emitter.naively_switch_states(true);
        for _ in Tokenizer::new_with_emitter(html, emitter) {}
    }
    out.map.set_source_len(html.len());
    (out.text, out.map)
}

/// True when text (a file without a telling extension, or standard input) reads as an HTML
/// page: it begins, after a byte-order mark and white space, with a doctype or an `<html>`,
/// `<head>` or `<body>` tag.
///
/// ```
/// assert!(partygraph::corpus::looks_like_html(b"\xEF\xBB\xBF  <!DOCTYPE html><p>x"));
/// assert!(!partygraph::corpus::looks_like_html(b"Ban <b>Bi thu</b>"));
/// ```
pub fn looks_like_html(bytes: &[u8]) -> bool {
    let b = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace())
        .unwrap_or(b.len());
    let head: Vec<u8> = b[start..b.len().min(start + 16)]
        .iter()
        .map(u8::to_ascii_lowercase)
        .collect();
    [&b"<!doctype html"[..], b"<html", b"<head", b"<body"]
        .iter()
        .any(|p| head.starts_with(p))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_map(html: &str) -> String {
        let (text, map) = html_text(html);
        // Every char of the text maps into the page at char boundaries.
        for (i, c) in text.char_indices() {
            let (s, e) = map.map_span(i, i + c.len_utf8());
            assert!(s < e && e <= html.len(), "{c:?} at {i} -> {s}..{e}");
            assert!(html.is_char_boundary(s) && html.is_char_boundary(e));
        }
        text
    }

    #[test]
    fn visible_text_only() {
        let html = "<!DOCTYPE html><html><head><title>Tiêu đề</title><style>p{}</style></head>\
                    <body><h1>Bộ Chính trị họp</h1><!-- c --><p>Đồng chí <b>Tô</b> Lâm, Tổng Bí thư</p>\
                    <script>var a = '<p>x</p>';</script><noscript>bật JS</noscript>\
                    <table><tr><td>A</td><td>B</td></tr></table></body></html>";
        let text = check_map(html);
        assert_eq!(
            text,
            "Bộ Chính trị họp\nĐồng chí Tô Lâm, Tổng Bí thư\nA B\n"
        );
    }

    #[test]
    fn references_decode_and_map() {
        let html = "<p>Ki&#7875;m tra &amp; Ủy&nbsp;ban &lt;x&gt; &copy 2024 &bogus; a&b</p>";
        let (text, map) = html_text(html);
        assert_eq!(text, "Kiểm tra & Ủy\u{a0}ban <x> © 2024 &bogus; a&b\n");
        let at = text.find("Kiểm").unwrap();
        let (s, e) = map.map_span(at, at + "Kiểm".len());
        assert_eq!(&html[s..e], "Ki&#7875;m");
        let at = text.find("Ủy").unwrap();
        let (s, e) = map.map_span(at, at + "Ủy\u{a0}ban".len());
        assert_eq!(&html[s..e], "Ủy&nbsp;ban");
    }

    #[test]
    fn inline_tags_do_not_split_words() {
        assert_eq!(
            check_map("Ngu<b>yễn</b> <a href='x>y'>Văn</a>"),
            "Nguyễn Văn"
        );
    }

    #[test]
    fn tag_soup_does_not_panic() {
        for html in [
            "<",
            "&",
            "&#",
            "&#x",
            "&#xFFFFFFFFFF;",
            "&#0;",
            "&#xD800;",
            "<p",
            "</",
            "<!--",
            "<script>",
            "<title>a",
            "a<b<c>d",
            "<![CDATA[x]]>y",
            "<p>\r\n</p>",
            "&amp",
            "<TITLE>x</TITLE>y",
            "<br/><br/>",
            "</p></p>x",
        ] {
            check_map(html);
        }
        assert_eq!(check_map("<TITLE>x</TITLE>y"), "y");
    }

    #[test]
    fn sniffing() {
        assert!(looks_like_html(b"<HTML><body>"));
        assert!(looks_like_html(b"\n\n<!doctype HTML>"));
        assert!(!looks_like_html(b"Ngay 1/1 <p>"));
        assert!(!looks_like_html(b""));
    }
}
