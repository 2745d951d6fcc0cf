//! Differential tests: the optimized text stages (`text::Normalized`, `text::fold`, `text::slug`,
//! `text::detect_fold`, `text::diacritic_ratio`, `text::is_word_char`, `token::tokenize`) give
//! exactly what the straightforward first implementations (kept here as references) give, on
//! random text: NFC and NFD Vietnamese, both tone styles, upper case, stray combining marks,
//! invisible characters, odd whitespace and arbitrary Unicode.

use partygraph::text::{self, Fold, Normalized};
use partygraph::token::{self, Case, TokenKind};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

mod reference {
    use partygraph::text::Fold;
    use std::sync::OnceLock;

    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum Tone {
        Grave,
        Acute,
        Tilde,
        Hook,
        Dot,
    }

    impl Tone {
        fn from_combining(c: char) -> Option<Tone> {
            match c {
                '\u{300}' | '\u{340}' => Some(Tone::Grave),
                '\u{301}' | '\u{341}' => Some(Tone::Acute),
                '\u{303}' => Some(Tone::Tilde),
                '\u{309}' => Some(Tone::Hook),
                '\u{323}' => Some(Tone::Dot),
                _ => None,
            }
        }
    }

    #[derive(Clone, Copy, Debug)]
    struct Split {
        base: char,
        tone: Option<Tone>,
    }

    const TABLE_START: u32 = 0xC0;
    const TABLE_END: u32 = 0x1EFA;

    fn table() -> &'static [(char, Option<Tone>)] {
        static TABLE: OnceLock<Vec<(char, Option<Tone>)>> = OnceLock::new();
        TABLE.get_or_init(|| {
            (TABLE_START..TABLE_END)
                .map(|cp| {
                    let Some(c) = char::from_u32(cp) else {
                        return ('\0', None);
                    };
                    // Eth (Ð ð) is read as Đ đ.
                    if matches!(c, '\u{D0}' | '\u{F0}') {
                        return ('đ', None);
                    }
                    let mut lower = c.to_lowercase();
                    let (Some(l), None) = (lower.next(), lower.next()) else {
                        return ('\0', None);
                    };
                    let mut base: Option<char> = None;
                    let mut tone = None;
                    let mut ok = true;
                    unicode_normalization::char::decompose_canonical(l, |d| {
                        if let Some(t) = Tone::from_combining(d) {
                            tone = Some(t);
                        } else if let Some(b) = base {
                            match unicode_normalization::char::compose(b, d) {
                                Some(x) => base = Some(x),
                                None => ok = false,
                            }
                        } else {
                            base = Some(d);
                        }
                    });
                    match base {
                        Some(b) if ok && b.is_alphabetic() => (b, tone),
                        _ => ('\0', None),
                    }
                })
                .collect()
        })
    }

    fn with_tone(base: char, tone: Tone) -> char {
        static INVERSE: OnceLock<std::collections::HashMap<(char, Tone), char>> = OnceLock::new();
        let inv = INVERSE.get_or_init(|| {
            let mut m = std::collections::HashMap::new();
            for (k, &(b, t)) in table().iter().enumerate() {
                if let (Some(t), Some(c)) = (t, char::from_u32(TABLE_START + k as u32))
                    && c.is_lowercase()
                {
                    m.entry((b, t)).or_insert(c);
                }
            }
            m
        });
        inv.get(&(base, tone)).copied().unwrap_or(base)
    }

    fn split_char(c: char) -> Option<Split> {
        if c.is_ascii_alphabetic() {
            return Some(Split {
                base: c.to_ascii_lowercase(),
                tone: None,
            });
        }
        let cp = c as u32;
        if (TABLE_START..TABLE_END).contains(&cp) {
            let (base, tone) = table()[(cp - TABLE_START) as usize];
            if base != '\0' {
                return Some(Split { base, tone });
            }
        }
        None
    }

    fn is_vowel(c: char) -> bool {
        matches!(
            c,
            'a' | 'ă' | 'â' | 'e' | 'ê' | 'i' | 'o' | 'ô' | 'ơ' | 'u' | 'ư' | 'y'
        )
    }

    fn has_quality_mark(c: char) -> bool {
        matches!(c, 'ă' | 'â' | 'ê' | 'ô' | 'ơ' | 'ư')
    }

    fn tone_position(letters: &[char]) -> Option<usize> {
        let mut start = 0;
        while start < letters.len() && !is_vowel(letters[start]) {
            start += 1;
        }
        if start >= letters.len() {
            return None;
        }
        if start > 0 {
            let prev = letters[start - 1];
            let next_is_vowel = letters.get(start + 1).is_some_and(|&c| is_vowel(c));
            if (prev == 'q' && letters[start] == 'u' || prev == 'g' && letters[start] == 'i')
                && next_is_vowel
            {
                start += 1;
            }
        }
        let mut end = start;
        while end < letters.len() && is_vowel(letters[end]) {
            end += 1;
        }
        let vowels = &letters[start..end];
        if let Some(i) = vowels.iter().rposition(|&c| has_quality_mark(c)) {
            return Some(start + i);
        }
        let has_final = end < letters.len();
        Some(match (vowels.len(), has_final) {
            (_, true) => end - 1,
            (1, false) => start,
            (2, false) => start,
            _ => start + 1,
        })
    }

    #[derive(Default)]
    pub struct Normalized {
        pub text: String,
        pub starts: Vec<u32>,
        pub ends: Vec<u32>,
        fold: Fold,
        map: bool,
    }

    struct Cluster {
        split: Split,
        start: u32,
        end: u32,
    }

    impl Normalized {
        pub fn build(original: &str, fold: Fold, map: bool) -> Normalized {
            let mut n = Normalized {
                fold,
                map,
                ..Normalized::default()
            };
            let mut syllable: Vec<Cluster> = Vec::new();
            let mut pending_space: Option<(bool, u32, u32)> = None;
            let bytes = original.as_bytes();
            let mut chars = original.char_indices().peekable();
            while let Some((i, c)) = chars.next() {
                if c.is_ascii_alphabetic() && !matches!(bytes.get(i + 1), Some(0xCC | 0xCD)) {
                    if let Some((nl, s, e)) = pending_space.take()
                        && !n.text.is_empty()
                    {
                        n.push_char(if nl { '\n' } else { ' ' }, s, e);
                    }
                    syllable.push(Cluster {
                        split: Split {
                            base: c.to_ascii_lowercase(),
                            tone: None,
                        },
                        start: i as u32,
                        end: i as u32 + 1,
                    });
                    continue;
                }
                if c == ' ' {
                    n.flush_syllable(&mut syllable);
                    let i = i as u32;
                    pending_space = Some(match pending_space {
                        Some((pnl, s, _)) => (pnl, s, i + 1),
                        None => (false, i, i + 1),
                    });
                    continue;
                }
                let i = i as u32;
                let mut end = i + c.len_utf8() as u32;
                if let Some(mut split) = split_char(c) {
                    while let Some(&(j, m)) = chars.peek() {
                        if !is_combining(m) {
                            break;
                        }
                        if let Some(t) = Tone::from_combining(m) {
                            split.tone = split.tone.or(Some(t));
                        } else if let Some(b) = unicode_normalization::char::compose(split.base, m)
                        {
                            split.base = b;
                        }
                        end = j as u32 + m.len_utf8() as u32;
                        chars.next();
                    }
                    if let Some((nl, s, e)) = pending_space.take()
                        && !n.text.is_empty()
                    {
                        n.push_char(if nl { '\n' } else { ' ' }, s, e);
                    }
                    syllable.push(Cluster {
                        split,
                        start: i,
                        end,
                    });
                    continue;
                }
                n.flush_syllable(&mut syllable);
                if is_combining(c) {
                    continue;
                }
                if c.is_whitespace() {
                    let nl = c == '\n' || c == '\r' || c == '\u{2028}' || c == '\u{2029}';
                    pending_space = Some(match pending_space {
                        Some((pnl, s, _)) => (pnl || nl, s, end),
                        None => (nl, i, end),
                    });
                    continue;
                }
                if is_invisible(c) {
                    continue;
                }
                if let Some((nl, s, e)) = pending_space.take()
                    && !n.text.is_empty()
                {
                    n.push_char(if nl { '\n' } else { ' ' }, s, e);
                }
                match c {
                    '\u{2010}'..='\u{2015}' | '\u{2212}' | '\u{FE58}' | '\u{FE63}' | '\u{FF0D}' => {
                        n.push_char('-', i, end)
                    }
                    '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{00AB}' | '\u{00BB}' => {
                        n.push_char('"', i, end)
                    }
                    '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' => n.push_char('\'', i, end),
                    '\u{2026}' => {
                        for _ in 0..3 {
                            n.push_char('.', i, end)
                        }
                    }
                    _ if c.is_ascii() => n.push_char(c.to_ascii_lowercase(), i, end),
                    _ => {
                        let mut lower = c.to_lowercase();
                        match (lower.next(), lower.next()) {
                            (Some(l), None) => n.push_char(l, i, end),
                            _ => n.push_char(c, i, end),
                        }
                    }
                }
            }
            n.flush_syllable(&mut syllable);
            n
        }

        fn push_char(&mut self, c: char, start: u32, end: u32) {
            self.text.push(c);
            if self.map {
                let len = c.len_utf8();
                self.starts.extend(std::iter::repeat_n(start, len));
                self.ends.extend(std::iter::repeat_n(end, len));
            }
        }

        fn flush_syllable(&mut self, syllable: &mut Vec<Cluster>) {
            if syllable.is_empty() {
                return;
            }
            let tone = syllable.iter().find_map(|c| c.split.tone);
            if tone.is_none() && self.fold == Fold::Accents {
                for cl in syllable.iter() {
                    self.push_char(cl.split.base, cl.start, cl.end);
                }
                syllable.clear();
                return;
            }
            let place = match (self.fold, tone) {
                (Fold::Accents, Some(_)) => {
                    let mut letters = ['\0'; 24];
                    let len = syllable.len().min(letters.len());
                    for (l, c) in letters.iter_mut().zip(syllable.iter()) {
                        *l = c.split.base;
                    }
                    tone_position(&letters[..len])
                }
                _ => None,
            };
            for (k, cl) in syllable.iter().enumerate() {
                let base = match self.fold {
                    Fold::Accents => cl.split.base,
                    Fold::Ascii => ascii_base(cl.split.base),
                };
                let c = match (place == Some(k), tone) {
                    (true, Some(t)) => with_tone(base, t),
                    _ => base,
                };
                self.push_char(c, cl.start, cl.end);
            }
            syllable.clear();
        }
    }

    fn is_combining(c: char) -> bool {
        let cp = c as u32;
        cp >= 0x300
            && matches!(cp, 0x300..=0x36F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF)
    }

    fn is_invisible(c: char) -> bool {
        matches!(
            c,
            '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}'
        )
    }

    fn ascii_base(c: char) -> char {
        match c {
            'ă' | 'â' => 'a',
            'ê' => 'e',
            'ô' | 'ơ' => 'o',
            'ư' => 'u',
            'đ' => 'd',
            c if c.is_ascii() => c,
            c => {
                let mut out = c;
                unicode_normalization::char::decompose_canonical(c, |d| {
                    if out == c {
                        out = d
                    }
                });
                out
            }
        }
    }

    pub fn fold(s: &str, fold: Fold) -> String {
        let mut t = Normalized::build(s, fold, false).text;
        let end = t.trim_end().len();
        t.truncate(end);
        let start = t.len() - t.trim_start().len();
        t.drain(..start);
        t
    }

    pub fn is_word_char(c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_alphanumeric();
        }
        if matches!(c as u32, 0x80..=0xBF | 0x2000..=0x2BFF | 0x3000..=0x303F) {
            return false;
        }
        is_letter(c) || c.is_numeric()
    }

    pub fn is_letter(c: char) -> bool {
        if c.is_ascii() {
            return c.is_ascii_alphabetic();
        }
        let cp = c as u32;
        if (TABLE_START..TABLE_END).contains(&cp) && table()[(cp - TABLE_START) as usize].0 != '\0'
        {
            return true;
        }
        c.is_alphabetic()
    }

    pub fn slug(s: &str) -> String {
        let mut out = String::with_capacity(s.len());
        let mut dash = false;
        for c in s.chars() {
            if is_combining(c) || is_invisible(c) {
                continue;
            }
            let m = if c.is_ascii() {
                c.to_ascii_lowercase()
            } else if let Some(sp) = split_char(c) {
                ascii_base(sp.base)
            } else {
                let mut lower = c.to_lowercase();
                match (lower.next(), lower.next()) {
                    (Some(l), None) => l,
                    _ => c,
                }
            };
            if m.is_ascii_alphanumeric() {
                if dash && !out.is_empty() {
                    out.push('-');
                }
                dash = false;
                out.push(m);
            } else {
                dash = true;
            }
        }
        out
    }

    pub fn diacritic_ratio(s: &str) -> f64 {
        let mut letters = 0usize;
        let mut marked = 0usize;
        for c in s.chars() {
            if c.is_ascii_alphabetic() {
                letters += 1;
            } else if let Some(sp) = split_char(c) {
                letters += 1;
                if sp.tone.is_some() || !sp.base.is_ascii() {
                    marked += 1;
                }
            } else if is_combining(c) {
                marked += 1;
            }
        }
        if letters == 0 {
            1.0
        } else {
            marked as f64 / letters as f64
        }
    }

    pub fn detect_fold(s: &str) -> Fold {
        let sample = match s.char_indices().nth(4_000) {
            Some((i, _)) => &s[..i],
            None => s,
        };
        if sample.len() > 80 && diacritic_ratio(sample) < 0.03 {
            Fold::Ascii
        } else {
            Fold::Accents
        }
    }

    /// (kind, fs, fe, span start, span end, case, space_before)
    pub type Tok = (
        partygraph::token::TokenKind,
        usize,
        usize,
        usize,
        usize,
        partygraph::token::Case,
        bool,
    );

    fn case_of(s: &str) -> partygraph::token::Case {
        use partygraph::token::Case;
        let mut letters = s.chars().filter(|&c| is_letter(c));
        let Some(first) = letters.next() else {
            return Case::Other;
        };
        let (mut any, mut all_upper, mut all_lower) = (false, true, true);
        for c in letters {
            any = true;
            if c.is_lowercase() {
                all_upper = false;
            } else {
                all_lower = false;
            }
        }
        if first.is_lowercase() {
            if all_lower { Case::Lower } else { Case::Other }
        } else if !any || all_lower {
            Case::Title
        } else if all_upper {
            Case::Upper
        } else {
            Case::Other
        }
    }

    pub fn tokenize(n: &partygraph::text::Normalized, original: &str) -> Vec<Tok> {
        use partygraph::token::{Case, TokenKind};
        let s = n.as_str();
        let mut out = Vec::new();
        let mut it = s.char_indices().peekable();
        let mut space_before = true;
        while let Some((i, c)) = it.next() {
            if c == ' ' {
                space_before = true;
                continue;
            }
            if c == '\n' {
                let sp = n.original_span(i..i + 1);
                out.push((
                    TokenKind::Newline,
                    i,
                    i + 1,
                    sp.start,
                    sp.end,
                    Case::Other,
                    true,
                ));
                space_before = true;
                continue;
            }
            let (kind, end) = if is_word_char(c) {
                let mut end = i + c.len_utf8();
                let mut all_digits = c.is_ascii_digit();
                while let Some(&(j, d)) = it.peek() {
                    if is_word_char(d) {
                        all_digits = all_digits && d.is_ascii_digit();
                        end = j + d.len_utf8();
                        it.next();
                    } else {
                        break;
                    }
                }
                (
                    if all_digits {
                        TokenKind::Number
                    } else {
                        TokenKind::Word
                    },
                    end,
                )
            } else {
                (TokenKind::Punct, i + c.len_utf8())
            };
            let span = n.original_span(i..end);
            let case = if kind == TokenKind::Word {
                case_of(span.slice(original))
            } else {
                Case::Other
            };
            out.push((kind, i, end, span.start, span.end, case, space_before));
            space_before = false;
        }
        out
    }
}

/// The new view, with its map read back byte by byte through the public API.
fn view(s: &str, f: Fold) -> (String, Vec<u32>, Vec<u32>) {
    let n = Normalized::new(s, f);
    let v = n.as_str().to_string();
    let mut starts = Vec::new();
    let mut ends = Vec::new();
    for k in 0..v.len() {
        let sp = n.original_span(k..k + 1);
        starts.push(sp.start as u32);
        ends.push(sp.end as u32);
    }
    (v, starts, ends)
}

fn check(s: &str) -> Result<(), TestCaseError> {
    for f in [Fold::Accents, Fold::Ascii] {
        let r = reference::Normalized::build(s, f, true);
        let (v, starts, ends) = view(s, f);
        prop_assert_eq!(&v, &r.text, "view of {:?} ({:?})", s, f);
        prop_assert_eq!(&starts, &r.starts, "starts of {:?} ({:?})", s, f);
        prop_assert_eq!(&ends, &r.ends, "ends of {:?} ({:?})", s, f);
        prop_assert_eq!(text::fold(s, f), reference::fold(s, f), "fold of {:?}", s);
        let n = Normalized::new(s, f);
        let toks: Vec<reference::Tok> = token::tokenize(&n, s)
            .iter()
            .map(|t| {
                (
                    t.kind,
                    t.fs as usize,
                    t.fe as usize,
                    t.span.start,
                    t.span.end,
                    t.case,
                    t.space_before,
                )
            })
            .collect();
        prop_assert_eq!(toks, reference::tokenize(&n, s), "tokens of {:?}", s);
    }
    prop_assert_eq!(text::slug(s), reference::slug(s), "slug of {:?}", s);
    prop_assert_eq!(
        text::diacritic_ratio(s).to_bits(),
        reference::diacritic_ratio(s).to_bits(),
        "ratio of {:?}",
        s
    );
    prop_assert_eq!(
        text::detect_fold(s),
        reference::detect_fold(s),
        "fold of {:?}",
        s
    );
    for c in s.chars() {
        prop_assert_eq!(text::is_word_char(c), reference::is_word_char(c), "{:?}", c);
        prop_assert_eq!(text::is_letter(c), reference::is_letter(c), "{:?}", c);
    }
    Ok(())
}

const PIECES: &[&str] = &[
    "a",
    "A",
    "e",
    "o",
    "u",
    "y",
    "i",
    "q",
    "g",
    "n",
    "h",
    "đ",
    "Đ",
    "ă",
    "â",
    "ê",
    "ô",
    "ơ",
    "ư",
    "Ư",
    "Ơ",
    "à",
    "á",
    "ả",
    "ã",
    "ạ",
    "ằ",
    "ắ",
    "ẳ",
    "ẵ",
    "ặ",
    "ầ",
    "ấ",
    "ẩ",
    "ẫ",
    "ậ",
    "è",
    "é",
    "ẻ",
    "ẽ",
    "ẹ",
    "ề",
    "ế",
    "ể",
    "ễ",
    "ệ",
    "ì",
    "í",
    "ỉ",
    "ĩ",
    "ị",
    "ò",
    "ó",
    "ỏ",
    "õ",
    "ọ",
    "ồ",
    "ố",
    "ổ",
    "ỗ",
    "ộ",
    "ờ",
    "ớ",
    "ở",
    "ỡ",
    "ợ",
    "ù",
    "ú",
    "ủ",
    "ũ",
    "ụ",
    "ừ",
    "ứ",
    "ử",
    "ữ",
    "ự",
    "ỳ",
    "ý",
    "ỷ",
    "ỹ",
    "ỵ",
    "Ỳ",
    "Ý",
    "Ậ",
    "Ế",
    "Ở",
    "Ự",
    "ng",
    "qu",
    "gi",
    "ươ",
    "uy",
    "oa",
    "Hoà",
    "thuỷ",
    "Uỷ",
    "khoẻ",
    "người",
    "quốc",
    "giữa",
    "\u{300}",
    "\u{301}",
    "\u{303}",
    "\u{309}",
    "\u{323}",
    "\u{302}",
    "\u{306}",
    "\u{31B}",
    "\u{340}",
    "\u{341}",
    "\u{1DC0}",
    "\u{20D0}",
    "\u{1AB0}",
    "\u{370}",
    "\u{200B}",
    "\u{AD}",
    "\u{FEFF}",
    "\u{A0}",
    " ",
    "  ",
    "\n",
    "\r\n",
    "\t",
    "\u{2028}",
    "\u{3000}",
    "-",
    "\u{2013}",
    "\u{2014}",
    "\u{201C}",
    "\u{201D}",
    "\u{2019}",
    "\u{AB}",
    "\u{2026}",
    ".",
    ",",
    "/",
    "05",
    "2019",
    "\u{FFFD}",
    "ǹ",
    "Ǹ",
    "ḿ",
    "ß",
    "ẞ",
    "İ",
    "ç",
    "Ç",
    "æ",
    "ÿ",
    "Ÿ",
    "Ω",
    "ω",
    "Я",
    "я",
    "\u{1E9E}",
    "ǅ",
    "ǈ",
    "٣",
    "²",
    "½",
    "Ⅻ",
    "ⅻ",
    "\u{1EFA}",
    "\u{1EFB}",
    "中",
    "😀",
    "x\u{0338}",
    "ﬁ",
    "Σ",
    "ς",
];

fn mixed() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn same_as_reference_on_pieces(s in mixed(), upper in any::<bool>(), nfd in any::<bool>(), nfc in any::<bool>()) {
        let mut s = s;
        if upper {
            s = s.to_uppercase();
        }
        if nfd {
            s = s.nfd().collect();
        } else if nfc {
            s = s.nfc().collect();
        }
        check(&s)?;
    }

    #[test]
    fn same_as_reference_on_any_text(s in "\\PC{0,60}") {
        check(&s)?;
    }

    #[test]
    fn same_as_reference_on_any_chars(s in ".{0,40}") {
        check(&s)?;
    }

    #[test]
    fn same_as_reference_on_long_syllables(n in 20usize..40, m in 0usize..40, t in prop::sample::select(PIECES)) {
        let s = format!("{}{}{}", "b".repeat(n), t, "a".repeat(m));
        check(&s)?;
        let s = format!("{}{}{}", "ư".repeat(n), t, "ơ".repeat(m));
        check(&s)?;
    }

    #[test]
    fn detect_fold_same_on_long_text(words in prop::collection::vec(prop::sample::select(PIECES), 0..3000), ascii in prop::collection::vec("[a-z ]{1,8}", 0..900)) {
        let s = ascii.concat() + &words.concat();
        prop_assert_eq!(text::detect_fold(&s), reference::detect_fold(&s));
        let s = words.concat() + &ascii.concat();
        prop_assert_eq!(text::detect_fold(&s), reference::detect_fold(&s));
    }
}

#[test]
fn same_as_reference_on_every_char() {
    // Every scalar value, alone, after a letter, and followed by a tone mark.
    for cp in 0..0x11000u32 {
        let Some(c) = char::from_u32(cp) else {
            continue;
        };
        for s in [
            format!("{c}"),
            format!("a{c}b"),
            format!("{c}\u{301}o"),
            format!("Q{c}\u{309} "),
        ] {
            check(&s).unwrap_or_else(|e| panic!("{cp:X}: {e}"));
        }
    }
    let _ = (Case::Lower, TokenKind::Word);
}
