//! The benchmark corpus generator (`benches/support/corpus.rs`): its rewrites, and that the same
//! seed gives the same corpus byte for byte. Tests needing the seed articles are skipped (with a
//! note) when `../shared/seeds` is absent.

#[path = "../benches/support/corpus.rs"]
mod corpus;

use corpus::{Sources, Style, new_tone, parse_size, restyle, strip_diacritics};

#[test]
fn tone_styles_and_diacritics() {
    assert_eq!(
        new_tone("Đảng ủy tỉnh Hòa Bình, thủy lợi, khỏe, quý, hoàn"),
        "Đảng uỷ tỉnh Hoà Bình, thuỷ lợi, khoẻ, quý, hoàn"
    );
    assert_eq!(new_tone("ỦY BAN"), "UỶ BAN");
    assert_eq!(strip_diacritics("Đảng ủy Nghệ An"), "Dang uy Nghe An");
    assert_eq!(restyle("Hòa", Style::Nfd), "Ho\u{300}a");
    assert_eq!(restyle("Hòa", Style::NewToneNfd), "Hoa\u{300}");
}

#[test]
fn sizes() {
    assert_eq!(parse_size("50MB"), Ok(50_000_000));
    assert_eq!(parse_size("2.5 mb"), Ok(2_500_000));
    assert_eq!(parse_size("800KB"), Ok(800_000));
    assert_eq!(parse_size("1000"), Ok(1000));
    assert!(parse_size("5 parsecs").is_err());
}

fn sources() -> Option<Sources> {
    match Sources::load_default() {
        Ok(s) => Some(s),
        Err(m) => {
            eprintln!("skipped: {m}");
            None
        }
    }
}

#[test]
fn same_seed_same_corpus() {
    let Some(src) = sources() else { return };
    let a: Vec<(String, String)> = src.corpus(7, 300_000).map(|d| (d.name, d.text)).collect();
    let b: Vec<(String, String)> = src.corpus(7, 300_000).map(|d| (d.name, d.text)).collect();
    assert_eq!(a, b);
    let c: Vec<String> = src.corpus(8, 300_000).map(|d| d.text).collect();
    assert_ne!(
        a.iter().map(|x| &x.1).collect::<Vec<_>>(),
        c.iter().collect::<Vec<_>>()
    );
    // A smaller corpus is the first files of a larger one.
    let small: Vec<(String, String)> = src.corpus(7, 100_000).map(|d| (d.name, d.text)).collect();
    assert_eq!(&a[..small.len()], &small[..]);
}

#[test]
fn corpus_has_every_style_and_small_files() {
    let Some(src) = sources() else { return };
    let docs: Vec<corpus::Doc> = src.corpus(1, 1_000_000).collect();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let mean = bytes / docs.len();
    assert!((1500..3000).contains(&mean), "mean article size {mean}");
    for s in Style::ALL {
        assert!(docs.iter().any(|d| d.style == s), "no {s:?} article");
    }
    assert!(
        docs.iter().any(|d| d.text.contains('\u{301}')),
        "no NFD text"
    );
    assert!(
        docs.iter().any(|d| d.text.contains("uỷ")),
        "no new-tone text"
    );
    assert!(docs.iter().all(|d| !d.text.contains('\0')));
}
