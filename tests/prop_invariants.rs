//! The fuzz invariants (`fuzz/fuzz_targets/pipeline.rs`) as proptest properties, for CI: for
//! generated Vietnamese party text (NFC/NFD, both tone styles, odd spaces and line ends, upper
//! case, invalid bytes), for HTML built from it, and for arbitrary bytes:
//! no panic; every span inside the input on character boundaries with its text; the folded view
//! maps back inside the input; JSON parses; DOT is grammatical. See
//! `tests/robust_support/invariants.rs`.

mod robust_support;

use partygraph::corpus::InputFormat;
use proptest::prelude::*;
use robust_support::invariants::check_bytes;
use unicode_normalization::UnicodeNormalization;

/// Pieces of party news: names, bodies, titles, codes, triggers, punctuation.
const PIECES: &[&str] = &[
    "Bộ Chính trị",
    "Ban Bí thư",
    "Ban Chấp hành Trung ương",
    "Tỉnh ủy Nghệ An",
    "Tỉnh uỷ Thanh Hoá",
    "Ban Thường vụ Tỉnh ủy",
    "Ủy ban Kiểm tra Trung ương",
    "Đảng ủy TKV",
    "Đảng bộ Tập đoàn",
    "Thành ủy Hà Nội",
    "Huyện ủy",
    "Đảng ủy xã",
    "đồng chí",
    "Đồng chí",
    "các đồng chí:",
    "ông",
    "bà",
    "Bí thư",
    "Phó Bí thư",
    "Ủy viên Ban Thường vụ",
    "Tổng Bí thư",
    "Chủ nhiệm Ủy ban Kiểm tra",
    "Nguyễn Văn Bình",
    "Tô Lâm",
    "Lê Thị Hoa",
    "Trần Quốc Vượng",
    "Phạm",
    "Hoàng",
    "Văn",
    "Thị",
    "Minh",
    "An",
    "chủ trì",
    "tham dự",
    "phát biểu",
    "tổ chức",
    "hội nghị",
    "Hội nghị",
    "quán triệt",
    "triển khai",
    "Nghị quyết",
    "Chỉ thị",
    "Kết luận",
    "số 05-CT/TW",
    "57-NQ/TW",
    "12-NQ/TU",
    "Quy định 144-QĐ/TW",
    "khóa XIII",
    "Trung ương 4",
    "Ngày 5/3/2024,",
    "ngày 12 tháng 6 năm 2025",
    "(",
    ")",
    "“",
    "”",
    "\"",
    "–",
    "-",
    "/",
    ":",
    ";",
    ",",
    ".",
    "...",
    "…",
    "TP.HCM",
    "UBND",
    "HĐND",
    "2024",
    "0",
    "xã",
    "phường",
    "hòa",
    "hoà",
    "thủy",
    "thuỷ",
];

/// Separators, with the odd ones.
const SEPS: &[&str] = &[
    " ", " ", " ", "  ", "\u{a0}", "\u{200b}", "\n", "\r\n", "\r", "\t", ", ", ". ", "\u{2028}", "",
];

fn article() -> impl Strategy<Value = String> {
    prop::collection::vec(
        (prop::sample::select(PIECES), prop::sample::select(SEPS)),
        0..60,
    )
    .prop_map(|v| {
        let mut s = String::new();
        for (p, sep) in v {
            s.push_str(p);
            s.push_str(sep);
        }
        s
    })
}

/// An article in one of the shapes real files come in.
fn shaped() -> impl Strategy<Value = Vec<u8>> {
    (
        article(),
        0u8..8,
        any::<bool>(),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..3),
    )
        .prop_map(|(s, shape, bom, bad)| {
            let s = match shape {
                0 => s.nfd().collect(),
                1 => s.to_uppercase(),
                2 => s.replace("ủy", "uỷ").replace("òa", "oà"),
                3 => s.nfd().collect::<String>().replace("\u{301}", "\u{341}"),
                _ => s,
            };
            let mut b = Vec::new();
            if bom {
                b.extend(b"\xEF\xBB\xBF");
            }
            b.extend(s.into_bytes());
            // A few bytes replaced by (possibly invalid) ones.
            for (at, byte) in bad {
                if !b.is_empty() && byte != 0 {
                    let i = at.index(b.len());
                    b[i] = byte | 0x80;
                }
            }
            b
        })
}

const TAGS: &[&str] = &[
    "<p>",
    "</p>",
    "<b>",
    "</b>",
    "<br>",
    "<br/>",
    "<div class=\"x\">",
    "</div>",
    "<script>var a='</p>';</script>",
    "<style>p{}</style>",
    "<title>Ban Bí thư</title>",
    "<!-- Bộ Chính trị -->",
    "<td>",
    "<tr>",
    "&amp;",
    "&nbsp;",
    "&#7897;",
    "&#x1EBF;",
    "&lt;",
    "&quot;",
    "&bogus;",
    "&",
    "<",
    ">",
    "<a href='?a=1&amp;b=2'>",
    "</a>",
    "<![CDATA[x]]>",
    "<!DOCTYPE html>",
    "<textarea>x</textarea>",
    "<noscript>Ban Bí thư</noscript>",
];

fn page() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            prop::sample::select(PIECES),
            prop::sample::select(TAGS),
            prop::sample::select(SEPS)
        ],
        0..80,
    )
    .prop_map(|v| v.concat().into_bytes())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    #[test]
    fn generated_articles_keep_every_invariant(raw in shaped()) {
        if let Err(e) = check_bytes(&raw, InputFormat::Text) {
            prop_assert!(false, "{}", e);
        }
    }

    #[test]
    fn generated_pages_keep_every_invariant(raw in page()) {
        if let Err(e) = check_bytes(&raw, InputFormat::Html) {
            prop_assert!(false, "{}", e);
        }
    }

    #[test]
    fn arbitrary_bytes_keep_every_invariant(raw in prop::collection::vec(any::<u8>(), 0..400), html in any::<bool>()) {
        let format = if html { InputFormat::Html } else { InputFormat::Text };
        if let Err(e) = check_bytes(&raw, format) {
            prop_assert!(false, "{}", e);
        }
    }

    #[test]
    fn arbitrary_text_keeps_every_invariant(s in "\\PC{0,200}", html in any::<bool>()) {
        let format = if html { InputFormat::Html } else { InputFormat::Text };
        if let Err(e) = check_bytes(s.as_bytes(), format) {
            prop_assert!(false, "{}", e);
        }
    }
}
