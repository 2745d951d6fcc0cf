//! People the gazetteers do not list, from how party news writes them:
//! - after an honorific: "đồng chí Lê Văn A", "ông Trần B", "Thiếu tướng Phạm C";
//! - after a title and the body it names: "Bí thư Đảng ủy Tập đoàn Nguyễn Văn D";
//! - before an apposition: "Nguyễn Văn E, Phó Bí thư ...", "Trần F - Bí thư ...";
//! - in lists after "các đồng chí:": "A, Ủy viên ...; B, Phó Bí thư ...";
//! - short later forms: "đồng chí Ninh", "ông Chuẩn" → the full name introduced in the article.
//!
//! A name is 2–4 capitalized syllables beginning with a known family name (any capitalized
//! syllable after an honorific). Names inside place and school names ("Trường Chính trị Trần
//! Phú", "phố Hai Bà Trưng") are not people; names inside ideology phrases and quoted titles
//! ("tư tưởng Hồ Chí Minh") are kept as reference-only mentions.

use crate::article::{Analysis, Found};
use crate::gazetteer::{Gazetteer, TitleCategory};
use crate::lexicon::{FoldedLexicon, StartCursor};
use crate::token::{Case, TokenKind};
use crate::types::{EntityKind, Recognizer, Span};

/// A person Found for tokens `tok` with the canonical name `name`.
pub(crate) fn person_found(
    an: &Analysis<'_>,
    name: &str,
    tok: (usize, usize),
    confidence: f32,
) -> Found {
    Found::new(
        an,
        EntityKind::Person,
        name,
        tok,
        Recognizer::PersonContext,
        confidence,
    )
}

/// Words before a capitalized name that make it a place, street, school or award, not a person.
const NOT_PERSON_BEFORE: &[&str] = &[
    "trường",
    "đường",
    "phố",
    "phường",
    "xã",
    "quận",
    "huyện",
    "tỉnh",
    "thành",
    "cầu",
    "chợ",
    "viện",
    "lăng",
    "khu",
    "giải",
    "huân",
    "huy",
    "chương",
    "thôn",
    "làng",
    "bản",
    "ấp",
    "sông",
    "núi",
    "đảo",
    "đền",
    "chùa",
    "nhà",
    "thpt",
    "thcs",
    "tiểu",
    "học",
    "cụm",
    "trấn",
    "xã",
    "truong",
    "duong",
    "pho",
    "phuong",
    "xa",
    "quan",
    "huyen",
    "tinh",
    "cau",
    "cho",
    "vien",
    "lang",
    "giai",
    "thon",
    "song",
    "nui",
    "dao",
    "den",
    "chua",
    "nha",
    "hoc",
    "cum",
    "tran",
    "công",
    "ty",
    "cong",
    "đại",
    "dai",
    "bệnh",
    "benh",
    "ngân",
    "hàng",
    "báo",
    "đài",
    "bao",
    "dai",
    "tập",
    "đoàn",
    "tap",
    "doan",
    "quỹ",
    "quy",
    "trung",
    "tâm",
    "tam",
    "lớp",
    "lop",
    "tàu",
    "tau",
    "sân",
    "san",
    "khách",
    "sạn",
    "bảo",
    "tàng",
    "bao",
    "tang",
    "di",
    "tích",
];

/// Common nouns whose first syllable, capitalized, ends what looks like a name: "Đoàn Thanh
/// niên" (the Youth Union), "Đoàn Thanh tra", "Đoàn Công tác", "Đoàn Kiểm tra".
const COMPOUNDS: &[(&str, &str)] = &[
    ("thanh", "niên"),
    ("thanh", "tra"),
    ("công", "tác"),
    ("kiểm", "tra"),
    ("giám", "sát"),
    ("thanh", "nien"),
    ("cong", "tac"),
    ("kiem", "tra"),
    ("giam", "sat"),
];

/// Pattern: the capitalized run ending at `e` is a common noun's head, not a name: its last
/// syllable and the lower-case word after it are one of [`COMPOUNDS`].
fn compound_goes_on(an: &Analysis<'_>, e: usize) -> bool {
    e >= 1
        && an
            .tokens
            .get(e)
            .is_some_and(|t| t.kind == TokenKind::Word && t.case == Case::Lower && t.space_before)
        && COMPOUNDS.contains(&(an.t(e - 1), an.t(e)))
}

/// Words after which a name is only referred to ("tư tưởng Hồ Chí Minh").
const REFERENCE_BEFORE: &[&str] = &[
    "tưởng", "cách", "chúc", "dạy", "gương", "tên", "mang", "noi", "tuong", "chuc", "day", "guong",
    "ten", "sinh", "niệm", "niem", "thơ", "tho", "giỗ", "gio", "mừng", "mung",
];

/// Honorifics that take any capitalized syllables after them as a name.
fn is_honorific(an: &Analysis<'_>, lx: &FoldedLexicon, i: usize) -> Option<usize> {
    let (e, info) = lx.titles.longest_at(&an.tokens, &an.norm, i)?;
    (info.category == TitleCategory::Honorific).then_some(e)
}

/// The capitalized syllables of a name starting at `i`: at most `max`, single words only.
fn name_run(an: &Analysis<'_>, i: usize, max: usize) -> usize {
    let n = an.tokens.len();
    let mut e = i;
    while e < n
        && e - i < max
        && an.tokens[e].kind == TokenKind::Word
        && an.tokens[e].is_capitalized()
        && an.t(e).chars().all(crate::text::is_letter)
        && (e == i || an.tokens[e].space_before)
    {
        e += 1;
    }
    e
}

/// True when the capitalized word at `i` is followed by the middle name "Văn" or "Thị" and a
/// capitalized given name: a family name the list may not hold ("Lìu Văn Sếnh").
pub(crate) fn before_middle_name(an: &Analysis<'_>, i: usize) -> bool {
    let word = |k: usize| {
        an.tokens
            .get(k)
            .is_some_and(|t| t.kind == TokenKind::Word && t.is_capitalized())
    };
    word(i) && word(i + 1) && word(i + 2) && matches!(an.t(i + 1), "văn" | "thị" | "van" | "thi")
}

/// How many tokens of a family name start at `i`: 1 ("Nguyễn"), 2 ("Rơ Mah"), or 0.
pub(crate) fn surname_at(an: &Analysis<'_>, lx: &FoldedLexicon, i: usize) -> usize {
    let Some(t) = an.tokens.get(i) else { return 0 };
    if t.kind != TokenKind::Word {
        return 0;
    }
    if let Some(t2) = an.tokens.get(i + 1)
        && t2.kind == TokenKind::Word
        && t2.is_capitalized()
        && lx.is_surname_pair(&an.tokens, i)
    {
        return 2;
    }
    usize::from(lx.is_surname(&an.tokens, i))
}

/// True when the name at `i` is inside quotes that opened earlier in its sentence (a title).
fn in_quotes(an: &Analysis<'_>, quotes: &[u32], i: usize) -> bool {
    let (s, _) = an.sentence_of(i);
    (quotes[i] - quotes[s]) % 2 == 1
}

/// For every token, how many quote marks come before it: quote parity in constant time.
fn quote_counts(an: &Analysis<'_>) -> Vec<u32> {
    let mut out = Vec::with_capacity(an.tokens.len() + 1);
    let mut q = 0;
    for k in 0..an.tokens.len() {
        out.push(q);
        if an.t(k) == "\"" {
            q += 1;
        }
    }
    out.push(q);
    out
}

/// Spans of the entities that block a person name (not people, not documents), sorted, with
/// the running maximum of their ends: "does one start at or before `s` and reach past it" in
/// logarithmic time.
///
/// An entity that begins inside the name does not block it: "Lê Hòa Bình" holds the province
/// "Hòa Bình" but is a person; such entities are dropped when the person is kept.
struct Blockers {
    starts: Vec<usize>,
    max_end: Vec<usize>,
}

impl Blockers {
    fn new(an: &Analysis<'_>) -> Blockers {
        let mut spans: Vec<(usize, usize)> = an
            .found
            .iter()
            .filter(|f| f.kind != EntityKind::Person && f.kind != EntityKind::Resolution)
            .map(|f| (f.span.start, f.span.end))
            .collect();
        spans.sort_unstable();
        let mut max_end = Vec::with_capacity(spans.len());
        let mut m = 0;
        for &(_, e) in &spans {
            m = m.max(e);
            max_end.push(m);
        }
        Blockers {
            starts: spans.iter().map(|s| s.0).collect(),
            max_end,
        }
    }

    /// True when an entity starting at or before `span.start` overlaps `span`.
    fn covers(&self, span: Span) -> bool {
        let k = self.starts.partition_point(|&s| s <= span.start);
        k > 0 && self.max_end[k - 1] > span.start && !span.is_empty()
    }
}

/// Runs the people recognizer.
pub(crate) fn recognize(an: &mut Analysis<'_>, _g: &Gazetteer, lx: &FoldedLexicon) {
    let n = an.tokens.len();
    an.index_found();
    // Computed by the committee recognizer (tokens do not change in between).
    let caps = if an.caps_lines.len() == n + 1 {
        std::mem::take(&mut an.caps_lines)
    } else {
        super::committees::caps_lines(an)
    };
    let mut out: Vec<Found> = Vec::new();
    let blockers = Blockers::new(an);
    let quotes = quote_counts(an);
    // A name starts at an honorific or a capitalized word, and list mode ends at a line break
    // or a stop (`an.starts.people`): the other tokens are passed over below, so only these are
    // looked at.
    let starts = std::mem::take(&mut an.starts.people);
    let mut next = StartCursor::new(&starts);
    let mut i = 0;
    let mut list_mode = false; // after "các đồng chí" / "có các đồng chí:" until the sentence ends
    while let Some(k) = next.next_from(i, n) {
        i = k;
        let t = an.tokens[i];
        if t.kind == TokenKind::Newline || matches!(an.t(i), "." | "!" | "?") {
            list_mode = false;
            i += 1;
            continue;
        }
        // An honorific: "đồng chí", "ông", "bà", ranks, degrees.
        if let Some(he) = is_honorific(an, lx, i) {
            let plural = i > 0 && matches!(an.t(i - 1), "các" | "cac" | "những" | "nhung");
            if plural {
                list_mode = true;
            }
            let mut s = he;
            // "đồng chí:", "ông/bà" and stacked honorifics "đồng chí Thiếu tướng".
            while s < n && matches!(an.t(s), ":" | "." | "/") {
                s += 1;
            }
            let mut stacked = 0;
            while stacked < 3
                && let Some(e2) = is_honorific(an, lx, s)
            {
                s = e2;
                stacked += 1;
                while s < n && matches!(an.t(s), "." | "/" | ":") {
                    s += 1;
                }
            }
            // Lower-case honorifics ("ông") need a capitalized name right after; a title there
            // ("các đồng chí Phó Bí thư") is not a name.
            let e = if title_follows(an, lx, s) {
                s
            } else {
                name_run(an, s, 4)
            };
            // No name begins with the middle name "Thị": "Ông Thị Thu Hằng" is a family name
            // Ông, not the honorific.
            let s = if e > s
                && s > 0
                && matches!(an.t(s), "thị" | "thi")
                && an.tokens[s - 1].is_capitalized()
                && surname_at(an, lx, s - 1) == 1
            {
                s - 1
            } else {
                s
            };
            if e > s && (!caps[s] || e - s >= 2) {
                let len = e - s;
                let first_is_surname = surname_at(an, lx, s) > 0 && len > surname_at(an, lx, s);
                if len >= 2 && (first_is_surname || len >= 3) {
                    let span = an.span(s, e);
                    if !blockers.covers(span) {
                        let name = clean(an.orig(s, e));
                        let conf = if first_is_surname { 0.95 } else { 0.75 };
                        let mut f = person_found(an, &name, (s, e), conf);
                        f.recognizer = if plural || list_mode {
                            Recognizer::PersonList
                        } else {
                            Recognizer::PersonContext
                        };
                        out.push(f);
                    }
                    i = e;
                    continue;
                } else if len == 1 && !plural {
                    // "đồng chí Ninh": resolved to a full name later.
                    an.short_people.push((s, e));
                    i = e;
                    continue;
                }
            }
            i = he.max(i + 1);
            continue;
        }
        // Names that start with a family name (or an unlisted one before the middle name
        // "Văn" / "Thị"), in context.
        if t.kind == TokenKind::Word
            && t.is_capitalized()
            && !caps[i]
            && (surname_at(an, lx, i) > 0 || before_middle_name(an, i))
            && !title_follows(an, lx, i)
        {
            let e = name_run(an, i, 4);
            let len = e - i;
            if len > surname_at(an, lx, i) {
                let span = an.span(i, e);
                // Inside a place/school/committee name, or right after a word that makes it one.
                let prev = if i > 0 { an.t(i - 1) } else { "" };
                let prev_cap = i > 0
                    && an.tokens[i - 1].kind == TokenKind::Word
                    && an.tokens[i - 1].is_capitalized();
                // "Phó Giám đốc Bệnh viện Nguyễn Thị A": the office's body, then a name.
                // "Chủ tịch UBND xã Võ Văn A": the office, a unit word, then a name.
                let titled_org = (i.saturating_sub(3)..i).any(|s2| {
                    lx.org_nouns
                        .longest_at(&an.tokens, &an.norm, s2)
                        .is_some_and(|(oe, _)| oe == i)
                        && title_ends_at(an, lx, s2)
                }) || (i.saturating_sub(2)..i).any(|s2| {
                    lx.units
                        .longest_at(&an.tokens, &an.norm, s2)
                        .is_some_and(|(ue, _)| ue == i)
                        && title_ends_at(an, lx, s2)
                });
                if blockers.covers(span)
                    || NOT_PERSON_BEFORE.contains(&prev) && !list_mode && !titled_org
                    || compound_goes_on(an, e)
                {
                    i = e;
                    continue;
                }
                let next = an.t(e);
                let after_sep = i == 0
                    || matches!(
                        prev,
                        ":" | ";" | "," | "và" | "va" | "cùng" | "cung" | "(" | "-" | "–"
                    )
                    || an.tokens[i - 1].kind == TokenKind::Newline;
                let apposition =
                    matches!(next, "," | "-" | "–" | "(") && title_follows(an, lx, e + 1);
                let after_title_or_body = title_or_body_before(an, lx, i);
                let reference = REFERENCE_BEFORE.contains(&prev) || in_quotes(an, &quotes, i);
                let ok = (list_mode && after_sep)
                    || apposition
                    || after_title_or_body
                    || (len >= 3
                        && !prev_cap
                        && (after_sep || reference || an.tokens[i].case == Case::Title));
                if ok {
                    let name = clean(an.orig(i, e));
                    let conf = if list_mode || apposition || after_title_or_body {
                        0.9
                    } else {
                        0.6
                    };
                    let mut f = person_found(an, &name, (i, e), conf);
                    if list_mode {
                        f.recognizer = Recognizer::PersonList;
                    }
                    f.reference_only = reference && !after_title_or_body;
                    out.push(f);
                    i = e;
                    continue;
                }
            }
        }
        i += 1;
    }
    // Places and organizations inside a person's name ("Hòa Bình" in "Lê Hòa Bình") go.
    an.found.retain(|f| {
        !(matches!(f.kind, EntityKind::Place | EntityKind::Organization)
            && out
                .iter()
                .any(|p| p.span.start < f.span.start && f.span.end <= p.span.end))
    });
    an.found.extend(out);
    resolve_short_people(an);
}

/// True when a title (party, government or membership) starts at token `k`.
fn title_follows(an: &Analysis<'_>, lx: &FoldedLexicon, k: usize) -> bool {
    lx.titles
        .longest_at(&an.tokens, &an.norm, k)
        .is_some_and(|(_, t)| t.category != TitleCategory::Honorific)
}

/// True when a title (not an honorific) ends right before token `e`.
fn title_ends_at(an: &Analysis<'_>, lx: &FoldedLexicon, e: usize) -> bool {
    (e.saturating_sub(6)..e).any(|s| {
        lx.titles
            .longest_within(&an.tokens, &an.norm, s, e)
            .is_some_and(|(te, t)| te == e && t.category != TitleCategory::Honorific)
    })
}

/// True when the name at `i` comes right after a title, or after a title and the body it names
/// ("Bí thư Tỉnh ủy Nghệ An Nguyễn Văn A", "Giám đốc Sở Nội vụ Trần B").
fn title_or_body_before(an: &Analysis<'_>, lx: &FoldedLexicon, i: usize) -> bool {
    // A title ending right here.
    let title_ends_at = |e: usize| title_ends_at(an, lx, e);
    if title_ends_at(i) {
        return true;
    }
    // A committee or organization ending right here, with a title right before it.
    an.ending_at(i).any(|f| {
        matches!(f.kind, EntityKind::Committee | EntityKind::Organization) && title_ends_at(f.tok.0)
    })
}

fn clean(s: &str) -> String {
    crate::article::clean_spaces(s)
}

/// "đồng chí Ninh" → the full name of the article whose last syllable is "Ninh".
fn resolve_short_people(an: &mut Analysis<'_>) {
    let shorts = std::mem::take(&mut an.short_people);
    let mut add = Vec::new();
    for (s, e) in shorts {
        let given = an.t(s).to_string();
        let candidates: Vec<&Found> = an
            .found
            .iter()
            .filter(|f| f.kind == EntityKind::Person && !f.reference_only)
            .filter(|f| f.tok.1 > f.tok.0 && an.t(f.tok.1 - 1) == given)
            .collect();
        let mut names: Vec<&str> = candidates.iter().map(|f| f.name.as_str()).collect();
        names.sort();
        names.dedup();
        if names.len() == 1 {
            let mut f = person_found(an, names[0], (s, e), 0.8);
            f.recognizer = Recognizer::ShortForm;
            add.push(f);
        } else if names.len() > 1 {
            // The closest full name before it.
            if let Some(c) = candidates
                .iter()
                .filter(|f| f.tok.0 < s)
                .max_by_key(|f| f.tok.0)
            {
                let mut f = person_found(an, &c.name, (s, e), 0.7);
                f.recognizer = Recognizer::ShortForm;
                add.push(f);
            }
        }
    }
    an.found.extend(add);
}
