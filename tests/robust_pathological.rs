//! Pathological text: each case must finish with sane output. These tests assert completion and
//! the invariants only, never timing; `benches/pathological.rs` compares two sizes of each case
//! to catch growth worse than linear. The sizes here run in seconds in a debug build; the issue's
//! full sizes (50 MB on one line, 1 MB of "đồng chí ", a million capitalized words, 10,000
//! names) run with `cargo bench --bench pathological -- --full`. The `*_full_size` tests and the
//! megabyte of "đồng chí" run sizes that once grew worse than linear (quadratic scans, sentence
//! copies in evidence), so a regression shows here.

mod robust_support;

use robust_support::names::{Rng, capitalized_words, random_name};

use partygraph::corpus::{self, InputFormat};
use partygraph::{EntityKind, Extraction, KnowledgeGraph};
use robust_support::invariants;

/// Extracts `text` as a text file, checks every invariant, and returns the extraction.
fn extract_checked(text: &str) -> Extraction {
    let raw = text.as_bytes();
    let t = corpus::decode_as("p.txt", raw.to_vec(), InputFormat::Text).expect("decode");
    let x = t.extract(
        invariants::extractor(),
        partygraph::corpus::Input {
            source: corpus::Source::Stdin,
            id: "p".into(),
            format: InputFormat::Text,
        }
        .info(),
    );
    invariants::check_extraction(raw, &t, &x).expect("span invariants");
    let mut g = KnowledgeGraph::new();
    g.add(x.clone());
    invariants::check_outputs(&g, &[("p".to_string(), raw.len())]).expect("output invariants");
    x
}

fn count(x: &Extraction, kind: EntityKind) -> usize {
    x.entities.iter().filter(|e| e.kind == kind).count()
}

fn mentions(x: &Extraction) -> usize {
    x.entities.iter().map(|e| e.mentions.len()).sum()
}

/// Sentences joined on one line, `bytes` long; `sep` ends each sentence.
fn long_line(bytes: usize, sep: &str) -> String {
    let s = format!(
        "Đồng chí Nguyễn Văn Bình, Ủy viên Bộ Chính trị, Bí thư Tỉnh ủy Nghệ An, chủ trì hội nghị quán triệt Chỉ thị số 05-CT/TW của Bộ Chính trị{sep}"
    );
    s.repeat(bytes / s.len() + 1)
}

fn check_long_line(bytes: usize, sep: &str) {
    let text = long_line(bytes, sep);
    let sentences = text.matches("05-CT/TW").count();
    let x = extract_checked(&text);
    let bct = x
        .entities
        .iter()
        .find(|e| e.id == "committee:bo-chinh-tri")
        .expect("Bộ Chính trị found");
    assert!(
        bct.mentions.len() >= sentences,
        "found in every sentence: {} for {sentences}",
        bct.mentions.len()
    );
    // Evidence is a sentence, not the whole line.
    for r in &x.relations {
        assert!(
            r.evidence.text.len() <= 10_000,
            "evidence of {} bytes",
            r.evidence.text.len()
        );
    }
}

#[test]
fn one_long_line_of_sentences() {
    check_long_line(200_000, ". ");
}

#[test]
fn one_long_line_of_sentences_full_size() {
    check_long_line(2_000_000, ". ");
}

#[test]
fn one_line_that_is_one_sentence() {
    check_long_line(400_000, "; ");
}

#[test]
fn one_line_without_any_space() {
    // A minified blob: letters, digits and punctuation, no space, no line break.
    let text = "Bộ_Chính-trị/05-CT/TW,1.2.3;đồng,chí:Ban;Bí+thư".repeat(500_000 / 52);
    extract_checked(&text);
}

fn check_dong_chi(bytes: usize) {
    let text = "đồng chí ".repeat(bytes / "đồng chí ".len());
    let x = extract_checked(&text);
    // An honorific with no name after it names nobody.
    assert_eq!(
        count(&x, EntityKind::Person),
        0,
        "{:?}",
        x.entities.first().map(|e| &e.id)
    );
    let caps = "Đồng chí ".repeat(bytes / "Đồng chí ".len());
    let x = extract_checked(&caps);
    assert!(
        mentions(&x) <= caps.split_whitespace().count(),
        "at most one mention per word"
    );
}

#[test]
fn repeated_dong_chi() {
    check_dong_chi(20_000);
}

#[test]
fn a_megabyte_of_dong_chi() {
    check_dong_chi(1_000_000);
}

#[test]
fn many_capitalized_words() {
    // 50,000 capitalized syllables (a million runs in the benchmark).
    let text = capitalized_words(50_000);
    let x = extract_checked(&text);
    assert!(mentions(&x) <= 50_000, "at most one mention per word");
}

fn check_names_after_cac_dong_chi(n: usize) {
    let mut r = Rng(42);
    let mut text = String::from("Tham dự hội nghị có các đồng chí: ");
    let mut names = std::collections::BTreeSet::new();
    while names.len() < n {
        let name = random_name(&mut r);
        if names.insert(name.clone()) {
            text.push_str(&name);
            text.push_str(", ");
        }
    }
    text.push_str("Bí thư Tỉnh ủy Nghệ An.\n");
    let x = extract_checked(&text);
    let listed: std::collections::BTreeSet<String> = names
        .iter()
        .map(|n| partygraph::gazetteer::node_id(EntityKind::Person, n))
        .collect();
    let extra: Vec<(&str, Vec<&str>)> = x
        .entities
        .iter()
        // A known person (gazetteer) may match the first syllables of a listed name.
        .filter(|e| e.kind == EntityKind::Person && !listed.contains(&e.id))
        .filter(|e| {
            e.mentions
                .iter()
                .any(|m| m.recognizer != partygraph::Recognizer::Gazetteer)
        })
        .map(|e| {
            (
                e.id.as_str(),
                e.mentions.iter().map(|m| m.text.as_str()).collect(),
            )
        })
        .collect();
    assert!(extra.is_empty(), "people not in the list: {extra:?}");
}

#[test]
fn names_after_cac_dong_chi() {
    check_names_after_cac_dong_chi(1_000);
}

#[test]
fn ten_thousand_names_after_cac_dong_chi() {
    check_names_after_cac_dong_chi(10_000);
}

#[test]
fn deeply_nested_html_and_huge_attribute() {
    let mut page = "<div>".repeat(50_000);
    page.push_str("Bộ Chính trị");
    page.push_str(&"</div>".repeat(50_000));
    page.push_str(&format!(
        "<p title=\"{}\">Ban Bí thư</p>",
        "x".repeat(1_000_000)
    ));
    page.push_str(&"<b>".repeat(100_000));
    let raw = page.as_bytes();
    let t = corpus::decode_as("p.html", raw.to_vec(), InputFormat::Html).expect("decode");
    let x = t.extract(
        invariants::extractor(),
        corpus::document_info("p", "p.html"),
    );
    invariants::check_extraction(raw, &t, &x).expect("span invariants");
    assert!(x.entities.iter().any(|e| e.id == "committee:bo-chinh-tri"));
    assert!(x.entities.iter().any(|e| e.id == "committee:ban-bi-thu"));
}

#[test]
fn many_bad_bytes_and_combining_marks() {
    // Every other byte invalid, and long runs of combining marks on one letter.
    let mut raw = Vec::new();
    for i in 0..200_000u32 {
        raw.push(if i % 2 == 0 { b'a' } else { 0xFF });
    }
    raw.extend("Bộ Chính trị ".as_bytes());
    raw.extend(format!("a{}", "\u{301}\u{323}\u{309}".repeat(50_000)).as_bytes());
    raw.extend(" Ban Bí thư".as_bytes());
    invariants::check_bytes(&raw, InputFormat::Text).expect("invariants");
}
