//! Patterns of the real press, one test each, on sentences written for these tests in the style
//! of party news (spellings, list shapes, fronted clauses): what a reader of the sentence would
//! take from it.

use partygraph::{EntityKind, Extraction, Extractor, RelationKind};

fn extract(text: &str) -> Extraction {
    let ex = Extractor::new().expect("embedded gazetteers");
    ex.extract_str("bai", text)
}

/// Labels of the entities of `kind`.
fn labels(x: &Extraction, kind: EntityKind) -> Vec<String> {
    x.entities
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| e.label.clone())
        .collect()
}

/// The label of an entity ID.
fn label<'a>(x: &'a Extraction, id: &'a str) -> &'a str {
    x.entities
        .iter()
        .find(|e| e.id == id)
        .map(|e| e.label.as_str())
        .unwrap_or(id)
}

/// (source label, target label, title) of every relation of `kind`, deduplicated, sorted.
fn rels(x: &Extraction, kind: RelationKind) -> Vec<(String, String, String)> {
    let mut v: Vec<(String, String, String)> = x
        .relations
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| {
            (
                label(x, &r.source).to_string(),
                label(x, &r.target).to_string(),
                r.title.clone().unwrap_or_default(),
            )
        })
        .collect();
    v.sort();
    v.dedup();
    v
}

/// The people with a relation of `kind` to a meeting.
fn who(x: &Extraction, kind: RelationKind) -> Vec<String> {
    let mut v: Vec<String> = rels(x, kind).into_iter().map(|r| r.0).collect();
    v.dedup();
    v
}

/// The titles each person holds, as "Person: title".
fn positions(x: &Extraction) -> Vec<String> {
    let mut v: Vec<String> = rels(x, RelationKind::HoldsPosition)
        .into_iter()
        .map(|(p, _, t)| format!("{p}: {t}"))
        .collect();
    v.dedup();
    v
}

#[test]
fn eth_for_d_and_central_abbreviations_name_the_central_bodies() {
    // "Ð" (U+00D0) typed for "Đ", and "T.Ư" for "Trung ương".
    let x = extract(
        "Ngày 5/3/2024, Ðảng ủy Khối các cơ quan T.Ư vừa tổ chức hội nghị Ban Chấp hành \
         Ðảng bộ lần thứ 18. Ðồng chí Trần Quốc Phong, Ủy viên T.Ư Ðảng, Bí thư Ðảng ủy Khối \
         chủ trì.",
    );
    let committees = labels(&x, EntityKind::Committee);
    assert!(
        committees.contains(&"Đảng ủy Khối các cơ quan Trung ương".to_string()),
        "{committees:?}"
    );
    assert_eq!(
        rels(&x, RelationKind::Organizes)
            .into_iter()
            .map(|r| r.0)
            .collect::<Vec<_>>(),
        ["Đảng ủy Khối các cơ quan Trung ương"]
    );
    assert_eq!(who(&x, RelationKind::Chairs), ["Trần Quốc Phong"]);
    let pos = positions(&x);
    assert!(
        pos.contains(&"Trần Quốc Phong: Ủy viên Trung ương Đảng".to_string()),
        "{pos:?}"
    );
    assert!(
        pos.contains(&"Trần Quốc Phong: Bí thư".to_string()),
        "{pos:?}"
    );
}

#[test]
fn central_departments_written_with_dang_or_tw() {
    let x = extract(
        "Sáng 12/3/2021, Ban Tổ chức Trung ương Đảng tổ chức hội nghị giao ban. Đại diện Ban \
         Tuyên giáo TW và Văn phòng T.Ư Đảng cùng dự.",
    );
    let committees = labels(&x, EntityKind::Committee);
    for want in [
        "Ban Tổ chức Trung ương",
        "Ban Tuyên giáo Trung ương",
        "Văn phòng Trung ương Đảng",
    ] {
        assert!(
            committees.contains(&want.to_string()),
            "{want}: {committees:?}"
        );
    }
    // The name as written is kept as an alias.
    let btc = x
        .entities
        .iter()
        .find(|e| e.label == "Ban Tổ chức Trung ương")
        .unwrap();
    assert!(
        btc.aliases.contains("Ban Tổ chức Trung ương Đảng"),
        "{:?}",
        btc.aliases
    );
}
