//! Property tests for normalization and offsets: for random Vietnamese text in NFC, NFD, mixed
//! tone styles, mixed case and odd whitespace, every gazetteer match maps back to a span of the
//! original that lies on char boundaries and re-normalizes to the matched key.

use partygraph::text::{Fold, Normalized, fold};
use partygraph::token::tokenize;
use partygraph::{GazetteerBuilder, Matcher};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

const SYLLABLES: &[&str] = &[
    "Đảng",
    "ủy",
    "hòa",
    "thủy",
    "khỏe",
    "Nghệ",
    "An",
    "Long",
    "Anh",
    "Tập",
    "đoàn",
    "Viện",
    "Quảng",
    "Ninh",
    "người",
    "giữa",
    "quốc",
    "Hòa",
    "Bình",
    "Thanh",
    "Tuyên",
    "Quang",
    "Khánh",
    "Huế",
    "ệ",
    "Ủy",
    "ban",
    "Kiểm",
    "tra",
    "Thường",
    "vụ",
    "Hội",
    "nghị",
    "quý",
    "05",
    "NQ",
    "TW",
];

/// Old → new tone placement pairs, applied at random.
const STYLES: &[(&str, &str)] = &[
    ("òa", "oà"),
    ("ủy", "uỷ"),
    ("Ủy", "Uỷ"),
    ("ỏe", "oẻ"),
    ("óa", "oá"),
    ("ủa", "uả"),
];

const SPACES: &[&str] = &[" ", "  ", "\u{a0}", "\n", " \u{200b}", "\t", " - "];

/// What comes between words in messy text: punctuation, marks and invisible chars that the view
/// drops or rewrites, digits, line breaks.
const GLUE: &[&str] = &[
    " ", "", "\n", "\r\n \n", ", ", ".", "…", "\u{2013}", "\u{201c}", "\u{ad}", "\u{200b}",
    "\u{301}", "\u{345}", "1", "05", "/", "-", "\u{a0}", "\u{2028}", "ǅ", "İ", "Σ", "²", "٣",
];

fn phrase() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(SYLLABLES), 1..4).prop_map(|v| v.join(" "))
}

/// Writes a phrase the way messy text might: case, tone style, NFD.
fn mangle(s: &str, upper: bool, new_style: bool, nfd: bool) -> String {
    let mut out = s.to_string();
    if new_style {
        for (a, b) in STYLES {
            out = out.replace(a, b);
        }
    }
    if upper {
        out = out.to_uppercase();
    }
    if nfd {
        out = out.nfd().collect();
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn matches_map_back_to_their_keys(
        keys in prop::collection::vec(phrase(), 1..4),
        pieces in prop::collection::vec((0usize..8, any::<bool>(), any::<bool>(), any::<bool>(), 0usize..7), 1..24),
    ) {
        let mut tsv = String::new();
        for (i, k) in keys.iter().enumerate() {
            tsv.push_str(&format!("organization\tX{i} {k}\t{k}\n"));
        }
        let g = GazetteerBuilder::new().embedded(false).file("t.entities.tsv", &tsv).build();
        // Two generated keys may fold to one: the gazetteer refuses that, which is fine.
        let Ok(g) = g else { return Ok(()) };
        let m = Matcher::new(&g);
        let mut text = String::new();
        for (pick, upper, new_style, nfd, sp) in &pieces {
            let piece = if *pick < keys.len() { keys[*pick].clone() } else { SYLLABLES[pick % SYLLABLES.len()].to_string() };
            // Names are written capitalized (lower-case ones are words, not names).
            let mut chars = piece.chars();
            let piece: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
            text.push_str(&mangle(&piece, *upper, *new_style, *nfd));
            text.push_str(SPACES[*sp]);
        }
        let placed = pieces.iter().any(|p| p.0 < keys.len());
        for f in [Fold::Accents, Fold::Ascii] {
            let n = Normalized::new(&text, f);
            let hits = m.find(&g, &n, &text);
            // A key written into the text is found (perhaps inside a longer key).
            prop_assert!(!placed || !hits.is_empty(), "no match in {text:?}");
            for hit in hits {
                prop_assert!(text.is_char_boundary(hit.span.start) && text.is_char_boundary(hit.span.end));
                let original = &text[hit.span.start..hit.span.end];
                let key = &n.as_str()[hit.folded.0..hit.folded.1];
                prop_assert_eq!(fold(original, f), key.to_string(), "original {:?}", original);
                let entry = g.entry(hit.entry);
                let names: Vec<String> = std::iter::once(&entry.name).chain(entry.aliases.iter()).map(|a| fold(a, f)).collect();
                prop_assert!(names.contains(&key.to_string()), "{key:?} not a key of {:?}", entry.name);
            }
        }
    }

    #[test]
    fn folded_view_spans_are_ordered_and_inside(s in "\\PC{0,60}") {
        for f in [Fold::Accents, Fold::Ascii] {
            let n = Normalized::new(&s, f);
            let v = n.as_str();
            let mut last_end = 0;
            for (i, c) in v.char_indices() {
                let sp = n.original_span(i..i + c.len_utf8());
                prop_assert!(sp.start <= sp.end && sp.end <= s.len());
                prop_assert!(s.is_char_boundary(sp.start) && s.is_char_boundary(sp.end));
                prop_assert!(sp.start + 1 >= last_end.min(sp.start + 1));
                last_end = sp.end;
            }
        }
    }

    #[test]
    fn tone_styles_and_forms_fold_alike(p in phrase(), upper in any::<bool>()) {
        let a = fold(&p, Fold::Accents);
        prop_assert_eq!(fold(&mangle(&p, upper, true, false), Fold::Accents), a.clone());
        prop_assert_eq!(fold(&mangle(&p, upper, false, true), Fold::Accents), a.clone());
        prop_assert_eq!(fold(&mangle(&p, upper, true, true), Fold::Accents), a);
    }

    #[test]
    fn fused_tokens_are_the_tokens_of_the_view(
        pieces in prop::collection::vec((0usize..SYLLABLES.len(), any::<bool>(), any::<bool>(), any::<bool>(), 0usize..GLUE.len()), 0..30),
    ) {
        let mut text = String::new();
        for (pick, upper, new_style, nfd, glue) in &pieces {
            text.push_str(&mangle(SYLLABLES[*pick], *upper, *new_style, *nfd));
            text.push_str(GLUE[*glue]);
        }
        for f in [Fold::Accents, Fold::Ascii] {
            let n = Normalized::new(&text, f);
            let (m, tokens) = Normalized::with_tokens(&text, f);
            prop_assert_eq!(m.as_str(), n.as_str());
            prop_assert_eq!(tokens, tokenize(&n, &text), "{:?}", text);
        }
    }

    #[test]
    fn fused_tokens_of_any_text(s in "\\PC{0,80}") {
        for f in [Fold::Accents, Fold::Ascii] {
            let n = Normalized::new(&s, f);
            let (m, tokens) = Normalized::with_tokens(&s, f);
            prop_assert_eq!(m.as_str(), n.as_str());
            prop_assert_eq!(tokens, tokenize(&n, &s), "{:?}", s);
        }
    }
}
