//! Resolutions and other directive documents, as written in the wild:
//! - codes: "Nghị quyết số 30-NQ/ĐU ngày 11-1-2018 của Đảng ủy TKV", "Chỉ thị 05-CT/TW",
//!   "33-NQLT/ĐUTKV-ĐUTQN", "15 - NQ/TU", "Quyết định 749/QĐ-TTg", "Nghị quyết 172/2024/QH15";
//! - numbers without a code: "Kế hoạch số 08";
//! - conventional titles: "Nghị quyết Trung ương 4 khóa XII", "Nghị quyết Hội nghị lần thứ tư Ban
//!   Chấp hành Trung ương Đảng (khóa XII)", "Nghị quyết Đại hội XIII", "Nghị quyết Đại hội Đảng bộ
//!   tỉnh lần thứ XIX", with elliptical lists ("..., Đại hội Đảng bộ tỉnh lần XIX").
//!
//! Party document numbers restart for every issuing body and term, so a code's node ID is the
//! code alone only when its suffix names one body nationwide (…/TW); otherwise the code plus the
//! issuer, or, with no issuer known, the code within its article.

use crate::article::{Analysis, Found};
use crate::extraction::Attributes;
use crate::gazetteer::Gazetteer;
use crate::lexicon::{FoldedLexicon, StartCursor};
use crate::text::slug;
use crate::token::TokenKind;
use crate::types::{EntityKind, Recognizer};

use super::meta::parse_date;

/// After the resolve stage: issuers named by short forms ("của Ban Thường vụ Tỉnh ủy") give
/// the documents waiting for them their issuer and their node ID (code + issuer).
pub(crate) fn finalize_issuers(an: &mut Analysis<'_>) {
    let pending = std::mem::take(&mut an.pending_issuers);
    for (start, tok) in pending {
        let Some(issuer) = an
            .found
            .iter()
            .filter(|f| f.kind == EntityKind::Committee && f.tok.0 == tok)
            .max_by_key(|f| f.tok.1)
            .map(|f| f.name.clone())
        else {
            continue;
        };
        for f in an
            .found
            .iter_mut()
            .filter(|f| f.kind == EntityKind::Resolution && f.span.start == start)
        {
            if let Some(code) = &f.attrs.code {
                f.id_override = Some(format!("resolution:{}-{}", slug(code), slug(&issuer)));
            }
            f.attrs.issuer = Some(issuer.clone());
        }
    }
    // A place body's code ("09-NQ/HU", "15-NQ/TU") in an article that names one such body:
    // that body issued it ("Huyện ủy Yên Thành"), so the document is known across articles.
    let mut bodies: rustc_hash::FxHashMap<&'static str, Vec<String>> =
        rustc_hash::FxHashMap::default();
    for f in an.found.iter().filter(|f| {
        f.kind == EntityKind::Committee
            && f.id_override.as_deref().is_none_or(|i| !i.contains("--"))
    }) {
        if let Some((body, _)) = super::committees::split_body(&f.name)
            && crate::lexicon::unit_of_body(body).is_some()
            && f.name.starts_with(body)
        {
            let v = bodies.entry(body).or_default();
            if !v.contains(&f.name) {
                v.push(f.name.clone());
            }
        }
    }
    for f in an
        .found
        .iter_mut()
        .filter(|f| f.kind == EntityKind::Resolution && f.attrs.issuer.is_none())
    {
        let Some(code) = f.attrs.code.clone() else {
            continue;
        };
        let suffix = code.rsplit('/').next().unwrap_or("").to_uppercase();
        let wanted: &[&str] = match suffix.as_str() {
            "TU" => &["Tỉnh ủy", "Thành ủy"],
            "HU" => &["Huyện ủy"],
            "QU" => &["Quận ủy"],
            _ => continue,
        };
        let names: Vec<&String> = wanted
            .iter()
            .filter_map(|b| bodies.get(b))
            .flatten()
            .collect();
        if let [one] = names.as_slice() {
            f.id_override = Some(format!("resolution:{}-{}", slug(&code), slug(one)));
            f.attrs.issuer = Some((*one).clone());
        }
    }
}

/// One document, one node within an article: "Nghị quyết 12-NQ/TW" in the headline and
/// "Nghị quyết số 12-NQ/TW ngày 16/3/2022" in the body, or "Chỉ thị 05" and "Chỉ thị số
/// 05-CT/TW", take the ID of the most specific mention (dated, issuer known).
pub(crate) fn unify_documents(an: &mut Analysis<'_>) {
    let docs: Vec<usize> = (0..an.found.len())
        .filter(|&i| an.found[i].kind == EntityKind::Resolution)
        .collect();
    let specificity = |f: &Found| {
        (f.recognizer == Recognizer::Gazetteer) as u8 * 4
            + f.attrs.date.is_some() as u8 * 2
            + f.attrs.issuer.is_some() as u8
    };
    // The most specific mention of each code (first one on ties), and the codes of each
    // (type, number), in one pass.
    let mut best_by_code: rustc_hash::FxHashMap<String, usize> = rustc_hash::FxHashMap::default();
    let mut codes_by_number: rustc_hash::FxHashMap<(String, String), Vec<String>> =
        rustc_hash::FxHashMap::default();
    let mut code_of: Vec<Option<String>> = vec![None; an.found.len()];
    for &i in &docs {
        let f = &an.found[i];
        let Some(code) = f.attrs.code.as_deref().map(slug) else {
            continue;
        };
        match best_by_code.get(&code) {
            Some(&b) if specificity(&an.found[b]) >= specificity(f) => {}
            _ => {
                best_by_code.insert(code.clone(), i);
            }
        }
        if let (Some(t), Some(n)) = (&f.attrs.doc_type, &f.attrs.number) {
            let v = codes_by_number.entry((t.clone(), n.clone())).or_default();
            if !v.contains(&code) {
                v.push(code.clone());
            }
        }
        code_of[i] = Some(code);
    }
    for &i in &docs {
        let best = match &code_of[i] {
            // The same code.
            Some(c) => best_by_code.get(c).copied(),
            // A number only: the one coded document of the same type and number.
            None => {
                let f = &an.found[i];
                let (Some(t), Some(n)) = (&f.attrs.doc_type, &f.attrs.number) else {
                    continue;
                };
                match codes_by_number
                    .get(&(t.clone(), n.clone()))
                    .map(Vec::as_slice)
                {
                    Some([one]) => best_by_code.get(one).copied(),
                    _ => None,
                }
            }
        };
        if let Some(b) = best
            && b != i
        {
            let id = an.found[b].id();
            let name = an.found[b].name.clone();
            let written = an.found[i].name.clone();
            let f = &mut an.found[i];
            f.id_override = Some(id);
            if written != name {
                f.aliases.push(written);
            }
            f.name = name;
        }
    }
}

/// Pattern: one congress resolution written short and in full within an article: "Nghị quyết
/// Đại hội Đảng bộ quận lần thứ XXVIII" is "Nghị quyết Đại hội Đại biểu Đảng bộ quận Đống Đa lần
/// thứ XXVIII" when the full one has the same ordinal and the short one's words are among its
/// words in order. The short mentions take the full one's ID and name.
pub(crate) fn unify_congress_resolutions(an: &mut Analysis<'_>) {
    // (words between "Đại hội" and "lần thứ", folded; the ordinal) of a congress resolution.
    let fold = an.norm.fold();
    let [head, times, dai, bieu] =
        ["nghị quyết đại hội ", " lần thứ ", "đại", "biểu"].map(|w| crate::text::fold(w, fold));
    let parts = |name: &str| -> Option<(Vec<String>, String)> {
        let name = crate::text::fold(name, fold);
        let rest = name.strip_prefix(head.as_str())?;
        let (body, num) = rest.rsplit_once(times.as_str())?;
        let words = body
            .split_whitespace()
            .filter(|w| *w != dai && *w != bieu)
            .map(String::from)
            .collect();
        Some((words, num.to_string()))
    };
    let congresses: Vec<(usize, Vec<String>, String)> = an
        .found
        .iter()
        .enumerate()
        .filter(|(_, f)| f.kind == EntityKind::Resolution && f.attrs.code.is_none())
        .filter_map(|(i, f)| parts(&f.name).map(|(w, n)| (i, w, n)))
        .collect();
    if congresses.len() < 2 {
        return;
    }
    let within = |short: &[String], long: &[String]| {
        let mut it = long.iter();
        short.len() < long.len() && short.iter().all(|w| it.any(|l| l == w))
    };
    for (i, words, num) in &congresses {
        // The longest full form of the same congress (first one on ties).
        let full = congresses
            .iter()
            .filter(|(j, w, n)| j != i && n == num && within(words, w))
            .max_by_key(|(j, w, _)| (w.len(), std::cmp::Reverse(*j)));
        if let Some((j, _, _)) = full {
            let id = an.found[*j].id();
            let name = an.found[*j].name.clone();
            let f = &mut an.found[*i];
            let written = std::mem::replace(&mut f.name, name);
            f.aliases.push(written);
            f.id_override = Some(id);
        }
    }
}

fn ordinal(s: &str) -> Option<u32> {
    Some(match s {
        "nhất" | "một" | "nhat" | "mot" => 1,
        "hai" => 2,
        "ba" => 3,
        "tư" | "bốn" | "tu" | "bon" => 4,
        "năm" | "nam" => 5,
        "sáu" | "sau" => 6,
        "bảy" | "bay" => 7,
        "tám" | "tam" => 8,
        "chín" | "chin" => 9,
        "mười" | "muoi" => 10,
        _ if is_roman(s) => roman_value(s).filter(|n| (1..=30).contains(n))?,
        _ => s.parse().ok().filter(|n| (1..=30).contains(n))?,
    })
}

/// The value of a Roman numeral in lower or upper case ("x" → 10, "XIV" → 14).
fn roman_value(s: &str) -> Option<u32> {
    let digit = |c: char| match c.to_ascii_lowercase() {
        'i' => Some(1),
        'v' => Some(5),
        'x' => Some(10),
        'l' => Some(50),
        'c' => Some(100),
        _ => None,
    };
    let ds: Vec<u32> = s.chars().map(digit).collect::<Option<_>>()?;
    let mut total = 0;
    for (i, &d) in ds.iter().enumerate() {
        if ds.get(i + 1).is_some_and(|&next| next > d) {
            total -= d as i64;
        } else {
            total += d as i64;
        }
    }
    u32::try_from(total).ok()
}

fn is_roman(s: &str) -> bool {
    !s.is_empty() && s.len() <= 6 && s.chars().all(|c| matches!(c, 'i' | 'v' | 'x' | 'l'))
}

/// Which issuer a code's suffix names: (issuer, unambiguous).
fn issuer_of_code(lx: &FoldedLexicon, suffix: &str) -> Option<(String, bool)> {
    lx.issuers.get(suffix).cloned()
}

struct Code {
    end: usize,
    code: String,
    type_code: Option<String>,
    suffix: Option<String>,
    number: String,
    year: Option<u32>,
}

/// A code at token `i`: `N-TYPE/ISS(-ISS)*`, `N/TYPE-ISS`, `N/YEAR/ISS(-ISS)?`.
#[inline]
fn parse_code(an: &Analysis<'_>, i: usize) -> Option<Code> {
    // Most tokens are not numbers: answer those without a call.
    if an.tokens.get(i).map(|t| t.kind) != Some(TokenKind::Number) {
        return None;
    }
    parse_code_at(an, i)
}

/// [`parse_code`] at a number token: pieces are kept as token indexes, and strings made only
/// for a code.
fn parse_code_at(an: &Analysis<'_>, i: usize) -> Option<Code> {
    let n = an.tokens.len();
    let tk = |k: usize| an.tokens.get(k).map(|t| t.kind);
    let word = |k: usize| matches!(tk(k), Some(TokenKind::Word) | Some(TokenKind::Number));
    // Pieces joined by '-' or '/' with optional spaces around '-' only.
    let mut pieces = [i; 7];
    let mut np = 1;
    let mut seps = [0u8; 6];
    let mut ns = 0;
    let mut k = i + 1;
    while k + 1 < n + 1 && matches!(an.t(k), "-" | "/") && word(k + 1) {
        let sep = an.t(k);
        let spaced = an.tokens[k].space_before || an.tokens[k + 1].space_before;
        if spaced && sep == "/" {
            break;
        }
        seps[ns] = sep.as_bytes()[0];
        ns += 1;
        pieces[np] = k + 1;
        np += 1;
        k += 2;
        if np > 6 {
            break;
        }
    }
    if np < 3 || !seps[..ns].contains(&b'/') {
        return None;
    }
    let p = |x: usize| an.t(pieces[x]);
    let end = k;
    let is_letters = |s: &str| s.chars().any(char::is_alphabetic);
    let (type_code, suffix, year) = match (seps[0], seps[1]) {
        // 30-NQ/ĐU(-...)
        (b'-', b'/') if is_letters(p(1)) => (Some(p(1).to_string()), Some(p(2).to_string()), None),
        // 749/QĐ-TTg
        (b'/', b'-') if is_letters(p(1)) => (Some(p(1).to_string()), Some(p(2).to_string()), None),
        // 172/2024/QH15, 15/2020/NĐ-CP
        (b'/', b'/') if p(1).len() == 4 && p(1).chars().all(|c| c.is_ascii_digit()) => {
            let y: Option<u32> = p(1).parse().ok();
            let t = if np > 3 && ns > 2 && seps[2] == b'-' {
                Some(p(2).to_string())
            } else {
                None
            };
            let suffix = Some(p(np - 1).to_string());
            (t, suffix, y)
        }
        _ => return None,
    };
    let code: String = an
        .orig(i, end)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    Some(Code {
        end,
        code,
        type_code,
        suffix,
        number: an.t(i).to_string(),
        year,
    })
}

/// Runs the document recognizer.
pub(crate) fn recognize(an: &mut Analysis<'_>, g: &Gazetteer, lx: &FoldedLexicon) {
    let n = an.tokens.len();
    let mut out: Vec<Found> = Vec::new();
    // Tokens inside documents the gazetteer already found.
    let mut covered_by_gaz = vec![false; n + 1];
    for f in an.found.iter().filter(|f| f.kind == EntityKind::Resolution) {
        for c in covered_by_gaz.iter_mut().take(f.tok.1.min(n)).skip(f.tok.0) {
            *c = true;
        }
    }
    // Every token where a mention may start is looked at; the others hold no type word, no
    // "số" and no code, so nothing below would start there.
    let starts = std::mem::take(&mut an.starts.documents);
    let mut next = StartCursor::new(&starts);
    let mut i = 0;
    while let Some(k) = next.next_from(i, n) {
        i = k;
        if covered_by_gaz[i] {
            i += 1;
            continue;
        }
        // A document type word ("Nghị quyết", "Chỉ thị liên tịch").
        let dt = lx
            .doctypes
            .longest_at(&an.tokens, &an.norm, i)
            .filter(|_| an.tokens[i].is_capitalized() || an.t(i) != "kế");
        let (start, type_name, mut j) = match dt {
            Some((e, (name, _))) => (i, Some(name.clone()), e),
            None => (i, None, i),
        };
        // A few lower-case words may qualify the type: "Chương trình hành động số 25-CTr/ĐU",
        // "Nghị quyết chuyên đề số 05-NQ/TU".
        if type_name.is_some() && !matches!(an.t(j), "số" | "so") {
            let mut k = j;
            while k < j + 3
                && an.tokens.get(k).is_some_and(|t| {
                    t.kind == TokenKind::Word && t.case == crate::token::Case::Lower
                })
                && !matches!(an.t(k), "số" | "so")
            {
                k += 1;
            }
            if k > j && matches!(an.t(k), "số" | "so") && parse_code(an, k + 1).is_some() {
                j = k;
            }
        }
        if matches!(an.t(j), "số" | "so") {
            j += 1;
        }
        if let Some(code) = parse_code(an, j) {
            // A code is a document when a type word precedes it or its type part is known.
            let from_code = code
                .type_code
                .as_deref()
                .and_then(|t| lx.type_codes.get(t).cloned());
            let doc_type = type_name.clone().or(from_code.clone());
            if doc_type.is_some() || type_name.is_some() {
                let f = coded(an, g, lx, start, &code, doc_type);
                i = f.tok.1.max(code.end);
                out.push(f);
                continue;
            }
            i = code.end;
            continue;
        }
        if let Some(type_name) = type_name {
            // "Kế hoạch số 08", "Nghị quyết 45": a number and no code; also after a qualifier
            // or the type's abbreviation: "Chương trình hành động 76", "Nghị quyết (NQ) 28".
            let j = number_after_qualifiers(an, j);
            if an
                .tokens
                .get(j)
                .is_some_and(|t| t.kind == TokenKind::Number)
                && !matches!(an.t(j + 1), "/" | "-" | "." | ",")
                && !matches!(
                    an.t(j + 1),
                    "năm" | "nam" | "tháng" | "thang" | "lần" | "lan"
                )
                && an.tokens[i].is_capitalized()
            {
                let e = j + 1;
                // The label without the abbreviation in parentheses ("Nghị quyết 28"); the
                // mention keeps it as written.
                let title = match (start..j).find(|&x| an.t(x) == "(") {
                    Some(p) => clean(&format!("{} {}", an.orig(start, p), an.orig(j, e))),
                    None => clean(an.orig(start, e)),
                };
                let mut f = resolution(
                    an,
                    &title,
                    (start, e),
                    Attributes {
                        doc_type: Some(type_name.clone()),
                        number: Some(an.t(j).to_string()),
                        ..Attributes::default()
                    },
                    Recognizer::DocumentCode,
                    0.7,
                );
                f.id_override = Some(format!("resolution:{}--{}", slug(&title), slug(an.doc)));
                out.push(f);
                i = e;
                continue;
            }
            // Conventional titles; their shape is the evidence, so the type word may be in lower
            // case ("quán triệt nghị quyết hội nghị lần thứ X – BCH Trung ương Đảng khóa XI").
            {
                let found = conventional(an, g, lx, start, j, &type_name);
                if !found.is_empty() {
                    i = found.iter().map(|f| f.tok.1).max().unwrap_or(i + 1);
                    out.extend(found);
                    continue;
                }
            }
        }
        i += 1;
    }
    an.starts.documents = starts;
    an.found.extend(out);
}

fn clean(s: &str) -> String {
    crate::article::clean_spaces(s)
}

/// Lower-case words that qualify a document type before its number ("Chương trình hành động
/// 76", "Nghị quyết chuyên đề 05").
const TYPE_QUALIFIERS: &[&[&str]] = &[
    &["hành", "động"],
    &["hanh", "dong"],
    &["chuyên", "đề"],
    &["chuyen", "de"],
    &["liên", "tịch"],
    &["lien", "tich"],
];

/// Pattern: where the number of a document without a code stands after its type word ends at
/// `j`: past a qualifier ([`TYPE_QUALIFIERS`]), an abbreviation of the type in parentheses
/// ("Nghị quyết (NQ) 28") and "số". `j` itself when none of these is there.
fn number_after_qualifiers(an: &Analysis<'_>, j: usize) -> usize {
    let mut k = j;
    if let Some(q) = TYPE_QUALIFIERS
        .iter()
        .find(|q| q.iter().enumerate().all(|(x, w)| an.t(k + x) == *w))
    {
        k += q.len();
    }
    if an.t(k) == "("
        && an.t(k + 2) == ")"
        && an
            .tokens
            .get(k + 1)
            .is_some_and(|t| t.case == crate::token::Case::Upper)
    {
        k += 3;
    }
    if matches!(an.t(k), "số" | "so") {
        k += 1;
    }
    let is_number = an
        .tokens
        .get(k)
        .is_some_and(|t| t.kind == TokenKind::Number);
    if k > j && is_number { k } else { j }
}

fn resolution(
    an: &Analysis<'_>,
    name: &str,
    tok: (usize, usize),
    attrs: Attributes,
    rec: Recognizer,
    conf: f32,
) -> Found {
    let mut f = Found::new(an, EntityKind::Resolution, name, tok, rec, conf);
    f.attrs = attrs;
    f
}

/// A coded document with its date, issuer and subject when written after the code.
fn coded(
    an: &mut Analysis<'_>,
    g: &Gazetteer,
    lx: &FoldedLexicon,
    start: usize,
    code: &Code,
    doc_type: Option<String>,
) -> Found {
    let n = an.tokens.len();
    let mut k = code.end;
    let mut attrs = Attributes {
        code: Some(code.code.clone()),
        doc_type: doc_type.clone(),
        number: Some(code.number.clone()),
        ..Attributes::default()
    };
    // ", ngày 11-1-2018" / "ngày 15 tháng 5 năm 2016"
    let mut kk = k;
    if an.t(kk) == "," {
        kk += 1;
    }
    if matches!(an.t(kk), "ngày" | "ngay") {
        if let Some(d) = parse_date(an, kk + 1) {
            attrs.date = d.iso(code.year);
            k = d.end;
        }
    } else if let Some(y) = code.year {
        attrs.date = Some(format!("{y:04}"));
    }
    // "của Đảng ủy TKV"
    let mut issuer: Option<String> = None;
    let mut kk = k;
    if an.t(kk) == "," {
        kk += 1;
    }
    let mut pending: Option<usize> = None;
    if matches!(an.t(kk), "của" | "cua") {
        match an
            .found
            .iter()
            .filter(|f| f.kind == EntityKind::Committee && f.tok.0 == kk + 1)
            .max_by_key(|f| f.tok.1)
        {
            Some(f) => {
                issuer = Some(f.name.clone());
                k = f.tok.1;
            }
            // A short form ("của Ban Thường vụ Tỉnh ủy"): known after the resolve stage.
            None => pending = Some(kk + 1),
        }
    }
    // 'về "..."' or '"..."': the subject.
    let mut kk = k;
    if matches!(an.t(kk), "về" | "ve") {
        kk += 1;
    }
    if an.t(kk) == "\""
        && let Some(close) = (kk + 1..n.min(kk + 80)).find(|&x| an.t(x) == "\"")
        && close > kk + 1
    {
        attrs.subject = Some(clean(an.orig(kk + 1, close)));
    }
    let suffix = code
        .suffix
        .as_deref()
        .map(|s| crate::lexicon::fold_memo(s, an.norm.fold()));
    // "DU" written for "ĐU".
    let suffix_known = suffix.as_deref().and_then(|s| {
        issuer_of_code(lx, s).or_else(|| {
            let with_d = s.replacen('d', "đ", 1);
            issuer_of_code(lx, &with_d)
        })
    });
    let unambiguous = suffix_known.as_ref().is_some_and(|(_, u)| *u);
    if issuer.is_none() && unambiguous {
        issuer = suffix_known.as_ref().map(|(i, _)| i.clone());
    }
    attrs.issuer = issuer.clone();
    let title = clean(an.orig(start, code.end));
    let code_slug = slug(&code.code);
    let id = if unambiguous {
        format!("resolution:{code_slug}")
    } else if let Some(iss) = &issuer {
        format!("resolution:{code_slug}-{}", slug(iss))
    } else {
        format!("resolution:{code_slug}--{}", slug(an.doc))
    };
    // A well-known document listed in the gazetteer by this code.
    let mut f = resolution(
        an,
        &title,
        (start, code.end),
        attrs,
        Recognizer::DocumentCode,
        0.95,
    );
    // Central numbers restart each term too (12-NQ/TW of 2012 and of 2022): a listed document
    // is taken only when the year written agrees, or when the code names one listed document.
    let year = f
        .attrs
        .date
        .as_deref()
        .and_then(|d| d.get(..4))
        .map(String::from);
    let listed: &[usize] = g.resolutions_by_code(&code_slug);
    let entry = match &year {
        Some(y) => listed.iter().copied().find(|&e| {
            g.entry(e)
                .attr("date")
                .is_some_and(|d| d.starts_with(y.as_str()))
        }),
        None if listed.len() == 1 => listed.first().copied(),
        None => None,
    };
    if unambiguous && let Some(e) = entry {
        let mut ge = crate::article::found_from_entry(g, e, f.span, f.tok);
        ge.recognizer = Recognizer::DocumentCode;
        ge.attrs.merge(&f.attrs);
        ge.aliases.push(title);
        return ge;
    }
    // A listed code written with another year is another document.
    let id = match &year {
        Some(y) if unambiguous && !listed.is_empty() => format!("resolution:{code_slug}-{y}"),
        _ => id,
    };
    f.id_override = Some(id);
    if let Some(t) = pending.filter(|_| !unambiguous) {
        an.pending_issuers.push((f.span.start, t));
    }
    f
}

/// Conventional titles after a type word at `j`: "Trung ương 4 khóa XII", "Hội nghị lần thứ tư
/// Ban Chấp hành Trung ương (khóa XII)", "Đại hội XIII", "Đại hội Đảng bộ tỉnh lần thứ XIX", and
/// the elliptical ones that follow ("và Nghị quyết Hội nghị lần thứ năm ...", ", Đại hội ...").
fn conventional(
    an: &Analysis<'_>,
    g: &Gazetteer,
    lx: &FoldedLexicon,
    start: usize,
    j: usize,
    type_name: &str,
) -> Vec<Found> {
    let t = |k: usize| an.t(k);
    let mut out = Vec::new();
    // "Trung ương N khóa X" / "TW N" / "Hội nghị Trung ương N" / "Hội nghị lần thứ N ..."
    let mut k = j;
    if matches!(t(k), "hội" | "hoi") && matches!(t(k + 1), "nghị" | "nghi") {
        k += 2;
    }
    let central = |k: usize| -> Option<usize> {
        if matches!(t(k), "trung" | "tw") {
            if t(k) == "tw" {
                return Some(k + 1);
            }
            if matches!(t(k + 1), "ương" | "uong") {
                return Some(k + 2);
            }
        }
        None
    };
    // Case A: Trung ương N [khóa X]
    if let Some(after) = central(k)
        && let Some(num) = ordinal(t(after)).filter(|_| an.tokens.get(after).is_some())
    {
        let (term, end) = term_after(an, after + 1);
        out.push(central_resolution(an, g, start, end, type_name, num, term));
        return out;
    }
    // Case B: Hội nghị lần thứ N [Ban Chấp hành Trung ương (Đảng)] [(khóa X)] — possibly two,
    // joined by "và Nghị quyết Hội nghị lần thứ M".
    if k > j && matches!(t(k), "lần" | "lan") {
        let mut nums = Vec::new();
        let mut ord_at: Vec<usize> = Vec::new();
        let mut starts = Vec::new();
        let mut kk = k;
        let mut seg_start = start;
        loop {
            if !matches!(t(kk), "lần" | "lan") {
                break;
            }
            let mut p = kk + 1;
            if matches!(t(p), "thứ" | "thu") {
                p += 1;
            }
            let Some(num) = ordinal(t(p)) else { break };
            nums.push(num);
            ord_at.push(p);
            starts.push(seg_start);
            kk = p + 1;
            // A list of numbers: "Hội nghị lần thứ 12, 13 của Ban Chấp hành Trung ương".
            while matches!(t(kk), "," | "và" | "va")
                && an
                    .tokens
                    .get(kk + 1)
                    .is_some_and(|x| x.kind == TokenKind::Number)
                && let Some(more) = ordinal(t(kk + 1))
            {
                nums.push(more);
                ord_at.push(kk + 1);
                starts.push(kk + 1);
                kk += 2;
            }
            // "và Nghị quyết Hội nghị lần thứ năm"
            if matches!(t(kk), "và" | "va")
                && let Some((e, _)) = lx.doctypes.longest_at(&an.tokens, &an.norm, kk + 1)
                && matches!(t(e), "hội" | "hoi")
                && matches!(t(e + 2), "lần" | "lan")
            {
                seg_start = kk + 1;
                kk = e + 2;
                continue;
            }
            break;
        }
        if !nums.is_empty() {
            // The body: Ban Chấp hành Trung ương (Đảng), after a dash at most ("lần thứ X –
            // BCH Trung ương Đảng").
            let mut p = kk;
            if matches!(t(p), "–" | "-" | "của" | "cua") && matches!(t(p + 1), "ban" | "bch") {
                p += 1;
            }
            let mut is_central = false;
            if matches!(t(p), "ban" | "bch") {
                if t(p) == "bch" {
                    p += 1;
                } else if matches!(t(p + 1), "chấp" | "chap") {
                    p += 3;
                }
                if let Some(a) = central(p) {
                    is_central = true;
                    p = a;
                    if matches!(t(p), "đảng" | "dang") {
                        p += 1;
                    }
                }
            }
            if is_central {
                let (term, end) = term_after(an, p);
                for (idx, num) in nums.iter().enumerate() {
                    let seg_end = if idx + 1 < nums.len() {
                        starts[idx + 1].saturating_sub(1)
                    } else {
                        end
                    };
                    let mut f = central_resolution(
                        an,
                        g,
                        starts[idx],
                        seg_end.max(starts[idx] + 1),
                        type_name,
                        *num,
                        term.clone(),
                    );
                    if idx + 1 < nums.len() {
                        // The shared tail names it too: "NQ Hội nghị lần thứ tư" + "Ban Chấp hành ...".
                        f.aliases.push(format!(
                            "{} {}",
                            clean(an.orig(starts[idx], ord_at[idx] + 1)),
                            clean(an.orig(kk, end))
                        ));
                    }
                    out.push(f);
                }
                return out;
            }
            // Case B2: the plenum of a committee other than the Central Committee: "Nghị quyết
            // Hội nghị lần thứ 2" (of the article's own committee: scoped to the article), "Nghị
            // quyết Hội nghị lần thứ 5 (của) Ban Chấp hành Đảng bộ tỉnh".
            if nums.len() == 1 && an.tokens[start].is_capitalized() {
                let at = if matches!(t(kk), "của" | "cua") {
                    kk + 1
                } else {
                    kk
                };
                let body = an
                    .starting_at(at)
                    .filter(|f| f.kind == EntityKind::Committee)
                    .max_by_key(|f| f.tok.1);
                let (end, name) = match body {
                    Some(b) => (
                        b.tok.1,
                        format!("{type_name} Hội nghị lần thứ {} {}", nums[0], b.name),
                    ),
                    None => (
                        ord_at[0] + 1,
                        format!("{type_name} Hội nghị lần thứ {}", nums[0]),
                    ),
                };
                let mut f = resolution(
                    an,
                    &name,
                    (start, end),
                    Attributes {
                        doc_type: Some(type_name.to_string()),
                        ..Attributes::default()
                    },
                    Recognizer::DocumentTitle,
                    0.7,
                );
                let written = clean(an.orig(start, end));
                if written != name {
                    f.aliases.push(written);
                }
                f.id_override = Some(format!("resolution:{}--{}", slug(&name), slug(an.doc)));
                out.push(f);
                return out;
            }
        }
    }
    // Case C: Đại hội ...: "Đại hội XIII", "Đại hội đại biểu toàn quốc lần thứ XIII (của Đảng)",
    // "Đại hội Đảng bộ tỉnh lần thứ XIX" — and ", Đại hội ..." lists after it.
    let mut seg = start;
    let mut p = j;
    let mut previous: Option<String> = None;
    loop {
        if !(matches!(t(p), "đại" | "dai") && matches!(t(p + 1), "hội" | "hoi")) {
            break;
        }
        let Some((end, canonical, scoped)) = congress(an, p + 2) else {
            break;
        };
        // The same body's congress again, by another number, is the next congress the
        // sentence goes on about, not one more resolution ("Nghị quyết Đại hội Đảng bộ X lần
        // thứ VI, Đại hội Đảng bộ X lần thứ VII nhiệm kỳ ... đã ...").
        let body = congress_body(&canonical);
        if previous.as_deref() == Some(body.as_str()) {
            break;
        }
        previous = Some(body);
        let title = clean(an.orig(seg, end));
        let title = if seg == start {
            title
        } else {
            format!("{type_name} {title}")
        };
        let name = format!("{type_name} {canonical}");
        let mut f = resolution(
            an,
            &name,
            (seg, end),
            Attributes {
                doc_type: Some(type_name.to_string()),
                ..Attributes::default()
            },
            Recognizer::DocumentTitle,
            0.85,
        );
        if title != name {
            f.aliases.push(title);
        }
        if let Some(e) = g.find_index(EntityKind::Resolution, &name) {
            let mut ge = crate::article::found_from_entry(g, e, f.span, f.tok);
            ge.recognizer = Recognizer::DocumentTitle;
            ge.aliases = f.aliases.clone();
            out.push(ge);
        } else {
            if scoped {
                f.id_override = Some(format!("resolution:{}--{}", slug(&name), slug(an.doc)));
            }
            out.push(f);
        }
        // ", Đại hội ..." continues the list.
        if t(end) == ","
            && matches!(t(end + 1), "đại" | "dai")
            && matches!(t(end + 2), "hội" | "hoi")
        {
            seg = end + 1;
            p = end + 1;
            continue;
        }
        break;
    }
    out
}

/// The body of a congress's canonical words, without its number, folded to compare
/// ("Đại hội Đảng bộ tỉnh lần thứ XIX" → "đại hội đảng bộ tỉnh").
fn congress_body(canonical: &str) -> String {
    let body = canonical
        .rsplit_once(" lần thứ ")
        .map_or(canonical, |(b, _)| b);
    crate::text::fold(body, crate::text::Fold::Ascii)
}

/// "khóa XII" / "(khóa XII)" after token `k`: (term, end token).
fn term_after(an: &Analysis<'_>, k: usize) -> (Option<String>, usize) {
    let t = |x: usize| an.t(x);
    let mut p = k;
    let paren = t(p) == "(";
    if paren {
        p += 1;
    }
    if matches!(t(p), "khóa" | "khoa" | "khoá") && is_roman(t(p + 1)) {
        let term = t(p + 1).to_uppercase();
        let mut end = p + 2;
        if paren && t(end) == ")" {
            end += 1;
        }
        return (Some(term), end);
    }
    (None, k)
}

/// A Central Committee plenum's resolution: canonical "Nghị quyết Trung ương N khóa X".
fn central_resolution(
    an: &Analysis<'_>,
    g: &Gazetteer,
    s: usize,
    e: usize,
    type_name: &str,
    num: u32,
    term: Option<String>,
) -> Found {
    let written = clean(an.orig(s, e));
    let name = match &term {
        Some(t) => format!("{type_name} Trung ương {num} khóa {t}"),
        None => format!("{type_name} Trung ương {num}"),
    };
    let span = an.span(s, e);
    if let Some(entry) = g.find_index(EntityKind::Resolution, &name) {
        let mut f = crate::article::found_from_entry(g, entry, span, (s, e));
        f.recognizer = Recognizer::DocumentTitle;
        if written != f.name {
            f.aliases.push(written);
        }
        return f;
    }
    let mut f = resolution(
        an,
        &name,
        (s, e),
        Attributes {
            doc_type: Some(type_name.to_string()),
            issuer: Some("Ban Chấp hành Trung ương Đảng".to_string()),
            ..Attributes::default()
        },
        Recognizer::DocumentTitle,
        0.9,
    );
    if written != name {
        f.aliases.push(written);
    }
    if term.is_none() {
        f.id_override = Some(format!("resolution:{}--{}", slug(&name), slug(an.doc)));
    }
    f
}

/// After "Đại hội": the congress named, as (end token, canonical words, scoped to the article).
fn congress(an: &Analysis<'_>, k: usize) -> Option<(usize, String, bool)> {
    let t = |x: usize| an.t(x);
    let n = an.tokens.len();
    // "Đại hội XIII"
    if is_roman(t(k))
        && an
            .tokens
            .get(k)
            .is_some_and(|tk| tk.case == crate::token::Case::Upper || tk.fe - tk.fs == 1)
    {
        return Some((k + 1, format!("Đại hội {}", t(k).to_uppercase()), false));
    }
    // "Đại hội đại biểu toàn quốc lần thứ XIII (của Đảng)" / "Đại hội Đảng toàn quốc lần thứ XIII"
    let mut p = k;
    let mut national = false;
    let mut words = Vec::new();
    while p < n && p < k + 12 && !matches!(t(p), "lần" | "lan") {
        if matches!(t(p), "," | "." | ";" | "\"" | "(" | ")")
            || an.tokens[p].kind == TokenKind::Newline
        {
            return None;
        }
        if matches!(t(p), "quốc" | "quoc") {
            national = true;
        }
        words.push(p);
        p += 1;
    }
    if !matches!(t(p), "lần" | "lan") {
        return None;
    }
    let mut q = p + 1;
    if matches!(t(q), "thứ" | "thu") {
        q += 1;
    }
    let ord = t(q);
    let num = if is_roman(ord) {
        ord.to_uppercase()
    } else {
        ordinal(ord)?.to_string()
    };
    let mut end = q + 1;
    if national {
        if t(end) == "(" && matches!(t(end + 1), "của" | "cua") && t(end + 3) == ")" {
            end += 4;
        } else if matches!(t(end), "của" | "cua") && matches!(t(end + 1), "đảng" | "dang") {
            end += 2;
        }
        return Some((end, format!("Đại hội {num}"), false));
    }
    if words.is_empty() {
        return None;
    }
    let body = clean(an.orig(k, p));
    // A congress of "Đảng bộ tỉnh" or "Đảng bộ Khối" without the name is ambiguous across articles.
    let scoped = words.len() <= 3;
    Some((end, format!("Đại hội {body} lần thứ {num}"), scoped))
}
