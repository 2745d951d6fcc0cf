//! Committees by template: `[sub-body]* body name`, where the body is a party body word
//! ("Tỉnh ủy", "Đảng ủy", "Chi bộ"...), the sub-bodies are "Ban Thường vụ", "Ủy ban Kiểm tra"...,
//! and the name is a gazetteer place or organization, a unit word and a place ("xã Đồng Thịnh"),
//! or a capitalized name ("Viện Khoa học và Công nghệ ...").
//!
//! A body with no name, or with only the first word of one ("Đảng ủy Tập đoàn", "Quận ủy",
//! "BCH Đảng bộ Viện"), is a short form: it is kept as a [`ShortCommittee`] and resolved to the
//! full body of the same article in the resolve stage.

use crate::article::{Analysis, Found, NamePart, ShortCommittee};
use crate::gazetteer::Gazetteer;
use crate::lexicon::{FoldedLexicon, StartCursor};
use crate::token::{Case, TokenKind};
use crate::types::{EntityKind, Recognizer};

/// Words that, before a body word, make it a collective ("các đảng bộ", "hai Đảng bộ").
const COLLECTIVE: &[&str] = &[
    "các", "hai", "ba", "bốn", "năm", "những", "mỗi", "từng", "nhiều", "cấp", "toàn", "hai", "cac",
    "nhung", "moi", "tung", "nhieu", "cap", "toan", "bon",
];

/// Builds a committee's canonical name from its parts, with the convention that the Ban Chấp
/// hành of a Đảng bộ is its Đảng ủy (or Tỉnh ủy, Huyện ủy... for places).
pub(crate) fn compose(body: &str, name: &str) -> String {
    let executive = body == "Ban Chấp hành Đảng bộ" || body == "Đảng ủy";
    if executive {
        let units: [(&str, &str); 5] = [
            ("tỉnh ", "Tỉnh ủy "),
            ("thành phố ", "Thành ủy "),
            ("huyện ", "Huyện ủy "),
            ("quận ", "Quận ủy "),
            ("thị xã ", "Thị ủy "),
        ];
        if body == "Ban Chấp hành Đảng bộ" {
            for (u, b) in units {
                if let Some(rest) = name.strip_prefix(u)
                    && rest.chars().next().is_some_and(char::is_uppercase)
                {
                    return format!("{b}{rest}");
                }
            }
        }
        return format!("Đảng ủy {name}");
    }
    // "Huyện ủy huyện Đô Lương" is "Huyện ủy Đô Lương".
    let own_unit = match body {
        "Tỉnh ủy" => Some("tỉnh "),
        "Thành ủy" => Some("thành phố "),
        "Huyện ủy" => Some("huyện "),
        "Quận ủy" => Some("quận "),
        "Thị ủy" => Some("thị xã "),
        _ => None,
    };
    if let Some(rest) = own_unit.and_then(|u| name.strip_prefix(u))
        && rest.chars().next().is_some_and(char::is_uppercase)
    {
        return format!("{body} {rest}");
    }
    match body {
        "Đảng ủy Khối" => format!("Đảng ủy Khối {name}"),
        "Đảng bộ Khối" => format!("Đảng bộ Khối {name}"),
        _ => format!("{body} {name}"),
    }
}

/// The body's name with sub-bodies in front: "Ban Thường vụ" + "Quận ủy X".
pub(crate) fn with_prefixes(prefixes: &[&str], body_name: &str) -> String {
    let mut s = body_name.to_string();
    for p in prefixes.iter().rev() {
        // "Ban Chấp hành" of an executive committee is the committee itself.
        if *p == "Ban Chấp hành" && !s.starts_with("Đảng bộ") {
            continue;
        }
        if *p == "Ban Chấp hành"
            && let Some(rest) = s.strip_prefix("Đảng bộ ")
        {
            s = compose("Ban Chấp hành Đảng bộ", rest);
            continue;
        }
        s = format!("{p} {s}");
    }
    s
}

fn level_of(body: &str) -> Option<&'static str> {
    Some(match body {
        "Tỉnh ủy" | "Thành ủy" => "provincial",
        "Quận ủy" | "Huyện ủy" | "Thị ủy" => "district",
        "Chi bộ" | "Chi ủy" => "grassroots",
        _ => return None,
    })
}

/// Splits a committee's canonical name into its body word and name part, sub-bodies dropped:
/// "Ban Thường vụ Tỉnh ủy Nghệ An" → ("Tỉnh ủy", "Nghệ An").
pub(crate) fn split_body(name: &str) -> Option<(&'static str, String)> {
    let mut rest = name;
    loop {
        let before = rest;
        for (p, _) in crate::lexicon::PREFIXES {
            if let Some(r) = rest.strip_prefix(p).and_then(|r| r.strip_prefix(' ')) {
                rest = r;
            }
        }
        if before == rest {
            break;
        }
    }
    let mut bodies: Vec<&'static str> = crate::lexicon::BODIES.to_vec();
    bodies.sort_by_key(|b| std::cmp::Reverse(b.len()));
    for b in bodies {
        if let Some(r) = rest.strip_prefix(b).and_then(|r| r.strip_prefix(' '))
            && !r.is_empty()
        {
            return Some((b, r.to_string()));
        }
    }
    None
}

/// Runs the committee recognizer.
pub(crate) fn recognize(an: &mut Analysis<'_>, g: &Gazetteer, lx: &FoldedLexicon) {
    let n = an.tokens.len();
    an.index_found();
    // Committees the gazetteer found are full names that short forms resolve to.
    for f in an.found.iter().filter(|f| f.kind == EntityKind::Committee) {
        if let Some((body, name)) = split_body(&f.name) {
            let folded = crate::lexicon::fold_memo(&name, an.norm.fold());
            an.name_parts.push(NamePart {
                body,
                name,
                folded,
                at: f.tok.0,
            });
        }
    }
    let caps_line = caps_lines(an);
    // Gazetteer finds by first token: committees (bodies) and places/organizations (names).
    let mut gaz_at: Vec<Option<usize>> = vec![None; n + 1];
    for (k, f) in an.found.iter().enumerate() {
        if f.tok.0 < n && gaz_at[f.tok.0].is_none() {
            gaz_at[f.tok.0] = Some(k);
        }
    }
    // A committee starts at a body's or sub-body's first word, or at a committee the gazetteer
    // found; every other token is passed over below, so only these are looked at.
    let mut starts = std::mem::take(&mut an.starts.committees);
    let listed = starts.len();
    for (k, f) in an.found.iter().enumerate() {
        if f.kind == EntityKind::Committee && gaz_at.get(f.tok.0) == Some(&Some(k)) {
            starts.push(f.tok.0 as u32);
        }
    }
    if starts.len() > listed {
        starts.sort_unstable();
        starts.dedup();
    }
    let mut next = StartCursor::new(&starts);
    let mut i = 0;
    let mut out: Vec<Found> = Vec::new();
    while let Some(k) = next.next_from(i, n) {
        i = k;
        let t = an.tokens[i];
        let lower_body =
            t.kind == TokenKind::Word && !t.is_capitalized() && lowercase_place_body(an, lx, i);
        if t.kind != TokenKind::Word || !t.is_capitalized() && !lower_body {
            i += 1;
            continue;
        }
        // Collective plurals are not bodies.
        if i > 0
            && (COLLECTIVE.contains(&an.t(i - 1)) || an.tokens[i - 1].kind == TokenKind::Number)
        {
            i += 1;
            continue;
        }
        // [sub-body]*
        let mut prefixes: Vec<&'static str> = Vec::new();
        let mut j = i;
        while let Some((e, p)) = lx.prefixes.longest_at(&an.tokens, &an.norm, j) {
            if !an.tokens[j].is_capitalized() {
                break;
            }
            // A gazetteer committee starting here ("Ban Chấp hành Trung ương") wins.
            if gaz_at[j]
                .is_some_and(|k| an.found[k].kind == EntityKind::Committee && an.found[k].tok.1 > e)
            {
                break;
            }
            prefixes.push(p);
            j = e;
        }
        // A gazetteer committee after the sub-bodies.
        if let Some(k) = gaz_at.get(j).copied().flatten() {
            let gf = &an.found[k];
            if gf.kind == EntityKind::Committee {
                if !prefixes.is_empty() {
                    let name = with_prefixes(&prefixes, &gf.name);
                    let parent = gf.name.clone();
                    out.push(committee(an, g, &name, Some(parent), (i, gf.tok.1), 0.9));
                }
                i = gf.tok.1.max(i + 1);
                continue;
            }
        }
        // body
        let Some((be, body)) = lx.bodies.longest_at(&an.tokens, &an.norm, j) else {
            let bare_ok = prefixes.len() == 1
                && matches!(
                    prefixes[0],
                    "Ban Chấp hành" | "Ban Thường vụ" | "Ủy ban Kiểm tra"
                )
                && (j >= n || !an.tokens[j].is_capitalized());
            if bare_ok {
                // A bare sub-body: "Ban Chấp hành", "Ban Thường vụ" (resolved later).
                an.short_committees.push(ShortCommittee {
                    prefixes,
                    body: None,
                    partial: None,
                    tok: (i, j),
                    body_at: j,
                });
                i = j;
                continue;
            }
            i = j.max(i + 1);
            continue;
        };
        // A place body in lower case after a sub-body: "BTV huyện ủy", "Ban Thường vụ tỉnh ủy".
        let lower_after_prefix =
            !prefixes.is_empty() && crate::lexicon::unit_of_body(body).is_some();
        if !(an.tokens[j].is_capitalized() || lower_body && j == i || lower_after_prefix) {
            i += 1;
            continue;
        }
        // "Đảng ủy viên", "Chi ủy viên" are titles.
        if an.t(be) == "viên" {
            i = be + 1;
            continue;
        }
        let after_title = i > 0 && title_before(an, lx, i);
        let named = if role_words_at(an, lx, be) {
            None
        } else {
            name_part(an, lx, be, after_title, caps_line[j], &gaz_at)
        };
        let named = match named {
            Some(NameResult::Full(end, name)) if lower_body => {
                let (end, name) = careless_name_tail(an, be, end, name);
                Some(NameResult::Full(end, name))
            }
            other => other,
        };
        match named {
            Some(NameResult::Full(end, name)) => {
                let body_name = compose(body, &name);
                an.name_parts.push(NamePart {
                    body,
                    name: name.clone(),
                    folded: crate::lexicon::fold_memo(&name, an.norm.fold()),
                    at: i,
                });
                let full = with_prefixes(&prefixes, &body_name);
                if full != body_name {
                    out.push(committee(an, g, &body_name, None, (j, end), 0.85));
                    out.push(committee(an, g, &full, Some(body_name), (i, end), 0.85));
                } else {
                    let mut f = committee(an, g, &full, None, (i, end), 0.85);
                    if f.attrs.level.is_none() {
                        f.attrs.level = level_of(body).map(String::from);
                    }
                    out.push(f);
                }
                register_acronym(an, end, &name);
                i = end;
            }
            Some(NameResult::Partial(end, partial)) => {
                an.short_committees.push(ShortCommittee {
                    prefixes,
                    body: Some(body),
                    partial: Some(partial),
                    tok: (i, end),
                    body_at: j,
                });
                i = end;
            }
            None => {
                an.short_committees.push(ShortCommittee {
                    prefixes,
                    body: Some(body),
                    partial: None,
                    tok: (i, be),
                    body_at: j,
                });
                i = be;
            }
        }
    }
    an.found.extend(out);
    // The people recognizer needs the same flags.
    an.caps_lines = caps_line;
}

/// A committee Found; when the gazetteer knows the name, its canonical entry is used.
fn committee(
    an: &Analysis<'_>,
    g: &Gazetteer,
    name: &str,
    parent: Option<String>,
    tok: (usize, usize),
    confidence: f32,
) -> Found {
    if let Some(e) = g.find_index(EntityKind::Committee, name) {
        let mut f = crate::article::found_from_entry(g, e, an.span(tok.0, tok.1), tok);
        f.recognizer = Recognizer::CommitteeTemplate;
        if f.attrs.parent.is_none() {
            f.attrs.parent = parent;
        }
        return f;
    }
    let mut f = Found::new(
        an,
        EntityKind::Committee,
        name,
        tok,
        Recognizer::CommitteeTemplate,
        confidence,
    );
    f.attrs.parent = parent;
    f
}

/// A place body written in lower case, as careless pages write it, where it can only be a
/// body: right after an office ("Bí thư huyện ủy", "Phó Bí thư tỉnh ủy") or before the place's
/// capitalized name ("huyện ủy Đô Lương"). Not in a plural ("các huyện ủy") or a list of kinds
/// ("tỉnh ủy, thành ủy").
fn lowercase_place_body(an: &Analysis<'_>, lx: &FoldedLexicon, i: usize) -> bool {
    let Some((be, body)) = lx.bodies.longest_at(&an.tokens, &an.norm, i) else {
        return false;
    };
    if crate::lexicon::unit_of_body(body).is_none() {
        return false;
    }
    if i > 0 && COLLECTIVE.contains(&an.t(i - 1)) {
        return false;
    }
    let named = an
        .tokens
        .get(be)
        .is_some_and(|t| t.kind == TokenKind::Word && t.is_capitalized());
    named || i > 0 && title_before(an, lx, i)
}

/// A place name after a body written in lower case may go on in lower case too ("huyện ủy Đô
/// lương", "quận ủy quận Kiến an"): a lower-case syllable right after the name belongs to it
/// when the article writes the name with that syllable capitalized elsewhere ("Đô Lương"); the
/// name then takes that capitalized form. Names in `[start, end)`, at most two such syllables.
fn careless_name_tail(
    an: &Analysis<'_>,
    start: usize,
    mut end: usize,
    mut name: String,
) -> (usize, String) {
    let n = an.tokens.len();
    // The capitalized syllables of the name: "Đô" of "Đô", "Kiến" of "quận Kiến".
    let Some(from) = (start..end).find(|&k| an.tokens[k].is_capitalized()) else {
        return (end, name);
    };
    for _ in 0..2 {
        if end >= n
            || an.tokens[end].kind != TokenKind::Word
            || an.tokens[end].is_capitalized()
            || !an.tokens[end].space_before
        {
            break;
        }
        let len = end + 1 - from;
        let same = |p: usize| {
            p + len <= n
                && p != from
                && (0..len).all(|d| {
                    an.t(p + d) == an.t(from + d)
                        && an.tokens[p + d].kind == TokenKind::Word
                        && an.tokens[p + d].is_capitalized()
                })
        };
        let Some(p) = (0..n.saturating_sub(len - 1)).find(|&p| same(p)) else {
            break;
        };
        let written = an.orig(from, end);
        if let Some(head) = name.strip_suffix(written) {
            name = format!("{head}{}", an.orig(p, p + len));
        }
        end += 1;
    }
    (end, name)
}

/// True when a title ("Bí thư", "Chủ nhiệm Ủy ban Kiểm tra") ends right before token `i`.
fn title_before(an: &Analysis<'_>, lx: &FoldedLexicon, i: usize) -> bool {
    (i.saturating_sub(5)..i).any(|s| {
        lx.titles
            .longest_within(&an.tokens, &an.norm, s, i)
            .is_some_and(|(e, _)| e == i)
    })
}

enum NameResult {
    /// (end token, name as written, whitespace collapsed)
    Full(usize, String),
    /// (end token, the partial name)
    Partial(usize, String),
}

/// Which lines are written in capitals (a headline): no capitalized-run names there.
pub(crate) fn caps_lines(an: &Analysis<'_>) -> Vec<bool> {
    let n = an.tokens.len();
    let mut out = vec![false; n + 1];
    let mut start = 0;
    let (mut words, mut upper) = (0usize, 0usize);
    for i in 0..=n {
        match an.tokens.get(i) {
            Some(t) if t.kind != TokenKind::Newline => {
                if t.kind == TokenKind::Word && t.fe - t.fs > 1 {
                    words += 1;
                    upper += usize::from(t.case == Case::Upper);
                }
            }
            _ => {
                if words >= 4 && upper * 10 >= words * 8 {
                    for o in out.iter_mut().take(i).skip(start) {
                        *o = true;
                    }
                }
                start = i + 1;
                (words, upper) = (0, 0);
            }
        }
    }
    out
}

fn clean(s: &str) -> String {
    crate::article::clean_spaces(s)
}

/// Words allowed in lower case inside an organization name when a capitalized word follows.
const LOWER_JOINERS: &[&str] = &["và", "miền", "va", "mien"];

/// Units below an organization or a commune, written in lower case before their name ("Chi bộ
/// phòng Kỹ thuật", "Chi bộ thôn Đông"), in both folds.
const SUB_UNITS: &[&str] = &[
    "phòng",
    "khoa",
    "tổ",
    "trường",
    "đội",
    "trạm",
    "xưởng",
    "ấp",
    "thôn",
    "bản",
    "xóm",
    "làng",
    "phong",
    "to",
    "truong",
    "doi",
    "tram",
    "xuong",
    "ap",
    "thon",
    "ban",
    "xom",
    "lang",
];

/// Lower-case words of "Khối ..." names.
const KHOI_WORDS: &[&str] = &[
    "các", "cơ", "quan", "và", "doanh", "nghiệp", "dân", "chính", "đảng", "tỉnh", "thành", "phố",
    "trung", "ương", "cac", "co", "va", "nghiep", "dan", "chinh", "dang", "tinh", "pho", "uong",
];

fn name_part(
    an: &Analysis<'_>,
    lx: &FoldedLexicon,
    j: usize,
    after_title: bool,
    caps_line: bool,
    gaz_at: &[Option<usize>],
) -> Option<NameResult> {
    let n = an.tokens.len();
    if j >= n || an.tokens[j].kind == TokenKind::Newline {
        return None;
    }
    // 1. A gazetteer place or organization.
    if let Some(k) = gaz_at.get(j).copied().flatten() {
        let f = &an.found[k];
        if matches!(f.kind, EntityKind::Place | EntityKind::Organization) {
            let mut end = f.tok.1;
            let mut name = f.name.clone();
            // An organization's name may go on ("Tổng công ty Điện lực miền Bắc" from "Tổng công ty").
            if f.kind == EntityKind::Organization
                && let Some((e, more)) = capitalized_run(an, lx, end, after_title, caps_line)
                && e > end
                && !an.tokens[end].space_before
            {
                end = e;
                name = format!("{name} {more}");
            }
            return Some(NameResult::Full(end, name));
        }
    }
    // 2. A unit word and a place: "xã Đồng Thịnh", "tỉnh Nghệ An", or the unit alone.
    if let Some((ue, unit)) = lx.units.longest_at(&an.tokens, &an.norm, j)
        && (an.tokens[j].case == Case::Lower || an.tokens[j].case == Case::Title)
    {
        if let Some(k) = gaz_at.get(ue).copied().flatten() {
            let f = &an.found[k];
            if f.kind == EntityKind::Place {
                return Some(NameResult::Full(f.tok.1, format!("{unit} {}", f.name)));
            }
        }
        if !caps_line && let Some((e, place)) = capitalized_run(an, lx, ue, after_title, caps_line)
        {
            return Some(NameResult::Full(e, format!("{unit} {place}")));
        }
        return Some(NameResult::Partial(ue, unit.to_string()));
    }
    if caps_line {
        return None;
    }
    // 2b. A unit of an organization or a village, written in lower case, and its name: "Chi bộ
    // phòng Kỹ thuật Công nghệ Mỏ", "Chi bộ khoa Nội", "Chi bộ thôn Đông Hòa".
    if an.tokens[j].case == Case::Lower
        && SUB_UNITS.contains(&an.t(j))
        && let Some((mut e, _)) = capitalized_run(an, lx, j + 1, after_title, caps_line)
    {
        // Written in sentence case: "Kỹ thuật Công nghệ Mỏ", "Hành chính quản trị".
        loop {
            let mut k = e;
            while k < e + 2 && lower_syllable(an, lx, k) {
                k += 1;
            }
            match capitalized_run(an, lx, k, after_title, caps_line) {
                Some((ce, _)) if k > e => e = ce,
                _ => {
                    if k > e && an.tokens[e - 1].case == Case::Title {
                        e += 1;
                    }
                    break;
                }
            }
        }
        return Some(NameResult::Full(e, clean(an.orig(j, e))));
    }
    // 3. "Khối các cơ quan và doanh nghiệp tỉnh", also written "khối Doanh nghiệp".
    let khoi_next = an
        .tokens
        .get(j + 1)
        .is_some_and(|t| t.is_capitalized() || KHOI_WORDS.contains(&an.t(j + 1)));
    if matches!(an.t(j), "khối" | "khoi") && (an.tokens[j].is_capitalized() || khoi_next) {
        let mut e = j + 1;
        while e < n
            && an.tokens[e].kind == TokenKind::Word
            && (KHOI_WORDS.contains(&an.t(e)) || an.tokens[e].is_capitalized())
            && lx.bodies.longest_at(&an.tokens, &an.norm, e).is_none()
            && !(an.tokens[e].is_capitalized()
                && lx.titles.longest_at(&an.tokens, &an.norm, e).is_some())
        {
            e += 1;
        }
        // Do not end on a connector.
        while e > j + 1 && matches!(an.t(e - 1), "và" | "các" | "va" | "cac") {
            e -= 1;
        }
        if e == j + 1 {
            return Some(NameResult::Partial(e, an.orig(j, e).to_string()));
        }
        let name = clean(an.orig(j, e));
        let name = match name.strip_prefix("khối") {
            Some(rest) => format!("Khối{rest}"),
            None => name,
        };
        return Some(NameResult::Full(e, name));
    }
    // 4. A capitalized run.
    let (e, name) = capitalized_run(an, lx, j, after_title, caps_line)?;
    // A lone organization noun ("Tập đoàn", "Viện") is a short form.
    if lx
        .org_nouns
        .longest_at(&an.tokens, &an.norm, j)
        .is_some_and(|(oe, _)| oe == e)
    {
        return Some(NameResult::Partial(e, name));
    }
    // A lone acronym defined earlier in parentheses.
    if e == j + 1
        && an.tokens[j].case == Case::Upper
        && let Some(full) = an.acronyms.get(an.t(j))
    {
        return Some(NameResult::Full(e, full.clone()));
    }
    Some(NameResult::Full(e, name))
}

/// A run of capitalized words (with "-" and "và"/"miền" joiners, numbers, unit words before a
/// place) starting at `j`; stops at body words, titles, and a person's name after a title.
fn capitalized_run(
    an: &Analysis<'_>,
    lx: &FoldedLexicon,
    j: usize,
    after_title: bool,
    caps_line: bool,
) -> Option<(usize, String)> {
    let n = an.tokens.len();
    let cap = |k: usize| k < n && an.tokens[k].is_capitalized();
    if !(cap(j) || j < n && an.tokens[j].kind == TokenKind::Number) {
        return None;
    }
    if caps_line {
        return None;
    }
    let stop = |k: usize| {
        lx.bodies.longest_at(&an.tokens, &an.norm, k).is_some()
            || lx.doctypes.longest_at(&an.tokens, &an.norm, k).is_some()
            || lx
                .triggers
                .longest_at(&an.tokens, &an.norm, k)
                .is_some_and(|(e, r)| {
                    e > k + 1 && r.contains(&crate::gazetteer::TriggerRole::Meeting)
                })
            || lx
                .titles
                .longest_at(&an.tokens, &an.norm, k)
                .is_some_and(|(e, t)| {
                    t.category != crate::gazetteer::TitleCategory::Honorific
                        && (e > k + 1 || cap(k))
                })
    };
    // An organization noun of several syllables ("Tổng công ty", "Bệnh viện") is one word.
    let noun = lx
        .org_nouns
        .longest_at(&an.tokens, &an.norm, j)
        .filter(|_| cap(j));
    let mut e = noun.map(|(oe, _)| oe).unwrap_or(j);
    // Departments are written in sentence case: "Sở Giao thông vận tải", "Ban Quản lý dự án".
    let sentence_case = noun
        .is_some_and(|(_, o)| matches!(*o, "Sở" | "Bộ" | "Cục" | "Tổng cục" | "Ban" | "Chi cục"));
    // Place names are capitalized syllable by syllable ("Krông Pắc"); only organization names
    // carry lower-case syllables ("Viện Khoa học", "Tổng công ty Điện lực miền Bắc").
    let max_lower = if sentence_case {
        3
    } else if noun.is_some() {
        1
    } else {
        0
    };
    loop {
        if e >= n {
            break;
        }
        let t = an.tokens[e];
        if e > j && t.kind == TokenKind::Newline {
            break;
        }
        if cap(e) && (e == j || !stop(e)) {
            e += 1;
            // One lower-case syllable of the same word: "Khoa học", "Công nghiệp" — not after an
            // acronym or a known place ("Hà Nội học tập").
            let after_place = an.ending_at(e).any(|f| f.kind == EntityKind::Place);
            // After an organization noun and its legal form, the trade in lower case and the
            // name: "Công ty CP than Núi Béo", "Công ty TNHH MTV xi măng Hạ Long".
            if noun.is_some() && an.tokens[e - 1].case == Case::Upper {
                let mut k = e;
                while k < e + 2 && lower_syllable(an, lx, k) {
                    k += 1;
                }
                if k > e && cap(k) && !stop(k) {
                    e = k;
                    continue;
                }
            }
            if an.tokens[e - 1].case == Case::Title && !after_place {
                let mut taken = 0;
                while taken < max_lower && lower_syllable(an, lx, e) {
                    e += 1;
                    taken += 1;
                }
            }
            continue;
        }
        // "Chi bộ 5", "Công ty 35" — but not a date ("Tập đoàn 25/5").
        if t.kind == TokenKind::Number
            && e > j
            && an.tokens[e].space_before
            && !matches!(an.t(e + 1), "/" | "-" | "." | ",")
        {
            e += 1;
            continue;
        }
        if e > j && t.kind == TokenKind::Punct && an.t(e) == "-" && cap(e + 1) && !stop(e + 1) {
            e += 1;
            continue;
        }
        if e > j
            && t.kind == TokenKind::Word
            && LOWER_JOINERS.contains(&an.t(e))
            && cap(e + 1)
            && !stop(e + 1)
        {
            e += 1;
            continue;
        }
        if e > j && lx.units.longest_at(&an.tokens, &an.norm, e).is_some() && t.case == Case::Lower
        {
            let (ue, _) = lx.units.longest_at(&an.tokens, &an.norm, e)?;
            if cap(ue) && !stop(ue) {
                e = ue;
                continue;
            }
            // "Đảng ủy Công an tỉnh": a unit word closing the name.
            if ue >= n || !an.tokens[ue].is_capitalized() && an.tokens[ue].kind != TokenKind::Number
            {
                let next_is_word = ue < n && an.tokens[ue].kind == TokenKind::Word;
                if !next_is_word || an.tokens[ue].case == Case::Lower {
                    e = ue;
                }
            }
            break;
        }
        break;
    }
    if e == j {
        return None;
    }
    // A person's name after a title: "Bí thư Đảng ủy xã Phú Lộc Nguyễn Văn An", "Bí thư
    // Huyện ủy Lê Quang Trung nhấn mạnh" (then the body has no name here).
    if after_title && let Some(k) = person_tail(an, lx, j, e) {
        e = k;
    }
    if e == j {
        return None;
    }
    Some((e, clean(an.orig(j, e))))
}

/// True when token `k` is a lower-case syllable that can continue a capitalized word of a name.
pub(crate) fn lower_syllable(an: &Analysis<'_>, lx: &FoldedLexicon, k: usize) -> bool {
    an.tokens.get(k).is_some_and(|t| {
        t.kind == TokenKind::Word
            && t.case == Case::Lower
            && t.space_before
            && !lx.is_name_stop(&an.tokens, k)
            && !LOWER_JOINERS.contains(&an.t(k))
            && lx.units.longest_at(&an.tokens, &an.norm, k).is_none()
    })
}

/// Where a trailing person name (surname + 1–3 capitalized syllables ending the run) starts.
pub(crate) fn person_tail(
    an: &Analysis<'_>,
    lx: &FoldedLexicon,
    j: usize,
    e: usize,
) -> Option<usize> {
    (j..e).find(|&k| {
        // 2–4 capitalized syllables from a family name, ending the run or followed by a
        // lower-case word ("Lê Quang Trung nhấn mạnh").
        let caps = (k..e)
            .take_while(|&x| an.tokens[x].kind == TokenKind::Word && an.tokens[x].is_capitalized())
            .count();
        (2..=4).contains(&caps)
            && (lx.is_surname(&an.tokens, k) || crate::recognize::people::before_middle_name(an, k))
            && (k + caps == e || an.tokens[k + caps].case == Case::Lower)
            // "Công ty CP than Hà Lầm": not right after a lower-case word of the name.
            && !(k > j && an.tokens[k - 1].case == Case::Lower)
            // "Than Quảng Ninh": a known place is not a person.
            && !an
                .starting_at(k)
                .any(|f| matches!(f.kind, EntityKind::Place | EntityKind::Organization))
    })
}

/// True when the words at `k` are a role phrase of two words or more ("Phát biểu", "Chủ trì",
/// "Tham dự"), capitalized as a caption or a careless line writes them: the sentence goes on,
/// no name of the body follows ("Bí thư huyện ủy Phát biểu tại buổi làm việc").
fn role_words_at(an: &Analysis<'_>, lx: &FoldedLexicon, k: usize) -> bool {
    use crate::gazetteer::TriggerRole::{Attend, Chair, Organize, Speak};
    lx.triggers
        .longest_at(&an.tokens, &an.norm, k)
        .is_some_and(|(e, roles)| {
            e >= k + 2
                && roles
                    .iter()
                    .any(|r| matches!(r, Chair | Attend | Speak | Organize))
        })
}

/// "Name (ABC)": remembers ABC as an abbreviation of the name for this article.
fn register_acronym(an: &mut Analysis<'_>, end: usize, name: &str) {
    let n = an.tokens.len();
    if end + 2 < n
        && an.t(end) == "("
        && an.tokens[end + 1].case == Case::Upper
        && an.t(end + 2) == ")"
    {
        let acr = an.t(end + 1).to_string();
        an.acronyms.entry(acr).or_insert_with(|| name.to_string());
    }
}
