//! Stage 4: resolving short forms to the full entity named in the same article.
//!
//! "Đảng ủy Tập đoàn", "Quận ủy", "BCH Đảng bộ Viện", "Ban Chấp hành" → the full committee
//! introduced before (or, failing that, after) in the article; "đồng chí Ninh" was resolved by
//! the people recognizer. A bare provincial body with no full name anywhere ("Tỉnh ủy" in an
//! article that never names the province) becomes a node scoped to its article, so it never
//! merges with another province's.

use crate::article::{Analysis, Found};
use crate::article::{NamePart, ShortCommittee};
use crate::gazetteer::Gazetteer;
use crate::lexicon::{body_of_unit, unit_of_body};
use crate::recognize::committees::{compose, with_prefixes};
use crate::text::slug;
use crate::types::{EntityKind, Recognizer};

/// Bodies that name the same party organization's executive or the organization itself.
fn related(a: &str, b: &str) -> bool {
    let exec = |x: &str| matches!(x, "Đảng ủy" | "Đảng bộ");
    a == b || exec(a) && exec(b)
}

fn main_part(parts: &[NamePart], ok: impl Fn(&NamePart) -> bool) -> Option<&NamePart> {
    // (count, first mention) per name, in one pass.
    let mut seen: rustc_hash::FxHashMap<&str, (usize, usize)> = rustc_hash::FxHashMap::default();
    for (i, p) in parts.iter().enumerate().filter(|(_, p)| ok(p)) {
        let e = seen.entry(p.name.as_str()).or_insert((0, i));
        e.0 += 1;
        if p.at < parts[e.1].at {
            e.1 = i;
        }
    }
    seen.iter()
        .max_by_key(|&(name, &(count, first))| {
            (
                count,
                std::cmp::Reverse(parts[first].at),
                std::cmp::Reverse(*name),
            )
        })
        .map(|(_, &(_, first))| &parts[first])
}

fn pick(parts: &[NamePart], at: usize, ok: impl Fn(&NamePart) -> bool) -> Option<&NamePart> {
    parts
        .iter()
        .filter(|p| ok(p) && p.at < at)
        .max_by_key(|p| p.at)
        .or_else(|| {
            parts
                .iter()
                .filter(|p| ok(p) && p.at > at)
                .min_by_key(|p| p.at)
        })
}

/// Resolves the article's short committee forms into committee mentions.
pub(crate) fn resolve(an: &mut Analysis<'_>, g: &Gazetteer) {
    let f = an.norm.fold();
    let shorts: Vec<ShortCommittee> = std::mem::take(&mut an.short_committees);
    let parts = an.name_parts.clone();
    let mut add: Vec<Found> = Vec::new();
    // A bare "Đảng ủy" that names no body of the article, for after the loop.
    let mut bare_executive: Vec<ShortCommittee> = Vec::new();
    for sc in shorts {
        let at = sc.tok.0;
        let resolved: Option<(String, &'static str, String)> = match (sc.body, &sc.partial) {
            (Some(body), Some(partial)) => {
                let key = crate::lexicon::fold_memo(partial, f);
                // "Đảng bộ huyện" → the district the article names ("Huyện ủy Đồng Phú").
                let unit_body = body_of_unit(&key);
                pick(&parts, at, |p| {
                    p.folded == key
                        || p.folded.starts_with(&key) && p.folded[key.len()..].starts_with(' ')
                })
                .map(|p| (p.name.clone(), body, p.body.to_string()))
                .or_else(|| {
                    let ub = unit_body?;
                    main_part(&parts, |p| p.body == ub)
                        .map(|p| (format!("{partial} {}", p.name), body, p.body.to_string()))
                })
                .or_else(|| {
                    an.acronyms
                        .get(&key)
                        .map(|full| (full.clone(), body, body.to_string()))
                })
            }
            (Some(body), None) => {
                let unit = unit_of_body(body);
                let ok = |p: &NamePart| {
                    related(p.body, body)
                        || unit.is_some_and(|u| {
                            p.body == "Đảng bộ" && p.name.starts_with(&format!("{u} "))
                        })
                };
                // A bare "Đảng ủy" is the article's own body: the one named most often (then
                // first), not merely the last one named ("... trực thuộc Đảng ủy Chính phủ").
                main_part(&parts, ok).map(|p| {
                    let name = match unit {
                        Some(u) => p
                            .name
                            .strip_prefix(&format!("{u} "))
                            .unwrap_or(&p.name)
                            .to_string(),
                        None => p.name.clone(),
                    };
                    (name, body, p.body.to_string())
                })
            }
            (None, None) => {
                // A bare sub-body: the closest executive body of the article.
                pick(&parts, at, |p| {
                    matches!(
                        p.body,
                        "Đảng ủy"
                            | "Đảng bộ"
                            | "Tỉnh ủy"
                            | "Thành ủy"
                            | "Quận ủy"
                            | "Huyện ủy"
                            | "Thị ủy"
                    )
                })
                .map(|p| (p.name.clone(), p.body, p.body.to_string()))
            }
            (None, Some(_)) => None,
        };
        match resolved {
            Some((name, body, _)) => {
                let body_name = if sc.body.is_none()
                    && !sc.prefixes.is_empty()
                    && sc.prefixes[0] == "Ban Chấp hành"
                {
                    compose("Ban Chấp hành Đảng bộ", &name)
                } else {
                    compose(body, &name)
                };
                let body_name = canonical(g, &body_name);
                let prefixes: Vec<&str> =
                    if sc.body.is_none() && sc.prefixes.first() == Some(&"Ban Chấp hành") {
                        sc.prefixes[1..].to_vec()
                    } else {
                        sc.prefixes.clone()
                    };
                let full = canonical(g, &with_prefixes(&prefixes, &body_name));
                let body_start = sc.body_at;
                if full != body_name && sc.body.is_some() {
                    add.push(found(an, &body_name, None, (body_start, sc.tok.1), None));
                    add.push(found(an, &full, Some(body_name.clone()), sc.tok, None));
                } else if full != body_name {
                    // A bare sub-body ("Ban Thường vụ"): its parent is not named here.
                    add.push(found(an, &full, Some(body_name.clone()), sc.tok, None));
                } else {
                    add.push(found(an, &full, None, sc.tok, None));
                }
            }
            None => {
                // A bare provincial body in an article that names one province or city only:
                // that province's ("Tỉnh ủy" in an article about Quảng Trị).
                if let Some(place) = sc.body.and_then(|b| sole_place(an, g, b)) {
                    let body = sc.body.unwrap_or_default();
                    let body_name = canonical(g, &compose(body, &place));
                    let full = canonical(g, &with_prefixes(&sc.prefixes, &body_name));
                    push_with_sub(&mut add, an, &sc, &body_name, &full, false);
                    continue;
                }
                if sc.body == Some("Đảng ủy") && sc.partial.is_none() {
                    bare_executive.push(sc);
                    continue;
                }
                // A bare place body with no name in the article: scoped to the article.
                if let Some(body) = sc.body.filter(|b| unit_of_body(b).is_some()) {
                    let full = with_prefixes(&sc.prefixes, body);
                    push_with_sub(&mut add, an, &sc, body, &full, true);
                } else if let (Some(body), Some(partial)) = (sc.body, &sc.partial) {
                    // A body named by its kind only, that the article names no further ("Đảng
                    // ủy Tập đoàn", "Đảng bộ xã"): as written, scoped to the article. "Đảng bộ
                    // tỉnh" is the one province's the article names; "Ban Chấp hành Đảng bộ
                    // tỉnh" without one is the article's "Tỉnh ủy".
                    let unit_body = body_of_unit(&crate::lexicon::fold_memo(partial, f));
                    let executive = matches!(body, "Ban Chấp hành Đảng bộ" | "Đảng ủy");
                    if let Some(place) = unit_body.and_then(|ub| sole_place(an, g, ub)) {
                        let body_name = canonical(g, &compose(body, &format!("{partial} {place}")));
                        let full = canonical(g, &with_prefixes(&sc.prefixes, &body_name));
                        push_with_sub(&mut add, an, &sc, &body_name, &full, false);
                        continue;
                    }
                    let bch = body == "Đảng bộ" && sc.prefixes.first() == Some(&"Ban Chấp hành");
                    let (body_name, prefixes) = match unit_body {
                        Some(ub) if executive => (ub.to_string(), &sc.prefixes[..]),
                        Some(ub) if bch => (ub.to_string(), &sc.prefixes[1..]),
                        _ => (compose(body, partial), &sc.prefixes[..]),
                    };
                    let full = with_prefixes(prefixes, &body_name);
                    push_with_sub(&mut add, an, &sc, &body_name, &full, true);
                }
            }
        }
    }
    if let Some(own) = sole_kind_only_executive(an, &add) {
        for sc in bare_executive {
            let full = with_prefixes(&sc.prefixes, &own);
            push_with_sub(&mut add, an, &sc, &own, &full, true);
        }
    }
    an.found.extend(add);
    expand_truncated_names(an, g);
}

/// A committee name the article writes cut short, and the full name it stands for: the name
/// part of one is the first words of the other's ("Đảng ủy Viện Hàn lâm" of "Đảng bộ Viện
/// Hàn lâm Khoa học và Công nghệ Việt Nam"), or those words and the initials of the rest
/// ("Viện Hàn lâm KHCNVN"). Only when the article names one such full name (two academies
/// named in full leave "Viện Hàn lâm" as written), never for a name the gazetteer knows, nor
/// for a place's body ("Huyện ủy Châu Thành" is not "Huyện ủy Châu Thành A"), nor when the two
/// are named side by side (`together`: "Đảng ủy Trường Đại học Kinh tế Quốc dân với Đảng ủy
/// Trường Đại học Kinh tế").
fn truncated_names(
    parts: &[NamePart],
    g: &Gazetteer,
    together: impl Fn(&NamePart, &NamePart) -> bool,
) -> Vec<(&'static str, String, String)> {
    let words = |s: &str| s.split(' ').filter(|w| !w.is_empty()).count();
    // The names of the article, each once: (body, name, folded).
    let mut names: Vec<(&'static str, &str, &str)> = parts
        .iter()
        .map(|p| (p.body, p.name.as_str(), p.folded.as_str()))
        .collect();
    names.sort_unstable();
    names.dedup();
    let mut out = Vec::new();
    for &(body, name, folded) in &names {
        let short = compose(body, name);
        if g.find_by_name(EntityKind::Committee, &short).is_some() || of_a_place(body, folded) {
            continue;
        }
        // The longer names it is the start of, spelled out (an initialism among them stands for
        // one of the others, or is the only one).
        let mut longer: Vec<(&str, &str)> = names
            .iter()
            .filter(|&&(b, _, f)| related(b, body) && f.len() > folded.len() && extends(folded, f))
            .map(|&(_, n, f)| (n, f))
            .collect();
        longer.sort_unstable();
        longer.dedup();
        let spelled: Vec<(&str, &str)> = longer
            .iter()
            .copied()
            .filter(|&(_, f)| !longer.iter().any(|&(_, o)| o != f && extends(f, o)))
            .collect();
        let apart = |full: &str| {
            let of = |n: &str| -> Vec<&NamePart> {
                parts
                    .iter()
                    .filter(|p| p.name == n && related(p.body, body))
                    .collect()
            };
            let (shorts, longs) = (of(name), of(full));
            !shorts.iter().any(|a| longs.iter().any(|b| together(a, b)))
        };
        if let [(full, _)] = spelled.as_slice()
            && words(full) > words(name)
            && apart(full)
        {
            out.push((body, name.to_string(), full.to_string()));
        }
    }
    out
}

/// True for the body of a place: "Huyện ủy", "Đảng bộ huyện X", "Đảng ủy xã X" (a place's
/// name is whole as written).
fn of_a_place(body: &str, folded: &str) -> bool {
    use crate::text::Fold;
    unit_of_body(body).is_some()
        || crate::lexicon::UNITS.iter().any(|u| {
            [Fold::Accents, Fold::Ascii].into_iter().any(|f| {
                let u = crate::lexicon::fold_memo(u, f);
                folded
                    .strip_prefix(u.as_str())
                    .is_some_and(|r| r.starts_with(' '))
            })
        })
}

/// True when the folded name `short` is the first words of `long`, or those words and one
/// initialism of the rest of `long` ("viện hàn lâm khcnvn" of "viện hàn lâm khoa học và
/// công nghệ việt nam"; "và" and dashes have no initial).
fn extends(short: &str, long: &str) -> bool {
    if long.len() > short.len() && long.starts_with(short) && long.as_bytes()[short.len()] == b' ' {
        return true;
    }
    let s: Vec<&str> = short.split(' ').collect();
    let l: Vec<&str> = long.split(' ').collect();
    let Some((last, head)) = s.split_last() else {
        return false;
    };
    if head.is_empty() || l.len() < s.len() + 1 || l[..head.len()] != *head {
        return false;
    }
    let initials: String = l[head.len()..]
        .iter()
        .filter(|w| !matches!(**w, "và" | "va" | "-" | "–" | "&"))
        .filter_map(|w| {
            crate::lexicon::fold_memo(w, crate::text::Fold::Ascii)
                .chars()
                .next()
        })
        .collect();
    let acronym = crate::lexicon::fold_memo(last, crate::text::Fold::Ascii);
    acronym.len() >= 3 && initials == acronym
}

/// Gives the committees of the article written cut short ([`truncated_names`]) the full
/// name: the body itself, its sub-bodies ("Ban Thường vụ Đảng ủy Viện Hàn lâm") and the
/// parent they name.
fn expand_truncated_names(an: &mut Analysis<'_>, g: &Gazetteer) {
    // Named side by side: in one sentence, joined by "và", "với" or "cùng" ("Đảng ủy Trường
    // A ký kết với Đảng ủy Trường B").
    let end_of = |at: usize| {
        an.found
            .iter()
            .filter(|f| f.kind == EntityKind::Committee && f.tok.0 == at)
            .map(|f| f.tok.1)
            .max()
            .unwrap_or(at + 1)
    };
    let together = |a: &NamePart, b: &NamePart| {
        let (x, y) = if a.at < b.at { (a, b) } else { (b, a) };
        an.sentence_of(x.at) == an.sentence_of(y.at)
            && (end_of(x.at)..y.at)
                .any(|k| matches!(an.t(k), "và" | "với" | "cùng" | "va" | "voi" | "cung"))
    };
    let map = truncated_names(&an.name_parts, g, together);
    if map.is_empty() {
        return;
    }
    // Each cut name under its own body word and the related one ("Đảng ủy" of "Đảng bộ").
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (body, name, full) in &map {
        for b in ["Đảng ủy", "Đảng bộ", body] {
            if related(b, body) {
                pairs.push((compose(b, name), compose(b, full)));
            }
        }
    }
    pairs.sort_unstable();
    pairs.dedup();
    let expand = |name: &str| -> Option<String> {
        pairs.iter().find_map(|(short, full)| {
            if name == short {
                return Some(full.clone());
            }
            let head = name.strip_suffix(short.as_str())?;
            head.ends_with(' ').then(|| format!("{head}{full}"))
        })
    };
    for f in an
        .found
        .iter_mut()
        .filter(|f| f.kind == EntityKind::Committee)
    {
        if f.id_override.is_some() {
            continue;
        }
        if let Some(full) = expand(&f.name) {
            f.name = full;
            f.entry = None;
        }
        if let Some(full) = f.attrs.parent.as_deref().and_then(expand) {
            f.attrs.parent = Some(full);
        }
    }
}

/// The article's own party body when it names it by its kind only, and one kind only
/// ("Ban Chấp hành Đảng bộ xã", "Đảng ủy xã": `Đảng ủy xã`): what a bare "Đảng ủy" or "BTV
/// Đảng ủy" of an article that names no party body in full stands for. `None` when it names
/// none, or bodies of two kinds ("Đảng ủy xã" and "Đảng ủy Công ty").
fn sole_kind_only_executive(an: &Analysis<'_>, resolved: &[Found]) -> Option<String> {
    let scope = format!("--{}", slug(an.doc));
    let mut kinds: Vec<&str> = resolved
        .iter()
        .filter(|f| {
            f.id_override
                .as_deref()
                .is_some_and(|id| id.ends_with(&scope))
        })
        .filter_map(|f| {
            ["Đảng ủy ", "Đảng bộ ", "Ban Chấp hành Đảng bộ "]
                .iter()
                .find_map(|p| f.name.strip_prefix(p))
        })
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    match kinds.as_slice() {
        [one] => Some(compose("Đảng ủy", one)),
        _ => None,
    }
}

/// The committee `body_name` a short form resolved to, and the sub-body `full` when sub-bodies
/// were named before it ("Ban Thường vụ Huyện ủy X" of "Huyện ủy X"), as mentions; `scoped`
/// gives both the article's scoped IDs (a body the article names by its kind only).
fn push_with_sub(
    add: &mut Vec<Found>,
    an: &Analysis<'_>,
    sc: &ShortCommittee,
    body_name: &str,
    full: &str,
    scoped: bool,
) {
    let id = |name: &str| scoped.then(|| format!("committee:{}--{}", slug(name), slug(an.doc)));
    if full != body_name {
        let body_start = sc.body_at;
        add.push(found(
            an,
            body_name,
            None,
            (body_start, sc.tok.1),
            id(body_name),
        ));
        add.push(found(
            an,
            full,
            Some(body_name.to_string()),
            sc.tok,
            id(full),
        ));
    } else {
        add.push(found(an, full, None, sc.tok, id(full)));
    }
}

/// The one province (for "Tỉnh ủy") or centrally-run city (for "Thành ủy") the article names,
/// if it names exactly one.
fn sole_place(an: &Analysis<'_>, g: &Gazetteer, body: &str) -> Option<String> {
    // Provinces and centrally-run cities only: districts are not in the gazetteers.
    let want = match unit_of_body(body)? {
        u @ ("tỉnh" | "thành phố") => u,
        _ => return None,
    };
    // Places named as such, and the province of the province-level bodies named
    // ("Đảng ủy Khối các cơ quan tỉnh Quảng Ngãi" belongs to "Tỉnh ủy Quảng Ngãi").
    let prefix = format!("{body} ");
    let mut names: Vec<&str> = an
        .found
        .iter()
        .filter(|f| f.kind == EntityKind::Place && f.attrs.org_type.as_deref() == Some(want))
        .map(|f| f.name.as_str())
        .chain(
            an.found
                .iter()
                .filter(|f| f.kind == EntityKind::Committee)
                .filter_map(|f| {
                    [Some(f.name.as_str()), f.attrs.parent.as_deref()]
                        .into_iter()
                        .flatten()
                        .find_map(|n| n.strip_prefix(prefix.as_str()))
                }),
        )
        .collect();
    names.sort_unstable();
    names.dedup();
    match names.as_slice() {
        [one]
            if g.find_by_name(EntityKind::Committee, &format!("{body} {one}"))
                .is_some() =>
        {
            Some(one.to_string())
        }
        _ => None,
    }
}

fn canonical(g: &Gazetteer, name: &str) -> String {
    g.find_by_name(EntityKind::Committee, name)
        .map(|e| e.name.clone())
        .unwrap_or_else(|| name.to_string())
}

fn found(
    an: &Analysis<'_>,
    name: &str,
    parent: Option<String>,
    tok: (usize, usize),
    id: Option<String>,
) -> Found {
    let mut f = Found::new(
        an,
        EntityKind::Committee,
        name,
        tok,
        Recognizer::ShortForm,
        0.8,
    );
    f.attrs.parent = parent;
    f.id_override = id;
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn part(body: &'static str, name: &str) -> NamePart {
        NamePart {
            body,
            name: name.to_string(),
            folded: crate::text::fold(name, crate::text::Fold::Accents),
            at: 0,
        }
    }

    #[test]
    fn a_name_extends_its_first_words_and_their_initialism() {
        let long = "viện hàn lâm khoa học và công nghệ việt nam";
        assert!(extends("viện hàn lâm", long));
        assert!(extends("viện hàn lâm khcnvn", long));
        assert!(
            !extends("viện hàn lâm khxh", long),
            "initials that do not fit"
        );
        assert!(!extends("chi bộ 1", "chi bộ 10"), "not at a word boundary");
        assert!(!extends("viện hàn lâm", "viện hàn lâm"), "not longer");
    }

    #[test]
    fn a_cut_name_takes_the_one_full_name_it_starts() {
        let g = Gazetteer::embedded().unwrap();
        let parts = [
            part("Đảng bộ", "Viện Hàn lâm Khoa học và Công nghệ Việt Nam"),
            part("Đảng ủy", "Viện Hàn lâm"),
            part("Đảng bộ", "Viện Hàn lâm KHCNVN"),
        ];
        let map = truncated_names(&parts, &g, |_, _| false);
        let full = "Viện Hàn lâm Khoa học và Công nghệ Việt Nam".to_string();
        assert!(
            map.contains(&("Đảng ủy", "Viện Hàn lâm".into(), full.clone())),
            "{map:?}"
        );
        assert!(
            map.contains(&("Đảng bộ", "Viện Hàn lâm KHCNVN".into(), full)),
            "{map:?}"
        );
        assert_eq!(map.len(), 2);
    }

    #[test]
    fn a_cut_name_that_starts_two_full_names_stays_as_written() {
        let g = Gazetteer::embedded().unwrap();
        let parts = [
            part("Đảng ủy", "Công ty Than"),
            part("Đảng ủy", "Công ty Than Mông Dương"),
            part("Đảng ủy", "Công ty Than Hà Lầm"),
        ];
        assert_eq!(truncated_names(&parts, &g, |_, _| false), []);
    }

    #[test]
    fn a_place_body_and_two_bodies_of_one_sentence_stay_as_written() {
        let g = Gazetteer::embedded().unwrap();
        let place = [
            part("Huyện ủy", "Châu Thành"),
            part("Huyện ủy", "Châu Thành A"),
            part("Đảng ủy", "xã Tân Phú"),
            part("Đảng ủy", "xã Tân Phú Đông"),
        ];
        assert_eq!(truncated_names(&place, &g, |_, _| false), []);
        let mut two = [
            part("Đảng ủy", "Trường Đại học Kinh tế Quốc dân"),
            part("Đảng ủy", "Trường Đại học Kinh tế"),
        ];
        two[1].at = 9;
        // Named together (one sentence): two bodies.
        assert_eq!(truncated_names(&two, &g, |a, b| a.at + b.at == 9), []);
        // Named apart: the short one is the long one.
        assert_eq!(truncated_names(&two, &g, |_, _| false).len(), 1);
    }
}
