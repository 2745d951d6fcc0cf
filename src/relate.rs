//! Stage 5: relations — the meeting an article reports, who chairs, attends and speaks at it,
//! who organizes it, which documents it references, who holds which position, which body issued
//! which document, which body is part of which, who wrote the article. Every edge carries the
//! sentence it was read from.
//!
//! Clause structure decides roles: a role verb applies to the people before it in its clause
//! ("Đồng chí A, Bí thư ..., chủ trì"), or, when the verb is followed by "có" or ":", to the
//! people after it ("tham dự có các đồng chí: B, ...; C, ..."). A verb fronted before the first
//! comma ("Phát biểu kết luận, đồng chí D ...") applies to the subject after the comma.
//! Statements in the future or negated ("sẽ chủ trì", "không dự") are not facts.

use crate::article::{Analysis, Found};
use crate::extraction::{Attributes, EntityRecord, Mention, RelationRecord};
use crate::gazetteer::{Gazetteer, TitleCategory, TriggerRole, node_id};
use crate::lexicon::{FoldedLexicon, Lexicon, StartCursor};
use crate::recognize::meta::{article_year, parse_date};
use crate::text::slug;
use crate::token::TokenKind;
use crate::types::{EntityKind, Evidence, Recognizer, RelationKind};
use rustc_hash::FxHashSet as HashSet;
use std::collections::BTreeSet;

/// What the relation stage adds: new entities (meetings, articles with bylines, issuers) and
/// the facts.
pub(crate) struct Related {
    pub extra_entities: Vec<EntityRecord>,
    pub relations: Vec<RelationRecord>,
}

/// A trigger phrase found in the article.
#[derive(Debug, Clone)]
struct Hit<'l> {
    start: usize,
    end: usize,
    /// The phrase's roles, borrowed from the lexicon unless some were dropped.
    roles: std::borrow::Cow<'l, [TriggerRole]>,
}

/// Words after "dự" that make it another word ("dự thảo", "dự án", "dự kiến").
const NOT_ATTEND_AFTER: &[&str] = &[
    "thảo", "án", "kiến", "báo", "toán", "trữ", "khuyết", "bị", "thi", "phòng", "định", "tính",
    "thao", "an", "kien", "bao", "toan", "tru", "khuyet", "bi", "phong", "dinh", "tinh",
];

fn find_hits<'l>(an: &Analysis<'_>, lx: &'l FoldedLexicon) -> Vec<Hit<'l>> {
    let mut out = Vec::new();
    // Meeting nouns are looked up on their own, so "tổ chức hội nghị" gives both a verb and a
    // meeting. Only the words phrases start with are looked at (`an.starts`), in order, each
    // past the phrase found before it.
    let n = an.tokens.len();
    let mut next = StartCursor::new(&an.starts.meetings);
    let mut i = 0;
    while let Some(k) = next.next_from(i, n) {
        i = k + 1;
        if let Some((e, roles)) = lx.meetings.longest_at(&an.tokens, &an.norm, k) {
            out.push(Hit {
                start: k,
                end: e,
                roles: std::borrow::Cow::Borrowed(roles.as_slice()),
            });
            i = e;
        }
    }
    let mut next = StartCursor::new(&an.starts.triggers);
    let mut i = 0;
    while let Some(k) = next.next_from(i, n) {
        i = k;
        if let Some((e, roles)) = lx.triggers.longest_at(&an.tokens, &an.norm, i) {
            if inside_a_name(an, lx, i, e) {
                i = e;
                continue;
            }
            let mut roles = std::borrow::Cow::Borrowed(roles.as_slice());
            if matches!(an.t(e - 1), "dự" | "du") && NOT_ATTEND_AFTER.contains(&an.t(e)) {
                roles.to_mut().retain(|r| *r != TriggerRole::Attend);
            }
            if !roles.is_empty() {
                out.push(Hit {
                    start: i,
                    end: e,
                    roles,
                });
            }
            i = e;
        } else {
            i += 1;
        }
    }
    out.sort_by_key(|h| (h.start, h.end));
    out
}

/// Pattern: a trigger word that is part of a name is not a trigger: "Trưởng Ban Chỉ đạo ..."
/// (a title), "Ban Chỉ đạo", "Ban Tổ chức" (a body after "Ban"), "Chương trình hành động thực
/// hiện ..." (inside a document's or body's mention).
fn inside_a_name(an: &Analysis<'_>, lx: &FoldedLexicon, start: usize, end: usize) -> bool {
    if start > 0 && matches!(an.t(start - 1), "ban") && an.tokens[start - 1].is_capitalized() {
        return true;
    }
    let from = start.saturating_sub(6);
    (from..start).any(|k| {
        lx.titles
            .longest_at(&an.tokens, &an.norm, k)
            .is_some_and(|(e, _)| e >= end)
            || an.starting_at(k).any(|f| {
                f.tok.1 >= end && !matches!(f.kind, EntityKind::Person | EntityKind::Place)
            })
    })
}

/// The evidence of a fact: its sentence, or for a very long "sentence" (a list of thousands
/// of names, a page without full stops) the stretch of at most [`EVIDENCE_WINDOW`] tokens
/// around the fact, so evidence stays proportional to the fact, not to the text.
fn evidence_around(an: &Analysis<'_>, s: (usize, usize), fact: (usize, usize)) -> Evidence {
    let (mut a, mut b) = s;
    if b - a > EVIDENCE_WINDOW {
        let half = EVIDENCE_WINDOW / 2;
        a = a.max(fact.0.saturating_sub(half));
        b = b.min(fact.1 + half).max(a + 1);
    }
    Evidence::new(an.doc, an.span(a, b), an.original)
}

/// The most tokens of evidence kept for one fact.
const EVIDENCE_WINDOW: usize = 120;

/// The people of the article (not reference-only), by first token.
fn people<'b>(an: &'b Analysis<'_>) -> Vec<&'b Found> {
    let mut v: Vec<&Found> = an
        .found
        .iter()
        .filter(|f| f.kind == EntityKind::Person && !f.reference_only)
        .collect();
    v.sort_by_key(|f| (f.tok.0, std::cmp::Reverse(f.tok.1)));
    v.dedup_by_key(|f| f.tok.0);
    v
}

/// Runs the relation stage.
pub(crate) fn relate(an: &mut Analysis<'_>, g: &Gazetteer, lex: &Lexicon) -> Related {
    let lx = lex.get(an.norm.fold());
    an.index_found();
    let hits = find_hits(an, lx);
    let mut rel = Related {
        extra_entities: Vec::new(),
        relations: Vec::new(),
    };
    positions(an, g, lx, &mut rel);
    let meeting = main_meeting(an, &hits);
    if let Some(m) = &meeting {
        roles(an, lx, &hits, m, &mut rel);
        organizers(an, lx, &hits, m, &mut rel);
        references(an, m, &mut rel);
        rel.extra_entities.push(m.record.clone());
    }
    issued_and_part_of(an, g, &mut rel);
    authored(an, &mut rel);
    // One record per (source, target, kind, title, evidence start).
    let keep: Vec<bool> = {
        let mut seen = HashSet::default();
        rel.relations
            .iter()
            .map(|r| {
                seen.insert((
                    r.source.as_str(),
                    r.target.as_str(),
                    r.kind,
                    r.title.as_deref(),
                    r.evidence.start,
                ))
            })
            .collect()
    };
    if keep.contains(&false) {
        let mut keep = keep.into_iter();
        rel.relations.retain(|_| keep.next().unwrap_or(true));
    }
    rel
}

/// The meeting an article reports on.
struct Meeting {
    id: String,
    date: Option<String>,
    /// The sentence that reports it (token range).
    key: (usize, usize),
    record: EntityRecord,
}

/// Verbs that say a meeting took place (not only that it is planned or mentioned).
const HAPPENED: &[&str] = &[
    "tổ", "diễn", "khai", "họp", "chủ", "tham", "to", "dien", "khai", "hop", "chu", "tham",
];

/// Meeting words that are verbs themselves: "Tổ công tác làm việc với ...", "Ban Thường vụ họp
/// ..." say the meeting took place.
const VERBAL_MEETINGS: &[&str] = &["làm", "lam", "họp", "hop"];

fn main_meeting(an: &Analysis<'_>, hits: &[Hit<'_>]) -> Option<Meeting> {
    let meeting_hits: Vec<&Hit<'_>> = hits
        .iter()
        .filter(|h| h.roles.contains(&TriggerRole::Meeting))
        .collect();
    if meeting_hits.is_empty() {
        return None;
    }
    // The key sentence: the first with a meeting noun and a verb saying it took place (organize,
    // chair, attend, "diễn ra"), not in the future, not "tiến tới", "chào mừng".
    let mut key: Option<((usize, usize), &Hit<'_>)> = None;
    // A meeting is reported near the top: look at the first few hundred meeting words only.
    for h in meeting_hits.iter().take(200) {
        let s = an.sentence_of(h.start);
        let passing = h.start >= 2
            && matches!(
                (an.t(h.start - 2), an.t(h.start - 1)),
                ("tiến", "tới")
                    | ("chào", "mừng")
                    | ("hướng", "tới")
                    | ("tien", "toi")
                    | ("chao", "mung")
                    | ("huong", "toi")
            );
        if passing {
            continue;
        }
        let (v0, v1) = (
            hits.partition_point(|v| v.start < s.0),
            hits.partition_point(|v| v.start < s.1),
        );
        let verbs = hits[v0..v1].iter().any(|v| {
            v.end <= s.1
                && (v.roles.iter().any(|r| {
                    matches!(
                        r,
                        TriggerRole::Organize | TriggerRole::Chair | TriggerRole::Attend
                    )
                }) || HAPPENED.contains(&an.t(v.start))
                    && !v.roles.contains(&TriggerRole::Meeting)
                    || VERBAL_MEETINGS.contains(&an.t(v.start))
                        && v.roles.contains(&TriggerRole::Meeting))
                && !modal_before(an, hits, v.start)
        }) || (s.0..s.1).any(|k| {
            matches!(
                (an.t(k), an.t(k + 1)),
                ("diễn", "ra") | ("dien", "ra") | ("khai", "mạc") | ("khai", "mac")
            ) && !modal_before(an, hits, k)
        });
        if verbs {
            key = Some((s, h));
            break;
        }
    }
    let (key, hit) = match key {
        Some(k) => k,
        None => {
            // A headline naming a meeting ("Hội nghị giao ban ...") still reports it.
            let h = meeting_hits.first()?;
            let s = an.sentence_of(h.start);
            let first_line = an
                .tokens
                .iter()
                .position(|t| t.kind == TokenKind::Newline)
                .unwrap_or(an.tokens.len());
            if h.start > first_line || h.start != s.0 {
                return None;
            }
            (s, *h)
        }
    };
    let meeting_type = an.orig(hit.start, hit.end).to_lowercase();
    // Title: the headline when it names a meeting, else the phrase in the key sentence.
    let first_line_end = an
        .tokens
        .iter()
        .position(|t| t.kind == TokenKind::Newline)
        .unwrap_or(an.tokens.len());
    let headline_hit = meeting_hits.iter().find(|h| {
        h.start < first_line_end.min(40) && an.sentence_of(h.start).0 == 0
            || (h.start < first_line_end && h.start == an.sentence_of(h.start).0 && h.start < 12)
    });
    let title = match headline_hit {
        Some(h) => {
            let s = an.sentence_of(h.start);
            clean(an.orig(h.start, s.1))
        }
        None => {
            let mut e = hit.end;
            let ends_title = |e: usize| {
                matches!(an.t(e), "." | ";" | "\"" | "do" | "tại" | "tai")
                    || an.t(e) == ","
                        && matches!(
                            an.t(e + 1),
                            "đồng"
                                | "ông"
                                | "bà"
                                | "do"
                                | "với"
                                | "tại"
                                | "dong"
                                | "ong"
                                | "ba"
                                | "voi"
                                | "tai"
                        )
            };
            while e < key.1 && !ends_title(e) {
                e += 1;
            }
            clean(an.orig(hit.start, e))
        }
    };
    let title = title.trim_end_matches(['.', ',', ':', ';']).to_string();
    // Date: in the key sentence, else in the sentence before it (a dateline of its own).
    let year = article_year(an).or_else(|| period_year(an));
    let date = date_in(an, key, year).or_else(|| {
        let k = an.sentences.iter().position(|s| *s == key)?;
        let prev = *an.sentences.get(k.checked_sub(1)?)?;
        if prev.1 - prev.0 <= 8 {
            date_in(an, prev, year)
        } else {
            None
        }
    });
    let place = place_in(an, key);
    let id = format!("meeting:{}-1", slug(an.doc));
    let record = EntityRecord {
        id: id.clone(),
        kind: EntityKind::Meeting,
        label: title.clone(),
        aliases: BTreeSet::new(),
        attrs: Attributes {
            date: date.clone(),
            meeting_type: Some(meeting_type),
            place,
            ..Attributes::default()
        },
        mentions: vec![Mention {
            doc: an.doc.to_string(),
            start: an.tokens[hit.start].span.start,
            end: an.tokens[hit.end - 1].span.end,
            text: an.orig(hit.start, hit.end).to_string(),
            recognizer: Recognizer::Meeting,
            confidence: 0.8,
            reference_only: false,
        }],
    };
    Some(Meeting {
        id,
        date,
        key,
        record,
    })
}

/// A year from an explicit period in the text ("quý III/2022", "năm 2017").
fn period_year(an: &Analysis<'_>) -> Option<u32> {
    (0..an.tokens.len().min(400)).find_map(|k| {
        let t = an.tokens[k];
        if t.kind == TokenKind::Number && t.fe - t.fs == 4 {
            let y: u32 = an.t(k).parse().ok()?;
            let prev = if k > 0 { an.t(k - 1) } else { "" };
            if (1990..=2100).contains(&y) && matches!(prev, "/" | "năm" | "nam") {
                return Some(y);
            }
        }
        None
    })
}

fn date_in(an: &Analysis<'_>, s: (usize, usize), year: Option<u32>) -> Option<String> {
    for k in s.0..s.1 {
        let prev = if k > 0 { an.t(k - 1) } else { "" };
        let dated = matches!(
            prev,
            "ngày" | "ngay" | "sáng" | "chiều" | "tối" | "trưa" | "sang" | "chieu" | "toi" | "trua"
        ) || k == s.0;
        if !dated {
            continue;
        }
        if let Some(d) = parse_date(an, k)
            && d.day.is_some()
        {
            return d.iso(year);
        }
    }
    None
}

fn place_in(an: &Analysis<'_>, s: (usize, usize)) -> Option<String> {
    for k in s.0..s.1 {
        if matches!(an.t(k), "tại" | "tai") && k + 1 < s.1 {
            // A gazetteer place right after "tại".
            if let Some(f) = an
                .found
                .iter()
                .find(|f| f.kind == EntityKind::Place && f.tok.0 == k + 1)
            {
                return Some(f.name.clone());
            }
            let t = an.tokens[k + 1];
            if t.is_capitalized() && !matches!(an.t(k + 1), "hội" | "hoi" | "buổi" | "buoi") {
                let mut e = k + 1;
                while e < s.1
                    && an.tokens[e].kind == TokenKind::Word
                    && an.tokens[e].is_capitalized()
                {
                    e += 1;
                }
                if e - (k + 1) <= 6 {
                    return Some(clean(an.orig(k + 1, e)));
                }
            }
        }
    }
    None
}

fn clean(s: &str) -> String {
    crate::article::clean_spaces(s)
}

/// True when a future or negation word stands just before token `k` ("sẽ chủ trì").
fn modal_before(an: &Analysis<'_>, hits: &[Hit<'_>], k: usize) -> bool {
    // A future marker anywhere before the verb in its sentence ("Dự kiến, tháng 1, Thành ủy sẽ
    // tổ chức hội nghị, do đồng chí A chủ trì"); a negation right before it.
    let (s, _) = an.sentence_of(k);
    let lo = hits.partition_point(|h| h.start < s);
    let hi = hits.partition_point(|h| h.start < k);
    hits[lo..hi].iter().any(|h| {
        h.end <= k
            && (h.roles.contains(&TriggerRole::Future)
                || k - h.end <= 2 && h.roles.contains(&TriggerRole::Negation))
    }) || (k >= 1
        && matches!(
            an.t(k - 1),
            "sẽ" | "se" | "không" | "chưa" | "khong" | "chua"
        ))
}

fn role_kinds(roles: &[TriggerRole]) -> Vec<RelationKind> {
    let mut v = Vec::new();
    for r in roles {
        match r {
            TriggerRole::Chair => v.push(RelationKind::Chairs),
            TriggerRole::Attend => v.push(RelationKind::Attends),
            TriggerRole::Speak => v.push(RelationKind::SpeaksAt),
            _ => {}
        }
    }
    v
}

/// Chairs, attendees and speakers of the meeting, sentence by sentence.
fn roles(an: &Analysis<'_>, lx: &FoldedLexicon, hits: &[Hit<'_>], m: &Meeting, rel: &mut Related) {
    // A byline is not a participant.
    let bylines: Vec<(usize, usize)> = an
        .found
        .iter()
        .filter(|f| f.recognizer == Recognizer::Byline)
        .map(|f| f.tok)
        .collect();
    let ppl: Vec<&Found> = people(an)
        .into_iter()
        .filter(|p| !bylines.iter().any(|b| b.0 < p.tok.1 && p.tok.0 < b.1))
        .collect();
    let first = m.key.0;
    // Who holds which title (found before the roles): for a speaker named by title only.
    let held: Vec<(String, String, String)> = rel
        .relations
        .iter()
        .filter(|r| r.kind == RelationKind::HoldsPosition)
        .filter_map(|r| Some((r.source.clone(), r.target.clone(), r.title.clone()?)))
        .collect();
    for &s in an.sentences.iter() {
        // Hits and people are sorted by position: take this sentence's by binary search.
        let h0 = hits.partition_point(|h| h.start < s.0);
        let h1 = hits.partition_point(|h| h.start < s.1);
        if s.1 <= first && !names_the_meeting_after_a_role(&hits[h0..h1]) {
            continue;
        }
        let in_s: Vec<&Hit<'_>> = hits[h0..h1]
            .iter()
            .filter(|h| {
                h.end <= s.1
                    && h.roles.iter().any(|r| {
                        matches!(
                            r,
                            TriggerRole::Chair | TriggerRole::Attend | TriggerRole::Speak
                        )
                    })
            })
            .collect();
        if in_s.is_empty() {
            continue;
        }
        let p0 = ppl.partition_point(|p| p.tok.0 < s.0);
        let p1 = ppl.partition_point(|p| p.tok.0 < s.1);
        let persons: Vec<&&Found> = ppl[p0..p1].iter().filter(|p| p.tok.1 <= s.1).collect();
        // No one named: only a speaker named by title may be here ("đồng chí Bí thư ...").
        if persons.is_empty()
            && (held.is_empty() || !(s.0..s.1).any(|x| matches!(an.t(x), "chí" | "chi")))
        {
            continue;
        }
        let records = std::cell::RefCell::new(Vec::new());
        let push_at = |id: String, tok: (usize, usize), kinds: &[RelationKind]| {
            let ev = evidence_around(an, s, tok);
            for &k in kinds {
                records.borrow_mut().push(RelationRecord {
                    source: id.clone(),
                    target: m.id.clone(),
                    kind: k,
                    title: None,
                    date: m.date.clone(),
                    evidence: ev.clone(),
                });
            }
        };
        let push = |p: &Found, kinds: &[RelationKind]| push_at(p.id(), p.tok, kinds);
        let push_id = |id: &str, kinds: &[RelationKind]| push_at(id.to_string(), s, kinds);
        // Verbs joined by "và" share their subject: "dự và chủ trì", "dự và phát biểu".
        let mut groups: Vec<(usize, usize, Vec<RelationKind>)> = Vec::new();
        for h in &in_s {
            if modal_before(an, hits, h.start) {
                continue;
            }
            let kinds = role_kinds(&h.roles);
            if let Some(last) = groups.last_mut()
                && (h.start == last.1 || joined_by_va(an, last.1, h.start))
            {
                last.1 = h.end;
                for k in kinds {
                    if !last.2.contains(&k) {
                        last.2.push(k);
                    }
                }
                continue;
            }
            groups.push((h.start, h.end, kinds));
        }
        let mut clause_start = s.0;
        for (gi, (gs, ge, kinds)) in groups.iter().enumerate() {
            let cs = clause_before(an, &persons, clause_start, *gs);
            let next_group = groups.get(gi + 1).map(|g| g.0).unwrap_or(s.1);
            let speaks = kinds.contains(&RelationKind::SpeaksAt);
            let (post, k) = list_after(an, *gs, *ge, next_group, speaks);
            let before: Vec<&&&Found> = persons
                .iter()
                .filter(|p| p.tok.0 >= cs && p.tok.1 <= *gs)
                .collect();
            let mut list_end = *ge;
            if post {
                let mut after: Vec<&&&Found> = persons
                    .iter()
                    .filter(|p| p.tok.0 > k && p.tok.1 <= next_group)
                    .collect();
                // "phát biểu của đồng chí A": one person, named within a title's length.
                let after_su = gs
                    .checked_sub(1)
                    .is_some_and(|b| matches!(an.t(b), "sự" | "su"));
                if matches!(an.t(k), "của" | "cua") && !after_su {
                    after.retain(|p| p.tok.0 <= k + 8);
                    after.truncate(1);
                }
                for p in after {
                    list_end = list_end.max(p.tok.1);
                    push(p, kinds);
                }
            } else if !before.is_empty() {
                // The subject: people before the verb, not inside a "cùng ..." or list of others.
                for p in before {
                    push(p, kinds);
                }
            } else if let Some(pid) = titled_subject(an, lx, &held, cs, *gs) {
                push_id(&pid, kinds);
            } else {
                // Fronted verb: "Phát biểu kết luận hội nghị, đồng chí A ...", "..., đồng chí
                // Bí thư Tỉnh ủy A ...", "..., đồng chí Bí thư Tỉnh ủy nhấn mạnh".
                let comma = (*ge..next_group).find(|&x| an.t(x) == ",");
                if let Some(c) = comma {
                    if let Some(p) = persons.iter().find(|p| {
                        p.tok.0 > c && (p.tok.0 <= c + 4 || titles_only(an, lx, c + 1, p.tok.0))
                    }) {
                        push(p, kinds);
                    } else {
                        let verb = hits
                            .iter()
                            .find(|h| h.start > c && h.start <= next_group.max(c + 1) + 12)
                            .map(|h| h.start);
                        if let Some(v) = verb
                            && let Some(pid) = titled_subject(an, lx, &held, c + 1, v)
                        {
                            push_id(&pid, kinds);
                        }
                    }
                }
            }
            // The next verb's subject comes after this verb, and after the list it took.
            clause_start = list_end;
        }
        rel.relations.extend(records.into_inner());
    }
}

/// Pattern: two role verbs joined by "và" and adverbs share their subject: "dự và chủ trì",
/// "chủ trì và trực tiếp thông tin", "dự và cùng phát biểu". Tokens `[a, b)` lie between them.
fn joined_by_va(an: &Analysis<'_>, a: usize, b: usize) -> bool {
    if b <= a || !matches!(an.t(a), "và" | "va") {
        return false;
    }
    let adverbs = (a + 1..b).map(|k| an.t(k)).collect::<Vec<_>>();
    match adverbs.as_slice() {
        [] => true,
        ["trực" | "truc", "tiếp" | "tiep"] => true,
        [one] => matches!(*one, "cùng" | "cung" | "đã" | "da"),
        _ => false,
    }
}

/// True when tokens `[a, b)` are only a form of address and titles with their bodies ("đồng
/// chí Bí thư Tỉnh ủy" before a name).
fn titles_only(an: &Analysis<'_>, lx: &FoldedLexicon, a: usize, b: usize) -> bool {
    let mut k = a;
    while k < b {
        if let Some((e, _)) = lx.titles.longest_at(&an.tokens, &an.norm, k)
            && e <= b
        {
            k = e;
        } else if let Some(f) = an
            .starting_at(k)
            .filter(|f| f.kind == EntityKind::Committee && f.tok.1 <= b)
            .max_by_key(|f| f.tok.1)
        {
            k = f.tok.1;
        } else {
            return false;
        }
    }
    true
}

/// Pattern: a speaker named by title only, "đồng chí Phó Bí thư Thường trực Tỉnh ủy đề nghị
/// ...", "đồng chí Bí thư Huyện ủy nhấn mạnh": the one person of the article who holds that
/// title (in that kind of body when the title names one, `held` = (person, body, title)). The
/// title follows "đồng chí" at the start of the clause `[cs, gs)` and ends right before the
/// verb at `gs` ("đã", "cũng" between them at most).
fn titled_subject(
    an: &Analysis<'_>,
    lx: &FoldedLexicon,
    held: &[(String, String, String)],
    cs: usize,
    gs: usize,
) -> Option<String> {
    let x =
        (cs..gs).find(|&x| matches!((an.t(x), an.t(x + 1)), ("đồng", "chí") | ("dong", "chi")))?;
    if x > cs + 1 {
        return None;
    }
    let mut end = gs;
    while end > x + 2 && matches!(an.t(end - 1), "đã" | "da" | "cũng" | "cung") {
        end -= 1;
    }
    let (te, info) = lx.titles.longest_at(&an.tokens, &an.norm, x + 2)?;
    if info.category == TitleCategory::Honorific || te > end {
        return None;
    }
    // The body after the title, as written: "Tỉnh ủy", "Huyện ủy".
    let body = if te < end {
        let f = an
            .starting_at(te)
            .filter(|f| f.kind == EntityKind::Committee && f.tok.1 == end)
            .max_by_key(|f| f.tok.1)?;
        Some(f.id())
    } else {
        None
    };
    let title = slug(&info.canonical);
    let mut who: Vec<&str> = held
        .iter()
        .filter(|(_, org, t)| {
            let t = slug(t);
            let same_body = |org: &str| {
                body.as_deref().is_none_or(|b| {
                    b == org
                        || b.contains("--") && org.starts_with(b.split("--").next().unwrap_or(b))
                })
            };
            // "Phó Bí thư Thường trực Tỉnh ủy" (one title) is "Phó Bí thư Thường trực" of a
            // Tỉnh ủy.
            t == title && same_body(org)
                || title
                    .strip_prefix(t.as_str())
                    .and_then(|r| r.strip_prefix('-'))
                    .is_some_and(|r| org.contains(r))
        })
        .map(|(p, _, _)| p.as_str())
        .collect();
    who.sort_unstable();
    who.dedup();
    match who.as_slice() {
        [one] => Some(one.to_string()),
        _ => None,
    }
}

/// Pattern: a sentence before the key sentence (a lead quote, a summary above the report)
/// speaks of the meeting reported when a meeting noun follows its role verb: "... là nội dung
/// trong phát biểu kết luận của đồng chí A tại hội nghị Ban Chấp hành lần thứ 25".
fn names_the_meeting_after_a_role(hits: &[Hit<'_>]) -> bool {
    // From the end: the latest start of a meeting noun after each hit (one pass, not a scan of
    // the rest of the sentence per hit).
    let mut latest_meeting: Option<usize> = None;
    for h in hits.iter().rev() {
        let role = h.roles.iter().any(|r| {
            matches!(
                r,
                TriggerRole::Chair | TriggerRole::Speak | TriggerRole::Attend
            )
        });
        if role && latest_meeting.is_some_and(|m| m >= h.end) {
            return true;
        }
        if h.roles.contains(&TriggerRole::Meeting) {
            latest_meeting = Some(latest_meeting.map_or(h.start, |m| m.max(h.start)));
        }
    }
    false
}

/// Pattern: where the subject of a role verb at `gs` begins. The clause is cut at the last ';'
/// before the verb, unless the list before it goes on across semicolons: "Các đồng chí: A,
/// Ủy viên Bộ Chính trị; Bí thư ...; B, ...; C, ... đồng chủ trì" (each segment before a ';'
/// names a person or goes on with titles). Never before `clause_start` (the previous verb).
fn clause_before(an: &Analysis<'_>, persons: &[&&Found], clause_start: usize, gs: usize) -> usize {
    let semis: Vec<usize> = (clause_start..gs).filter(|&k| an.t(k) == ";").collect();
    let Some(&last) = semis.last() else {
        return clause_start;
    };
    // The segment after the last ';' must itself name the subject for the list to go on.
    // `persons` are sorted by their first token: look only at those that begin in `[a, b)`.
    let names = |a: usize, b: usize| {
        let i = persons.partition_point(|p| p.tok.0 < a);
        persons[i..]
            .iter()
            .take_while(|p| p.tok.0 < b)
            .any(|p| p.tok.1 <= b)
    };
    if !names(last + 1, gs) {
        return last + 1;
    }
    let mut cs = last + 1;
    for w in (0..semis.len()).rev() {
        let seg_start = if w == 0 {
            clause_start
        } else {
            semis[w - 1] + 1
        };
        if names(seg_start, semis[w]) || starts_with_title(an, seg_start) {
            cs = seg_start;
        } else {
            break;
        }
    }
    cs
}

/// True when the words at `k` are a title ("Bí thư Trung ương Đảng" going on a list of titles).
fn starts_with_title(an: &Analysis<'_>, k: usize) -> bool {
    let w = an.t(k);
    matches!(
        w,
        "bí" | "bi"
            | "phó"
            | "pho"
            | "ủy"
            | "uy"
            | "trưởng"
            | "truong"
            | "chủ"
            | "chu"
            | "thường"
            | "thuong"
            | "giám"
            | "giam"
            | "tổng"
            | "tong"
            | "chánh"
            | "chanh"
            | "đại"
            | "dai"
    ) && an.tokens[k].is_capitalized()
}

/// Pattern: a role verb followed by its list ("post" mode): "tham dự (hội nghị) có (các đồng
/// chí):", "chủ trì hội nghị là", "dưới sự chủ trì của (đồng chí) A, ... và các đồng chí: B,
/// ...", and a speech named as a noun: "(trong) phát biểu kết luận của đồng chí A". Returns
/// whether the verb `[gs, ge)` takes the people after it, and where the list
/// begins.
fn list_after(
    an: &Analysis<'_>,
    gs: usize,
    ge: usize,
    next_group: usize,
    speaks: bool,
) -> (bool, usize) {
    // "(dưới|với) sự chủ trì của": the people after "của".
    if matches!(an.t(ge), "của" | "cua")
        && ge < next_group
        && gs >= 1
        && matches!(an.t(gs - 1), "sự" | "su")
    {
        return (true, ge);
    }
    // A speech as a noun: "phát biểu (kết luận) của", "kết luận của" and the one person named
    // right after (a title between them at most).
    if speaks
        && matches!(an.t(ge), "của" | "cua")
        && matches!(an.t(gs), "phát" | "phat" | "kết" | "ket")
        && ge < next_group
    {
        return (true, ge);
    }
    let mut k = ge;
    while k < next_group
        && k < ge + 4
        && !matches!(an.t(k), "có" | "co" | ":" | "là" | "la" | "," | ";")
    {
        k += 1;
    }
    (
        k < next_group && matches!(an.t(k), "có" | "co" | ":" | "là" | "la"),
        k,
    )
}

/// True when tokens `[a, b)` between a subject and its verb are only adverbs ("đã", "vừa"), an
/// abbreviation in parentheses ("(EVNNPC)") or a place apposition (", tỉnh Ninh Bình").
fn subject_gap(an: &Analysis<'_>, lx: &FoldedLexicon, a: usize, b: usize) -> bool {
    let mut k = a;
    while k < b {
        let w = an.t(k);
        if matches!(
            w,
            "đã" | "vừa"
                | "long"
                | "trọng"
                | "thể"
                | "da"
                | "vua"
                | "trong"
                | "the"
                | "cũng"
                | "cung"
                | "mới"
                | "moi"
                | "đồng"
                | "thời"
                | "dong"
                | "thoi"
        ) {
            k += 1;
        } else if matches!(w, "chủ" | "chu")
            && matches!(an.t(k + 1), "trì" | "tri")
            && k + 2 < b
            && matches!(an.t(k + 2), "," | "và" | "va")
        {
            // "X đã chủ trì, tổ chức ...", "X chủ trì và tổ chức ...": the same subject.
            k += 3;
        } else if w == "(" {
            match (k + 1..b.min(k + 6)).find(|&x| an.t(x) == ")") {
                Some(c) => k = c + 1,
                None => return false,
            }
        } else if w == "," && lx.units.longest_at(&an.tokens, &an.norm, k + 1).is_some() {
            let (ue, _) = lx
                .units
                .longest_at(&an.tokens, &an.norm, k + 1)
                .unwrap_or((k + 2, &""));
            k = ue;
            while k < b && an.tokens[k].is_capitalized() {
                k += 1;
            }
        } else {
            return false;
        }
    }
    true
}

/// Committees that organize the meeting: "X (đã|vừa) tổ chức", "do X tổ chức".
fn organizers(
    an: &Analysis<'_>,
    lx: &FoldedLexicon,
    hits: &[Hit<'_>],
    m: &Meeting,
    rel: &mut Related,
) {
    let key_index = an.sentences.partition_point(|s| s.1 <= m.key.0);
    for (hi, h) in hits
        .iter()
        .enumerate()
        .filter(|(_, h)| h.roles.contains(&TriggerRole::Organize))
    {
        let s = an.sentence_of(h.start);
        if s != m.key && !organizes_a_meeting_in_the_lead(an, hits, hi, key_index) {
            continue;
        }
        if modal_before(an, hits, h.start) {
            continue;
        }
        // The committee ending just before the verb, with up to three words between
        // ("đã", "vừa", "long trọng"), or after "do".
        let mut best: Option<&Found> = None;
        for f in an.found.iter().filter(|f| f.kind == EntityKind::Committee) {
            if f.tok.1 <= h.start && h.start - f.tok.1 <= 12 && f.tok.0 >= s.0 {
                let between_ok = subject_gap(an, lx, f.tok.1, h.start);
                if between_ok
                    && best.is_none_or(|b| {
                        f.tok.1 > b.tok.1 || f.tok.1 == b.tok.1 && f.tok.0 < b.tok.0
                    })
                {
                    best = Some(f);
                }
            }
        }
        let found = best
            .map(|f| (f.id(), f.tok))
            .or_else(|| place_subject(an, s, h.start));
        if let Some((id, tok)) = found {
            rel.relations.push(RelationRecord {
                source: id,
                target: m.id.clone(),
                kind: RelationKind::Organizes,
                title: None,
                date: m.date.clone(),
                evidence: evidence_around(an, s, tok),
            });
        }
    }
}

/// Pattern: a place as the subject of the organize verb at `at` ("Sáng 30/3, Đô Lương tổ
/// chức hội nghị ...", "Ngày 5/6, Yên Phong đã tổ chức ...") stands for its party committee,
/// when the article names that committee ("Huyện ủy Đô Lương"). The place opens the sentence
/// or the clause after a comma; only "đã", "vừa" stand between it and the verb.
fn place_subject(
    an: &Analysis<'_>,
    s: (usize, usize),
    at: usize,
) -> Option<(String, (usize, usize))> {
    let mut e = at;
    while e > s.0 && matches!(an.t(e - 1), "đã" | "vừa" | "da" | "vua") {
        e -= 1;
    }
    let mut p = e;
    while p > s.0 && e - p < 4 && an.tokens[p - 1].is_capitalized() {
        p -= 1;
    }
    if p == e || p > s.0 && an.t(p - 1) != "," {
        return None;
    }
    let folded = &an.norm.as_str()[an.tokens[p].fs as usize..an.tokens[e - 1].fe as usize];
    let part = an
        .name_parts
        .iter()
        .filter(|np| crate::lexicon::unit_of_body(np.body).is_some() && np.folded == folded)
        .min_by_key(|np| np.at)?;
    let name = crate::recognize::committees::compose(part.body, &part.name);
    let f = an
        .found
        .iter()
        .find(|f| f.kind == EntityKind::Committee && f.name == name)?;
    Some((f.id(), (p, e)))
}

/// How many sentences after the key sentence still belong to the lead of the report.
const LEAD_SENTENCES: usize = 3;

/// Pattern: the organize verb `hits[i]` is followed by a meeting noun ("X đã tổ chức Hội nghị
/// ...") in the article's lead: before the key sentence (a headline can be the key sentence)
/// or at most [`LEAD_SENTENCES`] after it. The body before it organized the meeting reported.
fn organizes_a_meeting_in_the_lead(
    an: &Analysis<'_>,
    hits: &[Hit<'_>],
    i: usize,
    key_index: usize,
) -> bool {
    let h = &hits[i];
    let s = an.sentence_of(h.start);
    let index = an.sentences.partition_point(|x| x.1 <= s.0);
    if index > key_index + LEAD_SENTENCES {
        return false;
    }
    hits[i + 1..]
        .iter()
        .take_while(|m| m.start <= h.end + 2)
        .any(|m| m.roles.contains(&TriggerRole::Meeting) && m.start > h.start && m.end <= s.1)
}

/// Documents the meeting referenced: every resolution named after the headline, except those
/// only inside a person's title or another document's quoted subject.
fn references(an: &Analysis<'_>, m: &Meeting, rel: &mut Related) {
    let first_line_end = an
        .tokens
        .iter()
        .position(|t| t.kind == TokenKind::Newline)
        .unwrap_or(0);
    for f in an
        .found
        .iter()
        .filter(|f| f.kind == EntityKind::Resolution && !f.reference_only)
    {
        if f.tok.0 < first_line_end && m.key.0 > first_line_end {
            continue;
        }
        // Background, not business: "được thành lập theo Quyết định ...", "so với Chỉ thị ...".
        let before = f.tok.0.saturating_sub(6)..f.tok.0;
        let background = before.clone().any(|k| {
            matches!(
                (an.t(k), an.t(k + 1)),
                ("thành", "lập") | ("thanh", "lap") | ("so", "với") | ("so", "voi")
            )
        });
        if background {
            continue;
        }
        let s = an.sentence_of(f.tok.0);
        rel.relations.push(RelationRecord {
            source: m.id.clone(),
            target: f.id(),
            kind: RelationKind::References,
            title: None,
            date: m.date.clone(),
            evidence: evidence_around(an, s, f.tok),
        });
    }
}

/// `issued_by` from a resolution's issuer, `part_of` from a committee's parent.
fn issued_and_part_of(an: &Analysis<'_>, g: &Gazetteer, rel: &mut Related) {
    let known: HashSet<std::borrow::Cow<'_, str>> = an.found.iter().map(|f| f.id_ref()).collect();
    let mut added: HashSet<String> = HashSet::default();
    let scope = format!("--{}", slug(an.doc));
    let mut ensure = |name: &str, rel: &mut Related| -> Option<String> {
        let id = node_id(EntityKind::Committee, name);
        // A body the article names by its kind only ("Tỉnh ủy" of an article that never names
        // the province) is its own, scoped one: the parent of its sub-bodies.
        let scoped = format!("{id}{scope}");
        if known.contains(scoped.as_str()) {
            return Some(scoped);
        }
        if known.contains(id.as_str()) || added.contains(&id) {
            return Some(id);
        }
        // A body the gazetteer knows, named only through a code or a parent link.
        let ei = g.find_index(EntityKind::Committee, name)?;
        let e = g.entry(ei);
        let id = g.entry_id(ei).to_string();
        if !known.contains(id.as_str()) && added.insert(id.clone()) {
            rel.extra_entities.push(EntityRecord {
                id: id.clone(),
                kind: EntityKind::Committee,
                label: e.name.clone(),
                aliases: BTreeSet::new(),
                attrs: Attributes {
                    level: e.attr("level").map(String::from),
                    parent: e.attr("parent").map(String::from),
                    ..Attributes::default()
                },
                mentions: Vec::new(),
            });
        }
        Some(id)
    };
    let mut seen = HashSet::default();
    for f in &an.found {
        let (target_name, kind) = match f.kind {
            EntityKind::Resolution => match &f.attrs.issuer {
                Some(i) => (i.clone(), RelationKind::IssuedBy),
                None => continue,
            },
            EntityKind::Committee => match &f.attrs.parent {
                Some(p) => (p.clone(), RelationKind::PartOf),
                None => continue,
            },
            _ => continue,
        };
        let src = f.id();
        if !seen.insert((src.clone(), kind)) {
            continue;
        }
        let Some(target) = ensure(&target_name, rel) else {
            continue;
        };
        if target == src {
            continue;
        }
        let s = an.sentence_of(f.tok.0);
        rel.relations.push(RelationRecord {
            source: src,
            target,
            kind,
            title: None,
            date: f.attrs.date.clone(),
            evidence: evidence_around(an, s, f.tok),
        });
    }
}

/// The byline: `authored` from each author to the article's document node.
fn authored(an: &Analysis<'_>, rel: &mut Related) {
    if an.info.authors.is_empty() {
        return;
    }
    let doc_node = format!("document:{}", slug(an.doc));
    rel.extra_entities.push(EntityRecord {
        id: doc_node.clone(),
        kind: EntityKind::Document,
        label: an.info.title.clone().unwrap_or_else(|| an.doc.to_string()),
        aliases: BTreeSet::new(),
        attrs: Attributes {
            date: an.info.date.clone(),
            ..Attributes::default()
        },
        mentions: Vec::new(),
    });
    for f in an
        .found
        .iter()
        .filter(|f| f.recognizer == Recognizer::Byline)
    {
        let s = an.sentence_of(f.tok.0);
        rel.relations.push(RelationRecord {
            source: f.id(),
            target: doc_node.clone(),
            kind: RelationKind::Authored,
            title: None,
            date: an.info.date.clone(),
            evidence: evidence_around(an, s, f.tok),
        });
    }
}

/// A title in a chain after (or before) a person: its canonical form and the body it names.
struct TitleItem {
    title: String,
    category: TitleCategory,
    org: Option<String>,
    /// The body the title implies (`titles.tsv` column 4) when it is the org: it gets a node.
    implied: Option<String>,
    end: usize,
}

/// Parses a chain of titles starting at token `k`: "Ủy viên Ban Thường vụ, Chủ nhiệm Ủy ban
/// Kiểm tra Đảng ủy X", "UVTV, Trưởng Ban Tuyên giáo Quận ủy", "Bí thư Đảng ủy - Viện trưởng
/// Viện X". Items without a body take the body of the next item that has one.
fn title_chain(
    an: &mut Analysis<'_>,
    lx: &FoldedLexicon,
    mut k: usize,
    limit: usize,
) -> Vec<TitleItem> {
    let mut items: Vec<TitleItem> = Vec::new();
    loop {
        if k >= limit {
            break;
        }
        let Some((mut te, mut info)) = lx.titles.longest_at(&an.tokens, &an.norm, k) else {
            break;
        };
        if info.category == TitleCategory::Honorific {
            break;
        }
        // "Bí thư Đảng ủy" listed as one title: the office is "Bí thư", the body "Đảng ủy ...".
        // The standing body is not cut: "Phó Bí thư Thường trực Tỉnh ủy X" is the "Phó Bí thư
        // Thường trực" of "Tỉnh ủy X", not the "Phó Bí thư" of "Thường trực Tỉnh ủy X".
        let mut starts: Vec<usize> = (k + 1..te)
            .flat_map(|x| an.starting_at(x))
            .filter(|f| f.kind == EntityKind::Committee && f.tok.1 >= te)
            .map(|f| {
                let standing = f.name.starts_with("Thường trực ") && f.attrs.parent.is_some();
                if standing { f.tok.0 + 2 } else { f.tok.0 }
            })
            .filter(|&c| c < te)
            .collect();
        starts.sort_unstable_by(|a, b| b.cmp(a));
        for c in starts {
            if let Some((e2, i2)) = lx.titles.longest_within(&an.tokens, &an.norm, k, c)
                && e2 == c
            {
                te = e2;
                info = i2;
                break;
            }
        }
        let title = city_membership(an, k, te, &info.canonical);
        // A membership that names its body ("Ủy viên Trung ương Đảng", "Ủy viên Bộ Chính
        // trị"), else the body right after the title.
        let inner = (k + 1..te)
            .flat_map(|x| an.starting_at(x))
            .filter(|f| f.kind == EntityKind::Committee && f.tok.1 == te)
            .min_by_key(|f| f.tok.0)
            .map(|f| (f.id(), te));
        let body = inner.or_else(|| {
            an.starting_at(te)
                .filter(|f| matches!(f.kind, EntityKind::Committee | EntityKind::Organization))
                .max_by_key(|f| f.tok.1)
                .map(|f| (f.id(), f.tok.1))
        });
        // Or a sub-body that begins inside the title ("Trưởng Ban Dân vận" + "Ban Dân vận Tỉnh
        // ủy X"): the office is of its parent.
        let body = body.or_else(|| {
            (k + 1..te)
                .flat_map(|x| an.starting_at(x))
                .filter(|f| f.kind == EntityKind::Committee && f.tok.1 > te)
                .max_by_key(|f| f.tok.1)
                .and_then(|f| {
                    f.attrs
                        .parent
                        .as_ref()
                        .map(|p| (node_id(EntityKind::Committee, p), f.tok.1))
                })
        });
        let mut implied = None;
        let (org, mut end) = match body {
            Some((id, e)) => (Some(id), e),
            None => match organization_after(an, lx, te) {
                Some((id, e)) => (Some(id), e),
                None => match short_organization(an, lx, te) {
                    Some((id, e)) => (Some(id), e),
                    // "Chủ tịch nước", "Thủ tướng": the body the title implies.
                    None => match &info.body {
                        Some(b) => {
                            implied = Some(b.clone());
                            (Some(node_id(EntityKind::Organization, b)), te)
                        }
                        None => (None, te),
                    },
                },
            },
        };
        // "Bí thư Đảng ủy TKV Nguyễn Văn A": stop before a person.
        if let Some(p) = (te..end)
            .flat_map(|x| an.starting_at(x))
            .find(|f| f.kind == EntityKind::Person)
        {
            end = p.tok.0;
        }
        items.push(TitleItem {
            title,
            category: info.category,
            org,
            implied,
            end,
        });
        k = end;
        // Separators between titles: ",", "-", "–", "kiêm", "và".
        if k < limit && matches!(an.t(k), "," | "-" | "–" | "kiêm" | "kiem" | "và" | "va") {
            let next = k + 1;
            if lx
                .titles
                .longest_at(&an.tokens, &an.norm, next)
                .is_some_and(|(_, t)| t.category != TitleCategory::Honorific)
            {
                k = next;
                continue;
            }
        }
        break;
    }
    // Shared genitive: "Ủy viên Ban Thường vụ, Chủ nhiệm Ủy ban Kiểm tra Đảng ủy X". A party
    // office does not take a state body ("Phó Bí thư Thường trực, Chủ tịch HĐND tỉnh"): it is
    // left for the article's party committee (see `party_body_before`).
    // A membership of the body its title names ("Thành ủy viên, Bí thư Quận ủy X") takes only a
    // body of that kind (see `own_body`).
    for i in (0..items.len()).rev() {
        if items[i].org.is_none() {
            let office = items[i].category == TitleCategory::Office;
            let own = own_body(&items[i].title).map(own_prefix);
            items[i].org = items[i + 1..]
                .iter()
                .filter(|t| {
                    let org = t.org.as_deref();
                    match &own {
                        Some(prefix) => org.is_some_and(|o| o.starts_with(prefix.as_str())),
                        None => !office || org.is_some_and(|o| o.starts_with("committee:")),
                    }
                })
                .find_map(|t| t.org.clone());
        }
    }
    items
}

/// Pattern: a party office named with no body ("Lê Minh Giang – Phó bí thư thường trực",
/// "Phó Bí thư Thường trực, Chủ tịch HĐND tỉnh") is an office of the party committee the
/// article last named before the person ("Tỉnh ủy", "Đảng ủy X", not a sub-body such as "Ban
/// Thường vụ"), else of the first one it names after.
/// Pattern: "TUV" is "Tỉnh ủy viên" in a province and "Thành ủy viên" in a city: in an
/// article that names a Thành ủy more often than a Tỉnh ủy, the abbreviation (tokens `[k, te)`)
/// is the city's membership.
fn city_membership(an: &Analysis<'_>, k: usize, te: usize, canonical: &str) -> String {
    if canonical != "Tỉnh ủy viên" || te != k + 1 || an.t(k) != "tuv" {
        return canonical.to_string();
    }
    let (mut city, mut province) = (0usize, 0usize);
    for x in 1..an.tokens.len() {
        if matches!(an.t(x), "ủy" | "uỷ" | "uy") {
            match an.t(x - 1) {
                "thành" | "thanh" => city += 1,
                "tỉnh" | "tinh" => province += 1,
                _ => {}
            }
        }
    }
    if city > province {
        "Thành ủy viên".to_string()
    } else {
        canonical.to_string()
    }
}

/// Pattern: a membership title that names its body's kind ("Tỉnh ủy viên", "Thành ủy viên",
/// "Huyện ủy viên", "Quận ủy viên", "Thị ủy viên", "Đảng ủy viên") is held in a committee of
/// that kind: that kind ("Thành ủy"), None for other titles.
fn own_body(title: &str) -> Option<&'static str> {
    let body = title.strip_suffix(" viên")?;
    [
        "Tỉnh ủy",
        "Thành ủy",
        "Huyện ủy",
        "Quận ủy",
        "Thị ủy",
        "Đảng ủy",
    ]
    .into_iter()
    .find(|b| *b == body)
}

/// The ID prefix of the committees of a body kind: "committee:thanh-uy-" for "Thành ủy".
fn own_prefix(body: &str) -> String {
    format!("{}-", node_id(EntityKind::Committee, body))
}

/// The party committee last named before token `at` (else the first one named).
fn party_body_before(bodies: &PartyBodies, at: usize) -> Option<String> {
    let i = bodies.by_end.partition_point(|b| b.0 <= at);
    match i.checked_sub(1) {
        Some(k) => Some(bodies.by_end[k].2.clone()),
        None => bodies.first.clone(),
    }
}

/// The article's party committees (not sub-bodies), found once for [`party_body_before`]:
/// by (end token, then start token from the right) and the first one named.
struct PartyBodies {
    by_end: Vec<(usize, std::cmp::Reverse<usize>, String)>,
    first: Option<String>,
    /// (end token, ID) of every committee named, and of the parents sub-bodies name.
    named: Vec<(usize, String)>,
}

impl PartyBodies {
    fn of(an: &Analysis<'_>) -> PartyBodies {
        let bodies: Vec<&Found> = an
            .found
            .iter()
            .filter(|f| {
                f.kind == EntityKind::Committee
                    && crate::lexicon::BODIES
                        .iter()
                        .any(|b| f.name.starts_with(b) && f.name.len() > b.len())
            })
            .collect();
        let first = bodies.iter().min_by_key(|f| f.tok.0).map(|f| f.id());
        let mut by_end: Vec<(usize, std::cmp::Reverse<usize>, String)> = bodies
            .iter()
            .map(|f| (f.tok.1, std::cmp::Reverse(f.tok.0), f.id()))
            .collect();
        // Stable: of two equal spans the later mention wins, as `max_by_key` would choose.
        by_end.sort_by_key(|b| (b.0, b.1));
        // Every committee named, short forms too ("Tỉnh ủy"), and the parents sub-bodies name
        // ("Văn phòng Thành ủy X" names "Thành ủy X").
        let mut named: Vec<(usize, String)> = an
            .found
            .iter()
            .filter(|f| f.kind == EntityKind::Committee)
            .flat_map(|f| {
                let parent = f.attrs.parent.as_deref();
                std::iter::once((f.tok.1, f.id()))
                    .chain(parent.map(|p| (f.tok.1, node_id(EntityKind::Committee, p))))
            })
            .collect();
        named.sort();
        PartyBodies {
            by_end,
            first,
            named,
        }
    }

    /// The committee whose ID starts with `prefix` last named before token `at`, else the
    /// first one named after it.
    fn of_kind_before(&self, prefix: &str, at: usize) -> Option<String> {
        let of_kind = self.named.iter().filter(|b| b.1.starts_with(prefix));
        let first = of_kind.clone().next();
        of_kind
            .take_while(|b| b.0 <= at)
            .last()
            .or(first)
            .map(|b| b.1.clone())
    }
}

/// A short or generic body after a title ("Chủ tịch UBND tỉnh", "Tổng Giám đốc Tổng công ty",
/// "Hiệu trưởng Nhà trường"): the article's full name it abbreviates when there is one
/// ("Tổng công ty" → "Tổng công ty Điện lực miền Bắc"), else the words as written, as an
/// organization scoped to the article.
fn short_organization(
    an: &mut Analysis<'_>,
    lx: &FoldedLexicon,
    k: usize,
) -> Option<(String, usize)> {
    let n = an.tokens.len();
    let mut e = k;
    while e < n && e < k + 5 {
        let t = an.tokens[e];
        let stop = t.kind != TokenKind::Word
            || lx.is_name_stop(&an.tokens, e) && e > k
            || lx.triggers.longest_at(&an.tokens, &an.norm, e).is_some()
            || lx.titles.longest_at(&an.tokens, &an.norm, e).is_some()
            || an
                .found
                .iter()
                .any(|f| f.kind == EntityKind::Person && f.tok.0 == e);
        if stop {
            break;
        }
        e += 1;
    }
    if e == k {
        return None;
    }
    let mut written = clean(an.orig(k, e));
    let mut resolved_place = false;
    let key = crate::lexicon::fold_memo(&written, an.norm.fold());
    // "Chủ tịch UBND tỉnh": the province (district, commune) the article is about.
    if let Some((ue, unit)) = lx.units.longest_at(&an.tokens, &an.norm, k)
        && ue == e
    {
        let body = crate::lexicon::body_of_unit(unit).unwrap_or("");
        let prefix = format!("{unit} ");
        let place = an
            .name_parts
            .iter()
            .find(|p| p.body == body)
            .map(|p| p.name.clone())
            .or_else(|| {
                an.name_parts
                    .iter()
                    .find_map(|p| p.name.strip_prefix(&prefix).map(String::from))
            });
        if let Some(place) = place {
            written = format!("{unit} {place}");
            resolved_place = true;
        }
    }
    // An abbreviation defined in the article, or the start of a full name seen in it.
    let full = an.acronyms.get(&key).cloned().or_else(|| {
        an.name_parts
            .iter()
            .find(|p| {
                p.folded.len() > key.len()
                    && p.folded.starts_with(&key)
                    && p.folded[key.len()..].starts_with(' ')
            })
            .map(|p| p.name.clone())
    });
    let (name, id) = match full {
        Some(full) => (full.clone(), node_id(EntityKind::Organization, &full)),
        None if resolved_place => (written.clone(), node_id(EntityKind::Organization, &written)),
        None => (
            written.clone(),
            format!("organization:{}--{}", slug(&written), slug(an.doc)),
        ),
    };
    let mut f = Found::new(
        an,
        EntityKind::Organization,
        &name,
        (k, e),
        Recognizer::ShortForm,
        0.6,
    );
    f.id_override = Some(id.clone());
    an.push_found(f);
    Some((id, e))
}

/// An organization named after a government title ("Viện trưởng Viện X", "Giám đốc Sở Y").
fn organization_after(
    an: &mut Analysis<'_>,
    lx: &FoldedLexicon,
    k: usize,
) -> Option<(String, usize)> {
    let n = an.tokens.len();
    if k >= n || !an.tokens[k].is_capitalized() {
        return None;
    }
    let (oe, _) = lx.org_nouns.longest_at(&an.tokens, &an.norm, k)?;
    let mut e = oe;
    while e < n {
        let t = an.tokens[e];
        if t.kind == TokenKind::Word
            && t.is_capitalized()
            && lx.titles.longest_at(&an.tokens, &an.norm, e).is_none()
        {
            e += 1;
            if crate::recognize::committees::lower_syllable(an, lx, e) {
                e += 1;
            }
        } else if matches!(an.t(e), "-" | "và" | "va")
            && e + 1 < n
            && an.tokens[e + 1].is_capitalized()
        {
            e += 1;
        } else {
            break;
        }
    }
    if e == oe {
        return None;
    }
    // Stop before a person's name at the end.
    if let Some(p) = (k + 1..e)
        .flat_map(|x| an.starting_at(x))
        .find(|f| f.kind == EntityKind::Person)
    {
        e = p.tok.0;
    }
    if e <= oe {
        return None;
    }
    let name = clean(an.orig(k, e));
    let mut f = Found::new(
        an,
        EntityKind::Organization,
        &name,
        (k, e),
        Recognizer::CommitteeTemplate,
        0.7,
    );
    let id = f.id();
    f.id_override = Some(id.clone());
    an.push_found(f);
    Some((id, e))
}

/// After a name, the words of an appointment: "giữ chức", "làm", "đảm nhiệm", "được bầu
/// (giữ chức | làm)", "được bổ nhiệm (giữ chức | làm)", "tái đắc cử"; the token after them.
fn appointment_end(an: &Analysis<'_>, k: usize) -> usize {
    let w = |x: usize| an.t(x);
    let mut p = k;
    if matches!(w(p), "được" | "duoc") {
        p += 1;
        match (w(p), w(p + 1)) {
            ("bầu" | "bau", _) => p += 1,
            ("bổ" | "bo", "nhiệm" | "nhiem") | ("chỉ" | "chi", "định" | "dinh") => p += 2,
            _ => return k,
        }
        if matches!(w(p), "lại" | "lai") {
            p += 1;
        }
    } else if matches!((w(p), w(p + 1)), ("tái" | "tai", "đắc" | "dac"))
        && matches!(w(p + 2), "cử" | "cu")
    {
        return p + 3;
    }
    match (w(p), w(p + 1)) {
        ("giữ" | "giu", "chức" | "chuc") => p + 2,
        ("đảm" | "dam", "nhiệm" | "nhiem") => p + 2,
        ("làm" | "lam", _) => p + 1,
        _ if p > k => p,
        _ => k,
    }
}

/// `holds_position` from appositions ("A, Bí thư ...", "A - Bí thư ... -") and from titles
/// before names ("Bí thư Đảng ủy TKV A").
fn positions(an: &mut Analysis<'_>, _g: &Gazetteer, lx: &FoldedLexicon, rel: &mut Related) {
    let persons: Vec<(String, usize, usize)> = people(an)
        .iter()
        .map(|p| (p.id(), p.tok.0, p.tok.1))
        .collect();
    let date = an.info.date.clone();
    // (person ID, title, sentence, person's tokens)
    type Fact = (String, TitleItem, (usize, usize), (usize, usize));
    let mut facts: Vec<Fact> = Vec::new();
    for (idx, (pid, ps, pe)) in persons.iter().enumerate() {
        let s = an.sentence_of(*ps);
        // Apposition after the name, or an appointment ("ông A giữ chức Bí thư Tỉnh ủy", "bà B
        // được bầu làm Phó Bí thư", "đồng chí C tái đắc cử Bí thư").
        let mut k = *pe;
        let appointed = appointment_end(an, k);
        if appointed > k || k < s.1 && matches!(an.t(k), "," | "-" | "–" | "(") {
            k = if appointed > k { appointed } else { k + 1 };
            // The apposition ends at the next person or the clause end.
            // (People are sorted by position: the next one is the next in the list.)
            let limit = persons[idx + 1..]
                .iter()
                .map(|p| p.1)
                .find(|&x| x > k)
                .unwrap_or(s.1)
                .min(s.1);
            // Cut at a ';', unless the segment after it is titles alone, ended by another ';'
            // or the sentence: "Các đồng chí: A, Ủy viên Bộ Chính trị; Bí thư Trung ương Đảng,
            // Trưởng Ban Kinh tế Trung ương; B, ..." (a title before the next name is that
            // person's: "...; Phó Bí thư Tỉnh ủy B").
            let mut from = k;
            loop {
                let end = (from..limit).find(|&x| an.t(x) == ";").unwrap_or(limit);
                let titles_alone = end < limit || limit == s.1;
                if from > k && !titles_alone {
                    break;
                }
                let items = title_chain(an, lx, from, end);
                if items.is_empty() {
                    break;
                }
                for item in items {
                    facts.push((pid.clone(), item, s, (*ps, *pe)));
                }
                if end >= limit {
                    break;
                }
                from = end + 1;
            }
        }
        // A title chain right before the name.
        let back = ps.saturating_sub(24).max(s.0);
        for start in back..*ps {
            if start > s.0
                && !matches!(an.t(start - 1), "," | "-" | "–" | ":" | ";" | "(")
                && an.tokens[start].case != crate::token::Case::Title
            {
                continue;
            }
            let items = title_chain(an, lx, start, *ps);
            if items.last().is_some_and(|t| t.end == *ps) {
                for item in items {
                    facts.push((pid.clone(), item, s, (*ps, *pe)));
                }
                break;
            }
        }
    }
    let mut implied: BTreeSet<String> = BTreeSet::new();
    let mut scoped: BTreeSet<String> = BTreeSet::new();
    let mut bodies: Option<PartyBodies> = None;
    for (pid, mut item, s, ptok) in facts {
        if item.org.is_none() && item.category == TitleCategory::Office {
            let bodies = bodies.get_or_insert_with(|| PartyBodies::of(an));
            item.org = match own_body(&item.title) {
                // A membership of a body the article never names ("Tỉnh ủy viên" in a district's
                // article): that body, scoped to the article.
                Some(body) => bodies
                    .of_kind_before(&own_prefix(body), ptok.0)
                    .or_else(|| {
                        let id = format!("committee:{}--{}", slug(body), slug(an.doc));
                        if scoped.insert(id.clone()) {
                            rel.extra_entities.push(EntityRecord {
                                id: id.clone(),
                                kind: EntityKind::Committee,
                                label: body.to_string(),
                                aliases: BTreeSet::new(),
                                attrs: Attributes::default(),
                                mentions: Vec::new(),
                            });
                        }
                        Some(id)
                    }),
                None => party_body_before(bodies, ptok.0),
            };
        }
        let Some(org) = item.org else { continue };
        if let Some(b) = item.implied
            && implied.insert(b.clone())
        {
            rel.extra_entities.push(EntityRecord {
                id: org.clone(),
                kind: EntityKind::Organization,
                label: b,
                aliases: BTreeSet::new(),
                attrs: Attributes::default(),
                mentions: Vec::new(),
            });
        }
        rel.relations.push(RelationRecord {
            source: pid,
            target: org,
            kind: RelationKind::HoldsPosition,
            title: Some(item.title),
            date: date.clone(),
            evidence: evidence_around(an, s, (ptok.0.min(item.end), ptok.1.max(item.end))),
        });
    }
}
