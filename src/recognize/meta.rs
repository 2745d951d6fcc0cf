//! The article's dateline, headline and byline, and the date parser every stage uses.

use crate::article::Analysis;
use crate::lexicon::FoldedLexicon;
use crate::token::TokenKind;
use crate::types::EntityKind;

/// A date as written: the year may be missing ("Sáng 8/12"), the day too ("tháng 5/2017").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DateMatch {
    pub year: Option<u32>,
    pub month: u32,
    pub day: Option<u32>,
    /// Token after the date.
    pub end: usize,
}

impl DateMatch {
    /// ISO form with the year from `fallback` when the text gave none; `None` without any year.
    pub fn iso(&self, fallback: Option<u32>) -> Option<String> {
        let y = self.year.or(fallback)?;
        Some(match self.day {
            Some(d) => format!("{y:04}-{:02}-{d:02}", self.month),
            None => format!("{y:04}-{:02}", self.month),
        })
    }
}

fn num(an: &Analysis<'_>, i: usize) -> Option<u32> {
    let t = an.tokens.get(i)?;
    if t.kind != TokenKind::Number || t.fe - t.fs > 4 {
        return None;
    }
    an.t(i).parse().ok()
}

fn year_ok(y: u32) -> bool {
    (1930..=2100).contains(&y)
}

/// Parses a date starting at token `i`: `d/m/yyyy`, `d-m-yyyy`, `d.m.yyyy`, `d/m`,
/// `d tháng m năm yyyy`, `tháng m/yyyy` (the caller skips "ngày").
pub(crate) fn parse_date(an: &Analysis<'_>, i: usize) -> Option<DateMatch> {
    let ascii = an.norm.fold() == crate::text::Fold::Ascii;
    let (thang, nam) = if ascii {
        ("thang", "nam")
    } else {
        ("tháng", "năm")
    };
    // "tháng 5/2017", "tháng 5 năm 2017"
    if an.t(i) == thang {
        let m = num(an, i + 1)?;
        if !(1..=12).contains(&m) {
            return None;
        }
        if matches!(an.t(i + 2), "/" | "-") || an.t(i + 2) == nam {
            let y = num(an, i + 3).filter(|&y| year_ok(y))?;
            return Some(DateMatch {
                year: Some(y),
                month: m,
                day: None,
                end: i + 4,
            });
        }
        return None;
    }
    let d = num(an, i)?;
    if !(1..=31).contains(&d) {
        return None;
    }
    // "15 tháng 5 năm 2016"
    if an.t(i + 1) == thang {
        let m = num(an, i + 2).filter(|m| (1..=12).contains(m))?;
        if an.t(i + 3) == nam
            && let Some(y) = num(an, i + 4).filter(|&y| year_ok(y))
        {
            return Some(DateMatch {
                year: Some(y),
                month: m,
                day: Some(d),
                end: i + 5,
            });
        }
        return Some(DateMatch {
            year: None,
            month: m,
            day: Some(d),
            end: i + 3,
        });
    }
    let sep = an.t(i + 1);
    if !matches!(sep, "/" | "-" | ".") {
        return None;
    }
    // No spaces inside a numeric date.
    if an.tokens.get(i + 1).is_none_or(|t| t.space_before)
        || an.tokens.get(i + 2).is_none_or(|t| t.space_before)
    {
        return None;
    }
    let m = num(an, i + 2).filter(|m| (1..=12).contains(m))?;
    if an.t(i + 3) == sep && an.tokens.get(i + 3).is_some_and(|t| !t.space_before) {
        let y = num(an, i + 4).filter(|&y| year_ok(y))?;
        return Some(DateMatch {
            year: Some(y),
            month: m,
            day: Some(d),
            end: i + 5,
        });
    }
    // "25/5 (2007-2017)" is fine; "30-NQ/ĐU" is a code, not a date.
    if sep == "-" && an.t(i + 3) == "/" {
        return None;
    }
    if sep == "." {
        return None;
    }
    Some(DateMatch {
        year: None,
        month: m,
        day: Some(d),
        end: i + 3,
    })
}

/// Finds the article's date (the one closest above the body) and headline.
pub(crate) fn dateline(an: &mut Analysis<'_>) {
    // The header: lines before the first long line (the body).
    let mut header_end = an.tokens.len();
    let mut line_start = 0;
    let mut title: Option<(usize, usize)> = None;
    for i in 0..=an.tokens.len() {
        if i == an.tokens.len() || an.tokens[i].kind == TokenKind::Newline {
            if i > line_start {
                let bytes = an.span(line_start, i).len();
                if title.is_none() && bytes < 400 {
                    title = Some((line_start, i));
                }
                if bytes > 250 {
                    header_end = line_start;
                    break;
                }
            }
            line_start = i + 1;
        }
    }
    let mut best = None;
    for i in 0..header_end.min(an.tokens.len()) {
        if let Some(d) = parse_date(an, i)
            && d.year.is_some()
            && d.day.is_some()
        {
            best = Some(d);
        }
    }
    if best.is_none() {
        // No date in the header: the latest full date of the body (the documents an article
        // cites are older than the events it reports).
        best = (0..an.tokens.len())
            .filter_map(|i| parse_date(an, i))
            .filter(|d| d.year.is_some() && d.day.is_some())
            .max_by_key(|d| (d.year, d.month, d.day));
    }
    an.info.date = best.and_then(|d| d.iso(None));
    if let Some((a, b)) = title {
        let t = an
            .orig(a, b)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        if !t.is_empty() {
            an.info.title = Some(t);
        }
    }
}

/// The year of the article, for dates written without one.
pub(crate) fn article_year(an: &Analysis<'_>) -> Option<u32> {
    an.info
        .date
        .as_deref()
        .and_then(|d| d.get(..4))
        .and_then(|y| y.parse().ok())
}

/// Lines at the end of the article that are only a name (optionally with an affiliation in
/// parentheses, or after "Bài, ảnh:") are its byline. Initials are not names.
pub(crate) fn byline(an: &mut Analysis<'_>, lx: &FoldedLexicon) {
    let n = an.tokens.len();
    // Lines, last first.
    let mut lines: Vec<(usize, usize)> = Vec::new();
    let mut end = n;
    for i in (0..=n).rev() {
        if i == 0 || an.tokens[i - 1].kind == TokenKind::Newline {
            if end > i {
                lines.push((i, end));
            }
            if i > 0 {
                end = i - 1;
            }
        }
    }
    for (k, &(a, b)) in lines.iter().enumerate() {
        if k >= 8 || an.span(a, b).len() > 160 {
            break;
        }
        let mut s = a;
        // "Bài và ảnh:", "Tin, ảnh:", "Theo"...
        if let Some(colon) = (a..b.min(a + 5)).find(|&x| an.t(x) == ":") {
            let lead = (a..colon).all(|x| {
                matches!(
                    an.t(x),
                    "bài"
                        | "tin"
                        | "ảnh"
                        | "và"
                        | ","
                        | "bai"
                        | "anh"
                        | "va"
                        | "nhóm"
                        | "pv"
                        | "phóng"
                        | "viên"
                )
            });
            if lead {
                s = colon + 1;
            }
        }
        let mut e = s;
        while e < b
            && an.tokens[e].kind == TokenKind::Word
            && an.tokens[e].is_capitalized()
            && an.t(e).chars().count() > 1
        {
            e += 1;
        }
        let len = e - s;
        let rest_ok =
            e == b || (an.t(e) == "(" && an.t(b - 1) == ")") || (an.t(e) == "-" || an.t(e) == "–");
        if (2..=4).contains(&len) && rest_ok && crate::recognize::people::surname_at(an, lx, s) > 0
        {
            // Not a place or body the gazetteer knows.
            let span = an.span(s, e);
            let known = an
                .found
                .iter()
                .any(|f| f.span.overlaps(&span) && f.kind != EntityKind::Person);
            if known {
                continue;
            }
            let name = an
                .orig(s, e)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let mut f = crate::recognize::people::person_found(an, &name, (s, e), 0.8);
            f.recognizer = crate::types::Recognizer::Byline;
            an.found.push(f);
            if !an.info.authors.contains(&name) {
                an.info.authors.push(name);
            }
        }
    }
}
