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

/// The bodies that organize a meeting.
fn organizers(x: &Extraction) -> Vec<String> {
    rels(x, RelationKind::Organizes)
        .into_iter()
        .map(|r| r.0)
        .collect()
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
        "Chiều 14/11/2023, Ðảng ủy Khối các cơ quan T.Ư tổ chức hội nghị sơ kết công tác \
         đảng. Ðồng chí Trần Quốc Phong, Ủy viên T.Ư Ðảng, Bí thư Ðảng ủy Khối \
         chủ trì.",
    );
    let committees = labels(&x, EntityKind::Committee);
    assert!(
        committees.contains(&"Đảng ủy Khối các cơ quan Trung ương".to_string()),
        "{committees:?}"
    );
    assert_eq!(organizers(&x), ["Đảng ủy Khối các cơ quan Trung ương"]);
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

#[test]
fn the_lead_sentence_names_the_organizer_when_the_headline_is_the_key() {
    // The headline reports the meeting; the organizer is in the lead below it.
    let x = extract(
        "Bí thư Tỉnh ủy phát biểu khai mạc Hội nghị lần thứ 9 Ban Chấp hành Đảng bộ tỉnh\n\n\
         Sáng 6-4-2023, Ban Thường vụ Tỉnh ủy Vĩnh Long đã tổ chức Hội nghị Tỉnh ủy lần thứ 9. \
         Đồng chí Trần Văn Lâm, Bí thư Tỉnh ủy, phát biểu khai mạc hội nghị.",
    );
    let org = organizers(&x);
    assert_eq!(org, ["Ban Thường vụ Tỉnh ủy Vĩnh Long"]);
    // A body that only prepares another event is not its organizer.
    let x = extract(
        "Hội nghị Ban Chấp hành Đảng bộ huyện lần thứ 5\n\nNgày 3/2/2020, Huyện ủy Tân Lạc họp \
         hội nghị Ban Chấp hành lần thứ 5. Hội nghị thảo luận kế hoạch tổ chức đại hội đảng bộ \
         các cấp.",
    );
    assert!(rels(&x, RelationKind::Organizes).is_empty());
}

#[test]
fn a_body_that_chairs_and_organizes_is_the_organizer() {
    let x = extract(
        "Chiều 8/7/2022, Ban Tổ chức Trung ương Đảng chủ trì, tổ chức hội nghị giao ban công \
         tác 6 tháng đầu năm.",
    );
    let org = organizers(&x);
    assert_eq!(org, ["Ban Tổ chức Trung ương"]);
}

#[test]
fn a_degree_before_a_name_does_not_end_the_sentence() {
    let x = extract(
        "Ngày 20/1/2016, Đảng ủy Viện Nghiên cứu Hải sản tổ chức buổi họp tiểu ban văn kiện. \
         Tham dự và chủ trì buổi họp có GS.VS. Trịnh Văn Tâm, Bí thư Đảng ủy, Viện trưởng.",
    );
    assert_eq!(who(&x, RelationKind::Chairs), ["Trịnh Văn Tâm"]);
    assert_eq!(who(&x, RelationKind::Attends), ["Trịnh Văn Tâm"]);
}

#[test]
fn a_trigger_word_inside_a_title_is_not_a_role() {
    // "chỉ đạo" in "Trưởng Ban chỉ đạo" is a title, not "phát biểu chỉ đạo".
    let x = extract(
        "Sáng 14-1-2020, Ban Thường vụ Thành ủy Cần Thơ tổ chức hội nghị tổng kết. Đồng chí \
         Lê Thị Hạnh, Phó Bí thư Thường trực Thành ủy, Trưởng Ban chỉ đạo của Thành ủy về thực \
         hiện Nghị quyết 28 chủ trì hội nghị.",
    );
    assert_eq!(who(&x, RelationKind::Chairs), ["Lê Thị Hạnh"]);
    assert!(
        who(&x, RelationKind::SpeaksAt).is_empty(),
        "{:?}",
        who(&x, RelationKind::SpeaksAt)
    );
    let pos = positions(&x);
    assert!(
        pos.iter().any(|p| p.starts_with("Lê Thị Hạnh: Trưởng Ban")),
        "{pos:?}"
    );
}

#[test]
fn co_chairs_listed_across_semicolons_with_their_titles() {
    let x = extract(
        "Ngày 22-8-2019, Ban Thường vụ Thành ủy Đà Nẵng phối hợp với Ban Kinh tế Trung ương \
         tổ chức hội thảo khoa học. Các đồng chí: Phan Văn Hùng, Ủy viên Bộ Chính trị; Bí thư \
         Trung ương Đảng, Trưởng Ban Kinh tế Trung ương; Lê Quang Vinh, Ủy viên Trung ương \
         Đảng, Bí thư Thành ủy, Chủ tịch HĐND thành phố; Đào Minh Khải, Phó trưởng Ban Kinh tế \
         Trung ương đồng chủ trì. Cùng dự có các đồng chí Ủy viên Ban Thường vụ Thành ủy.",
    );
    assert_eq!(
        who(&x, RelationKind::Chairs),
        ["Lê Quang Vinh", "Phan Văn Hùng", "Đào Minh Khải"]
    );
}

#[test]
fn chairs_after_duoi_su_chu_tri_cua_and_the_verb_after_them_is_not_theirs() {
    let x = extract(
        "Ngày 29-9-2023, dưới sự chủ trì của đồng chí Hồ Văn Niên, Ủy viên Trung ương Đảng, Bí \
         thư Tỉnh ủy, Chủ tịch HĐND tỉnh và các đồng chí: Châu Ngọc Tuấn, Phó Bí thư Thường \
         trực Tỉnh ủy; Trương Hải Long, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh, Hội nghị lần \
         thứ 25 Ban Chấp hành Đảng bộ tỉnh Bình Phước đã được tổ chức để đánh giá tình hình \
         và báo cáo kết quả 9 tháng.",
    );
    assert_eq!(
        who(&x, RelationKind::Chairs),
        ["Châu Ngọc Tuấn", "Hồ Văn Niên", "Trương Hải Long"]
    );
    // "báo cáo" after the list is not said of the chairs.
    assert!(
        who(&x, RelationKind::SpeaksAt).is_empty(),
        "{:?}",
        who(&x, RelationKind::SpeaksAt)
    );
}

#[test]
fn a_lead_sentence_above_the_report_names_a_speaker_of_the_meeting() {
    let x = extract(
        "\"Mỗi cán bộ phải gần dân, trọng dân\" - là nội dung quan trọng trong phát biểu kết \
         luận của đồng chí Bí thư Tỉnh ủy Nguyễn Đức Thanh tại hội nghị Ban Chấp hành Đảng bộ \
         lần thứ 12.\n\nNgày 29-9-2022, Tỉnh ủy Ninh Thuận tổ chức Hội nghị lần thứ 12 Ban Chấp \
         hành Đảng bộ tỉnh. Đồng chí Nguyễn Đức Thanh, Bí thư Tỉnh ủy chủ trì hội nghị.",
    );
    assert_eq!(who(&x, RelationKind::Chairs), ["Nguyễn Đức Thanh"]);
    assert_eq!(who(&x, RelationKind::SpeaksAt), ["Nguyễn Đức Thanh"]);
    // A quote before the report that names no meeting after its verb makes no speaker.
    let x = extract(
        "Đồng chí Nguyễn Văn Tâm từng phát biểu rằng phải gần dân.\n\nNgày 29-9-2022, Tỉnh ủy \
         Ninh Thuận tổ chức Hội nghị lần thứ 12 Ban Chấp hành Đảng bộ tỉnh. Đồng chí Nguyễn Đức \
         Thanh, Bí thư Tỉnh ủy chủ trì hội nghị.",
    );
    assert!(
        who(&x, RelationKind::SpeaksAt).is_empty(),
        "{:?}",
        who(&x, RelationKind::SpeaksAt)
    );
}

#[test]
fn state_offices_before_a_name_hold_the_body_the_title_implies() {
    let x = extract(
        "Chiều 20/8/2024, Tổ công tác số 2 của Bộ Chính trị do Thủ tướng Chính phủ Trần Minh \
         Đức chủ trì và Tổ công tác số 3 do Ủy viên Bộ Chính trị, Chủ tịch Quốc hội Nguyễn Văn \
         Hòa chủ trì đã làm việc với Ban Thường vụ Tỉnh ủy Bắc Giang.",
    );
    let pos = rels(&x, RelationKind::HoldsPosition);
    assert!(
        pos.contains(&(
            "Trần Minh Đức".to_string(),
            "Chính phủ".to_string(),
            "Thủ tướng".to_string()
        )),
        "{pos:?}"
    );
    assert!(
        pos.contains(&(
            "Nguyễn Văn Hòa".to_string(),
            "Quốc hội".to_string(),
            "Chủ tịch Quốc hội".to_string()
        )),
        "{pos:?}"
    );
    assert_eq!(
        who(&x, RelationKind::Chairs),
        ["Nguyễn Văn Hòa", "Trần Minh Đức"]
    );
}

#[test]
fn a_party_office_without_a_body_is_held_in_the_articles_party_committee() {
    let x = extract(
        "Sáng ngày 30/3/2016, Huyện ủy Yên Thành tổ chức hội nghị quán triệt. Tới dự có đồng \
         chí Phan Văn Tường - Bí thư Huyện ủy - Chủ tịch HĐND huyện, Lê Văn Giáp – Phó bí thư \
         thường trực, Nguyễn Tất Hùng – Phó Bí thư Thường trực, Chủ tịch HĐND huyện.",
    );
    let pos = rels(&x, RelationKind::HoldsPosition);
    for who in ["Lê Văn Giáp", "Nguyễn Tất Hùng"] {
        assert!(
            pos.contains(&(
                who.to_string(),
                "Huyện ủy Yên Thành".to_string(),
                "Phó Bí thư Thường trực".to_string()
            )),
            "{who}: {pos:?}"
        );
    }
    // The state office of the same chain keeps its own body.
    assert!(
        !pos.iter().any(|(p, o, t)| p == "Nguyễn Tất Hùng"
            && t == "Phó Bí thư Thường trực"
            && o != "Huyện ủy Yên Thành"),
        "{pos:?}"
    );
}

#[test]
fn delegation_heads_and_steering_committee_titles() {
    let x = extract(
        "Ngày 15/1/2020, Thành ủy Hải Phòng tổ chức hội nghị. Đồng chí Vũ Thị Lan, Phó Bí thư \
         Thường trực Thành ủy, Trưởng Đoàn đại biểu Quốc hội thành phố chủ trì hội nghị; đồng \
         chí Đỗ Văn Hải, Trưởng đoàn ĐBQH tỉnh Thái Bình cùng dự.",
    );
    let pos = positions(&x);
    assert!(
        pos.iter()
            .any(|p| p.starts_with("Vũ Thị Lan: Trưởng Đoàn đại biểu Quốc hội")),
        "{pos:?}"
    );
    assert!(
        pos.iter()
            .any(|p| p.starts_with("Đỗ Văn Hải: Trưởng Đoàn đại biểu Quốc hội")),
        "{pos:?}"
    );
}

#[test]
fn documents_by_number_after_a_qualifier_or_the_types_abbreviation() {
    let x = extract(
        "Sáng 14-1-2020, Ban Thường vụ Thành ủy Hải Phòng tổ chức tổng kết 10 năm thực hiện \
         Nghị quyết (NQ) 28 về xây dựng tổ chức đảng trong doanh nghiệp và sơ kết Chương trình \
         hành động 76 của Thành ủy. Hội nghị cũng bàn Kế hoạch năm 2020.",
    );
    let docs = labels(&x, EntityKind::Resolution);
    assert!(docs.contains(&"Nghị quyết 28".to_string()), "{docs:?}");
    assert!(
        docs.contains(&"Chương trình hành động 76".to_string()),
        "{docs:?}"
    );
    // A year is not a document number.
    assert!(!docs.iter().any(|d| d.contains("2020")), "{docs:?}");
    let nq = x
        .entities
        .iter()
        .find(|e| e.label == "Nghị quyết 28")
        .unwrap();
    assert!(
        nq.aliases.contains("Nghị quyết (NQ) 28"),
        "{:?}",
        nq.aliases
    );
    let refs: Vec<String> = rels(&x, RelationKind::References)
        .into_iter()
        .map(|r| r.1)
        .collect();
    assert_eq!(refs, ["Chương trình hành động 76", "Nghị quyết 28"]);
}

#[test]
fn a_speech_as_a_noun_names_one_speaker_and_praise_names_none() {
    let x = extract(
        "Ngày 10/8/2020, Đảng ủy Bệnh viện Nhi Hải Dương tổ chức Đại hội đảng bộ nhiệm kỳ \
         2020-2025. Đại hội đã nghe phát biểu chỉ đạo của đồng chí Bí thư Thành ủy Lê Văn Hùng \
         và đồng chí Phạm Thị Mai. Đây là ghi nhận của các đại biểu về cống hiến của đồng chí \
         Trần Văn Nam.",
    );
    assert_eq!(who(&x, RelationKind::SpeaksAt), ["Lê Văn Hùng"]);
}

#[test]
fn a_two_letter_abbreviation_with_stops_ends_a_sentence() {
    let x = extract(
        "Ngày 15/6/2023, Bộ Công an tổ chức Hội nghị Đảng ủy Công an T.Ư. Cùng dự có Thủ tướng \
         Chính phủ Nguyễn Văn An, Ủy viên Ban Thường vụ Đảng ủy Công an T.Ư. Đại tướng Trần \
         Quốc Bảo, Bí thư Đảng ủy Công an T.Ư, Bộ trưởng Bộ Công an, chủ trì hội nghị.",
    );
    assert_eq!(who(&x, RelationKind::Chairs), ["Trần Quốc Bảo"]);
    assert_eq!(who(&x, RelationKind::Attends), ["Nguyễn Văn An"]);
}

#[test]
fn a_working_session_is_a_meeting_and_each_group_has_its_chair() {
    let x = extract(
        "Ngày 8/9/2025, tại Trụ sở Trung ương Đảng, Tổ Công tác số 1, số 2 của Bộ Chính trị làm \
         việc với Ban Thường vụ Tỉnh ủy các tỉnh Nghệ An, Hà Tĩnh.\n\nTổ Công tác số 1 do Ủy \
         viên Bộ Chính trị, Chủ tịch nước Hoàng Văn Sơn chủ trì.\n\nTổ Công tác số 2 do Ủy viên \
         Bộ Chính trị, Thường trực Ban Bí thư Đinh Thị Hoa chủ trì.",
    );
    assert!(
        labels(&x, EntityKind::Meeting).len() == 1,
        "{:?}",
        labels(&x, EntityKind::Meeting)
    );
    assert_eq!(
        who(&x, RelationKind::Chairs),
        ["Hoàng Văn Sơn", "Đinh Thị Hoa"]
    );
    let pos = positions(&x);
    assert!(
        pos.contains(&"Hoàng Văn Sơn: Chủ tịch nước".to_string()),
        "{pos:?}"
    );
    // Planned, not held: no meeting.
    let x =
        extract("Tổ Công tác số 1 của Bộ Chính trị sẽ làm việc với Ban Thường vụ Tỉnh ủy Nghệ An.");
    assert!(labels(&x, EntityKind::Meeting).is_empty());
}

#[test]
fn small_bodies_named_after_a_lower_case_unit() {
    let x = extract(
        "Sáng ngày 11/6/2022, Chi bộ phòng Kỹ thuật Công nghệ Mỏ đã tổ chức thành công đại hội \
         lần thứ III, nhiệm kỳ 2022-2025.",
    );
    let org = organizers(&x);
    assert_eq!(org, ["Chi bộ phòng Kỹ thuật Công nghệ Mỏ"]);
    let x = extract("Ngày 5/3/2025, Chi bộ ấp Tân Hòa tổ chức đại hội đảng viên.");
    let org = organizers(&x);
    assert_eq!(org, ["Chi bộ ấp Tân Hòa"]);
    // A unit word followed by no name is not a body's name.
    let x = extract("Ngày 5/3/2025, Chi bộ tổ chức đại hội tại phòng họp.");
    assert!(
        !labels(&x, EntityKind::Committee)
            .iter()
            .any(|c| c.contains("phòng")),
        "{:?}",
        labels(&x, EntityKind::Committee)
    );
}

/// (person, body, title) of every position.
fn held(x: &Extraction) -> Vec<(String, String, String)> {
    rels(x, RelationKind::HoldsPosition)
}

#[test]
fn a_place_body_written_in_lower_case_is_still_the_body() {
    // Careless pages write the body, and even the place's second syllable, in lower case; the
    // article writes the place properly elsewhere.
    let x = extract(
        "Sáng 12/4, Thanh Hà tổ chức hội nghị học tập chuyên đề năm 2021.\n\n\
         Dự hội nghị có đồng chí Phan Đức Hậu - Bí thư huyện ủy, Chủ tịch HĐND huyện; \
         đồng chí Lương Thị Mai - Phó Bí thư Thường trực huyện ủy.\n\n\
         Ngay sau hội nghị, huyện ủy Thanh hà triển khai kế hoạch thực hiện.",
    );
    let committees = labels(&x, EntityKind::Committee);
    assert!(
        committees.contains(&"Huyện ủy Thanh Hà".to_string()),
        "{committees:?}"
    );
    assert!(
        !committees
            .iter()
            .any(|c| c == "Huyện ủy Thanh hà" || c == "Huyện ủy Thanh"),
        "{committees:?}"
    );
    let pos = held(&x);
    assert!(
        pos.contains(&(
            "Phan Đức Hậu".into(),
            "Huyện ủy Thanh Hà".into(),
            "Bí thư".into()
        )),
        "{pos:?}"
    );
    assert!(
        pos.contains(&(
            "Lương Thị Mai".into(),
            "Huyện ủy Thanh Hà".into(),
            "Phó Bí thư Thường trực".into()
        )),
        "{pos:?}"
    );
}

#[test]
fn lower_case_body_words_in_a_plural_or_a_list_of_kinds_are_not_bodies() {
    let x = extract(
        "Ban Thường vụ Tỉnh ủy Hòa Bình yêu cầu các huyện ủy, thành ủy Hòa Bình và đảng ủy \
         trực thuộc quán triệt nghị quyết.",
    );
    let committees = labels(&x, EntityKind::Committee);
    assert!(
        !committees.iter().any(|c| c.starts_with("Huyện ủy")),
        "{committees:?}"
    );
}

#[test]
fn the_unit_word_after_a_place_body_is_not_repeated() {
    // "Huyện ủy huyện Yên Phong" is the Huyện ủy of Yên Phong.
    let x = extract(
        "Chiều 3/6, Huyện ủy huyện Yên Phong tổ chức hội nghị sơ kết. Đồng chí Ngô Văn Tấn, \
         Bí thư Huyện ủy huyện Yên Phong chủ trì hội nghị.",
    );
    let committees = labels(&x, EntityKind::Committee);
    assert!(
        committees.contains(&"Huyện ủy Yên Phong".to_string()),
        "{committees:?}"
    );
    assert_eq!(organizers(&x), ["Huyện ủy Yên Phong"]);
}

#[test]
fn a_membership_named_for_its_body_kind_is_held_in_that_body() {
    // "Thành ủy viên" is a member of the city's Thành ủy, not of the Quận ủy named after it.
    let x = extract(
        "Ngày 8/1, Đảng bộ Bệnh viện Đa khoa quận Bình Sơn tổ chức Đại hội. Tới dự có đồng chí \
         Vũ Minh Quang - Thành ủy viên - Bí thư Quận ủy Bình Sơn; đồng chí Đỗ Thu Hằng, Phó \
         Chánh Văn phòng Thành ủy Hải Phòng.",
    );
    let pos = held(&x);
    assert!(
        pos.contains(&(
            "Vũ Minh Quang".into(),
            "Thành ủy Hải Phòng".into(),
            "Thành ủy viên".into()
        )),
        "{pos:?}"
    );
    assert!(
        pos.contains(&(
            "Vũ Minh Quang".into(),
            "Quận ủy Bình Sơn".into(),
            "Bí thư".into()
        )),
        "{pos:?}"
    );
}

#[test]
fn tuv_is_the_citys_membership_in_a_city_and_the_provinces_elsewhere() {
    let city = extract(
        "Chiều 5/5, Quận ủy Tây Hồ tổ chức hội nghị quán triệt chỉ thị của Thành ủy. Đồng \
         chí Đinh Văn Lực, TUV, Bí thư Quận ủy dự và phát biểu. Thành ủy giao các quận \
         triển khai ngay.",
    );
    assert!(
        positions(&city).contains(&"Đinh Văn Lực: Thành ủy viên".to_string()),
        "{:?}",
        positions(&city)
    );
    let province = extract(
        "Sáng 9/9, Huyện ủy Mỹ Đức tổ chức hội nghị. Đồng chí Bạch Quốc Trị, TUV, Bí thư \
         Huyện ủy chủ trì hội nghị theo kế hoạch của Tỉnh ủy.",
    );
    assert!(
        positions(&province).contains(&"Bạch Quốc Trị: Tỉnh ủy viên".to_string()),
        "{:?}",
        positions(&province)
    );
}

#[test]
fn an_alternate_central_member_written_with_the_central_committees_full_name() {
    let x = extract(
        "Sáng 20/10, Tỉnh ủy Ninh Thuận dự hội nghị trực tuyến toàn quốc. Tại điểm cầu \
         tỉnh, đồng chí Hoàng Thị Yến – Uỷ viên dự khuyết Ban Chấp hành Trung \
         ương Đảng, Phó Bí thư Thường trực Tỉnh uỷ Ninh Thuận, Chủ tịch HĐND tỉnh chủ trì.",
    );
    let pos = positions(&x);
    for want in [
        "Hoàng Thị Yến: Ủy viên dự khuyết Trung ương Đảng",
        "Hoàng Thị Yến: Phó Bí thư Thường trực",
        "Hoàng Thị Yến: Chủ tịch Hội đồng nhân dân",
    ] {
        assert!(pos.contains(&want.to_string()), "{want}: {pos:?}");
    }
    assert_eq!(who(&x, RelationKind::Chairs), ["Hoàng Thị Yến"]);
}

#[test]
fn a_membership_of_a_body_the_article_never_names_is_not_the_districts() {
    let x = extract(
        "Chiều 2/7, Huyện ủy Phong Thổ tổ chức hội nghị sơ kết. Phát biểu tại hội nghị, đồng \
         chí Lò Văn Piếng - Tỉnh ủy viên, Bí thư Huyện ủy ghi nhận kết quả đạt được.",
    );
    let pos = held(&x);
    assert!(
        pos.contains(&(
            "Lò Văn Piếng".into(),
            "Tỉnh ủy".into(),
            "Tỉnh ủy viên".into()
        )),
        "{pos:?}"
    );
    assert!(
        pos.contains(&(
            "Lò Văn Piếng".into(),
            "Huyện ủy Phong Thổ".into(),
            "Bí thư".into()
        )),
        "{pos:?}"
    );
}

#[test]
fn a_place_as_subject_of_the_organize_verb_is_its_party_committee() {
    let x = extract(
        "Huyện ủy Tân Kỳ quán triệt nghị quyết mới.\n\n\
         Sáng 14/5, Tân Kỳ tổ chức hội nghị quán triệt, triển khai Nghị quyết số 18-NQ/TW. \
         Đồng chí Hồ Đức Khang, Bí thư Huyện ủy chủ trì hội nghị.",
    );
    assert_eq!(organizers(&x), ["Huyện ủy Tân Kỳ"]);
    // Not a place the article names no committee for, nor a place inside a longer subject.
    let y = extract(
        "Sáng 14/5, UBND huyện Tân Kỳ tổ chức hội nghị triển khai kế hoạch. Đồng chí Hồ Đức \
         Khang, Chủ tịch UBND huyện chủ trì hội nghị.",
    );
    assert!(
        !organizers(&y).iter().any(|o| o.contains("ủy")),
        "{:?}",
        organizers(&y)
    );
}

#[test]
fn a_chair_who_also_briefs_the_meeting_speaks_at_it() {
    let x = extract(
        "Sáng 3/6, Ban Thường vụ Tỉnh ủy Hà Giang tổ chức hội nghị thông báo nhanh kết quả \
         Hội nghị Trung ương. Đồng chí Vương Đình Toàn, Bí thư Tỉnh ủy chủ trì và trực tiếp \
         thông tin với hội nghị.",
    );
    assert_eq!(who(&x, RelationKind::Chairs), ["Vương Đình Toàn"]);
    assert_eq!(who(&x, RelationKind::SpeaksAt), ["Vương Đình Toàn"]);
}

#[test]
fn a_speaker_named_by_title_only_is_the_person_who_holds_it() {
    let text = "Ngày 21-4, Tỉnh ủy Phú Yên tổ chức hội nghị quán triệt các quy định mới. Đồng \
                chí Lê Thị Hoa, Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh chủ trì \
                hội nghị; đồng chí Đào Văn Sỹ, Phó Bí thư Tỉnh ủy dự.\n\n\
                Đồng chí Phó Bí thư Thường trực Tỉnh ủy đề nghị các cấp ủy triển khai ngay.\n\n\
                Phát biểu bế mạc, đồng chí Phó Bí thư Tỉnh ủy Đào Văn Sỹ nhấn mạnh yêu cầu.";
    let x = extract(text);
    assert_eq!(
        who(&x, RelationKind::SpeaksAt),
        ["Lê Thị Hoa", "Đào Văn Sỹ"]
    );
    // A title two people of the article hold names no one.
    let y = extract(
        "Ngày 2-5, Tỉnh ủy Phú Yên tổ chức hội nghị. Đồng chí Đào Văn Sỹ, Phó Bí thư Tỉnh ủy \
         và đồng chí Cao Thị Hạnh, Phó Bí thư Tỉnh ủy dự hội nghị.\n\n\
         Đồng chí Phó Bí thư Tỉnh ủy đề nghị các cấp ủy triển khai ngay.",
    );
    assert!(
        who(&y, RelationKind::SpeaksAt).is_empty(),
        "{:?}",
        who(&y, RelationKind::SpeaksAt)
    );
}

#[test]
fn a_congress_resolution_written_short_is_the_full_one_of_the_article() {
    let x = extract(
        "Sáng 9/3, Quận ủy Cầu Giấy tổ chức hội nghị quán triệt Nghị quyết Đại hội đại biểu \
         Đảng bộ quận Cầu Giấy lần thứ XXV. Đồng chí Trịnh Văn Tuấn, Bí thư Quận ủy chủ trì. \
         Hội nghị đã nghe quán triệt Nghị quyết Đại hội Đảng bộ quận lần thứ XXV và kế hoạch \
         thực hiện Nghị quyết Đại hội Đảng bộ thành phố lần thứ XVII.",
    );
    let docs = labels(&x, EntityKind::Resolution);
    assert!(
        docs.contains(&"Nghị quyết Đại hội đại biểu Đảng bộ quận Cầu Giấy lần thứ XXV".to_string()),
        "{docs:?}"
    );
    assert!(
        !docs
            .iter()
            .any(|d| d == "Nghị quyết Đại hội Đảng bộ quận lần thứ XXV"),
        "{docs:?}"
    );
    // Another body's congress stays apart.
    assert!(
        docs.iter().any(|d| d.contains("thành phố lần thứ XVII")),
        "{docs:?}"
    );
}

#[test]
fn central_plenum_resolutions_written_loosely() {
    // Lower-case type word, a Roman numeral, a dash before the body.
    let x = extract(
        "Sáng 2/4, Huyện ủy Quỳ Hợp tổ chức hội nghị quán triệt nghị quyết hội nghị lần thứ \
         IX – BCH trung ương đảng khóa XI. Đồng chí Lữ Văn Nam, Bí thư Huyện ủy chủ trì.",
    );
    assert!(
        labels(&x, EntityKind::Resolution).contains(&"Nghị quyết Trung ương 9 khóa XI".to_string()),
        "{:?}",
        labels(&x, EntityKind::Resolution)
    );
    // A list of plenums of one Central Committee.
    let y = extract(
        "Chiều 9/5, Đảng ủy Bệnh viện C tổ chức hội nghị quán triệt Nghị quyết Hội nghị lần \
         thứ 4, 5 của Ban Chấp hành Trung ương Đảng khóa XIII.",
    );
    let docs = labels(&y, EntityKind::Resolution);
    for want in [
        "Nghị quyết Trung ương 4 khóa XIII",
        "Nghị quyết Trung ương 5 khóa XIII",
    ] {
        assert!(docs.contains(&want.to_string()), "{want}: {docs:?}");
    }
}

#[test]
fn a_plenum_resolution_of_the_articles_own_committee() {
    let x = extract(
        "Ngày 8/1, Đảng ủy Trường Cao đẳng Y tế Lạng Sơn tổ chức hội nghị sơ kết. Đồng chí \
         Hoàng Văn Pấu, Bí thư Đảng ủy báo cáo tình hình thực hiện Nghị quyết Hội nghị lần thứ \
         3 và định hướng nhiệm vụ quý I.",
    );
    let docs = labels(&x, EntityKind::Resolution);
    assert_eq!(docs, ["Nghị quyết Hội nghị lần thứ 3"]);
    let refs = rels(&x, RelationKind::References);
    assert_eq!(refs.len(), 1, "{refs:?}");
    // Scoped to the article: another school's third plenum is another document.
    let r = x
        .entities
        .iter()
        .find(|e| e.kind == EntityKind::Resolution)
        .map(|e| e.id.clone())
        .unwrap_or_default();
    assert!(r.ends_with("--bai"), "{r}");
}

#[test]
fn enterprise_and_bloc_bodies_written_in_sentence_case() {
    let x = extract(
        "Chiều 4/3, Đảng ủy Công ty CP than Cao Sơn tổ chức hội nghị giao ban. Dự hội nghị có \
         đại diện Đảng ủy khối Doanh nghiệp, Đảng ủy Khu Kinh tế. Đồng chí Vũ Văn Khẩn - Bí \
         thư Đảng ủy Công ty CP than Cao Sơn - Trưởng vùng Cẩm Phả chủ trì.",
    );
    let committees = labels(&x, EntityKind::Committee);
    for want in [
        "Đảng ủy Công ty CP than Cao Sơn",
        "Đảng ủy Khối Doanh nghiệp",
        "Đảng ủy Khu Kinh tế",
    ] {
        assert!(
            committees.contains(&want.to_string()),
            "{want}: {committees:?}"
        );
    }
    // The company's name is not a person's, though "Cao" is a family name.
    assert_eq!(labels(&x, EntityKind::Person), ["Vũ Văn Khẩn"]);
    assert_eq!(organizers(&x), ["Đảng ủy Công ty CP than Cao Sơn"]);
    assert!(
        positions(&x).contains(&"Vũ Văn Khẩn: Trưởng vùng".to_string()),
        "{:?}",
        positions(&x)
    );
}

#[test]
fn a_body_named_by_its_kind_only_is_kept_for_the_article() {
    let x = extract(
        "Ngày 26/2, các chi bộ vùng Uông Bí tổ chức hội nghị giao ban. Dự hội nghị có đồng chí \
         Lê Văn Tùng - Phó Bí thư Thường trực Đảng ủy Tập đoàn; đồng chí Phạm Thị Ngát, Bí thư \
         Đảng bộ xã dự.",
    );
    let committees = labels(&x, EntityKind::Committee);
    assert!(
        committees.contains(&"Đảng ủy Tập đoàn".to_string()),
        "{committees:?}"
    );
    assert!(
        committees.contains(&"Đảng bộ xã".to_string()),
        "{committees:?}"
    );
    let scoped: Vec<&str> = x
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Committee)
        .map(|e| e.id.as_str())
        .collect();
    assert!(scoped.iter().all(|id| id.ends_with("--bai")), "{scoped:?}");
    // "Đảng bộ tỉnh" in an article about one province is that province's.
    let y = extract(
        "Sáng 5/8, Ban Thường vụ Tỉnh ủy Bắc Kạn tổ chức hội nghị. Các đồng chí Ủy viên Ban Chấp \
         hành Đảng bộ tỉnh dự hội nghị.",
    );
    let committees = labels(&y, EntityKind::Committee);
    assert!(
        committees.contains(&"Đảng bộ tỉnh Bắc Kạn".to_string()),
        "{committees:?}"
    );
}

#[test]
fn union_and_delegation_nouns_and_short_deputy_titles_are_not_people() {
    let x = extract(
        "Sáng 6/9, Ban Tuyên giáo Huyện ủy Hương Khê tổ chức hội nghị báo cáo viên. Đ/c Phan \
         Thị Lụa - HUV, Phó Ban Tuyên Giáo Huyện ủy chủ trì hội nghị. Cùng dự có Bí thư Đoàn \
         Thanh niên huyện và đại diện Đoàn Thanh tra tỉnh.",
    );
    assert_eq!(labels(&x, EntityKind::Person), ["Phan Thị Lụa"]);
    assert_eq!(who(&x, RelationKind::Chairs), ["Phan Thị Lụa"]);
    assert!(
        positions(&x).contains(&"Phan Thị Lụa: Phó Trưởng Ban Tuyên giáo".to_string()),
        "{:?}",
        positions(&x)
    );
}

#[test]
fn a_lower_case_place_body_after_a_sub_body() {
    let x = extract(
        "Sáng 30/3, Huyện ủy Nghi Xuân tổ chức hội nghị quán triệt. Dự hội nghị có các đồng \
         chí trong BTV huyện ủy, bí thư các chi bộ trực thuộc.",
    );
    let committees = labels(&x, EntityKind::Committee);
    assert!(
        committees.contains(&"Ban Thường vụ Huyện ủy Nghi Xuân".to_string()),
        "{committees:?}"
    );
}

#[test]
fn a_lower_case_sub_body_short_form_names_the_sub_body_not_its_parent() {
    // "BTV huyện ủy" written in lower case after the full "Huyện ủy X": the mention is the
    // standing committee's; the district committee's own mention is "huyện ủy" alone.
    let x = extract(
        "Chiều 12/3, Huyện ủy Nam Đàn tổ chức hội nghị sơ kết công tác xây dựng Đảng. Dự hội nghị có \
         đồng chí Hoàng Văn Tuấn, Bí thư huyện ủy, các đồng chí trong BTV huyện ủy, bí thư các chi bộ \
         trực thuộc.",
    );
    let mention_texts = |label: &str| -> Vec<String> {
        let mut v: Vec<String> = x
            .entities
            .iter()
            .filter(|e| e.label == label)
            .flat_map(|e| e.mentions.iter().map(|m| m.text.clone()))
            .collect();
        v.sort();
        v
    };
    assert!(
        mention_texts("Ban Thường vụ Huyện ủy Nam Đàn").contains(&"BTV huyện ủy".to_string()),
        "{:?}",
        labels(&x, EntityKind::Committee)
    );
    let district = mention_texts("Huyện ủy Nam Đàn");
    assert!(
        !district.iter().any(|t| t.contains("BTV")),
        "the district committee is not named by its standing committee's short form: {district:?}"
    );
}

#[test]
fn a_bare_dang_uy_is_the_body_the_article_names_by_its_kind_only() {
    // The article names its own body by kind only ("Ban Chấp hành Đảng bộ xã"): a bare "Đảng
    // ủy" and "BTV Đảng ủy" are that body and its standing committee, scoped to the article.
    let x = extract(
        "Sáng 8/7, Ban Chấp hành Đảng bộ xã tổ chức hội nghị sơ kết 6 tháng đầu năm, với sự tham dự \
         của các đồng chí trong Thường trực BTV Đảng ủy, lãnh đạo các ban, ngành, đoàn thể. Hội nghị \
         thống nhất các giải pháp Đảng ủy đề ra cho 6 tháng cuối năm.",
    );
    let committees = labels(&x, EntityKind::Committee);
    let btv = x
        .entities
        .iter()
        .find(|e| e.label == "Ban Thường vụ Đảng ủy xã")
        .unwrap_or_else(|| panic!("no standing committee: {committees:?}"));
    assert!(
        btv.id.ends_with("--bai"),
        "scoped to the article: {}",
        btv.id
    );
    assert!(btv.mentions.iter().any(|m| m.text == "BTV Đảng ủy"));
    let own = x
        .entities
        .iter()
        .find(|e| e.label == "Đảng ủy xã")
        .unwrap_or_else(|| panic!("no Đảng ủy xã: {committees:?}"));
    assert!(
        own.mentions.iter().any(|m| m.text == "Đảng ủy"),
        "{:?}",
        own.mentions
    );
}

#[test]
fn a_bare_dang_uy_between_two_kinds_of_body_stays_unresolved() {
    // Two bodies named by kind only (a commune's and a company's): a bare "Đảng ủy" could be
    // either, so it is not made into one.
    let x = extract(
        "Sáng 8/7, Ban Chấp hành Đảng bộ xã phối hợp với Đảng ủy Công ty tổ chức hội nghị, với sự \
         tham dự của các đồng chí trong BTV Đảng ủy.",
    );
    let committees = labels(&x, EntityKind::Committee);
    assert!(
        !committees.iter().any(|c| c.starts_with("Ban Thường vụ")),
        "{committees:?}"
    );
}

#[test]
fn a_committee_written_cut_short_is_the_full_one_of_the_article() {
    // The full name once, then its first words and an initialism of the rest: one body.
    let x = extract(
        "Ngày 20/12, Đảng bộ Viện Khoa học Thủy lợi Việt Nam tổ chức hội nghị tổng kết công tác \
         năm. Đồng chí Trần Văn Minh, Bí thư Đảng ủy Viện Khoa học, chủ trì hội nghị. Đảng bộ Viện \
         KHTLVN có 12 chi bộ trực thuộc; Ban Thường vụ Đảng ủy Viện Khoa học đã ban hành nhiều văn bản.",
    );
    let committees = labels(&x, EntityKind::Committee);
    let full = "Viện Khoa học Thủy lợi Việt Nam";
    for c in &committees {
        assert!(
            c.ends_with(full),
            "every body is the institute's, in full: {committees:?}"
        );
    }
    let held = rels(&x, RelationKind::HoldsPosition);
    assert!(
        held.iter().any(|(p, body, t)| p == "Trần Văn Minh"
            && t == "Bí thư"
            && *body == format!("Đảng ủy {full}")),
        "{held:?}"
    );
    assert!(committees.contains(&format!("Ban Thường vụ Đảng ủy {full}")));
}

#[test]
fn two_bodies_named_side_by_side_are_not_one_cut_short() {
    // One name is the start of the other, but they are joined by "với": two universities.
    let x = extract(
        "Ngày 3/5, Đảng ủy Trường Đại học Kinh tế Quốc dân ký kết chương trình phối hợp với Đảng ủy \
         Trường Đại học Kinh tế. Đồng chí Phạm Hồng Chương, Bí thư Đảng ủy Trường Đại học Kinh tế \
         Quốc dân, phát biểu.",
    );
    let committees = labels(&x, EntityKind::Committee);
    assert!(
        committees.contains(&"Đảng ủy Trường Đại học Kinh tế".to_string()),
        "{committees:?}"
    );
    // A place's body is whole as written: two districts.
    let y = extract(
        "Sáng 9/6, Huyện ủy Châu Thành A tổ chức hội nghị. Đại diện Huyện ủy Châu Thành dự hội nghị.",
    );
    let committees = labels(&y, EntityKind::Committee);
    assert!(
        committees.contains(&"Huyện ủy Châu Thành".to_string()),
        "{committees:?}"
    );
}

#[test]
fn a_sub_body_of_a_body_named_by_kind_only_is_part_of_that_body() {
    // No province named: "Tỉnh ủy" is the article's own (scoped) body, and its standing
    // committee is part of it.
    let x = extract(
        "Sáng 27/5, Tỉnh ủy tổ chức hội nghị. Ban Thường vụ Tỉnh ủy đã lãnh đạo triển khai nhiều \
         nhiệm vụ.",
    );
    let part_of: Vec<(String, String)> = x
        .relations
        .iter()
        .filter(|r| r.kind == RelationKind::PartOf)
        .map(|r| (r.source.clone(), r.target.clone()))
        .collect();
    assert!(
        part_of.contains(&(
            "committee:ban-thuong-vu-tinh-uy--bai".to_string(),
            "committee:tinh-uy--bai".to_string()
        )),
        "{part_of:?}"
    );
}

#[test]
fn a_name_after_a_title_and_its_body_is_a_person_whatever_the_family_name() {
    // "Chẩu" (Tày) is a listed family name; "Lìu" is not, but "X Văn Y" runs as a person's name.
    for name in ["Chẩu Văn Lâm", "Lìu Văn Sếnh", "Lìu Thị Mai"] {
        let x = extract(&format!(
            "8h00: Đồng chí Bí thư Tỉnh ủy {name} quán triệt bài phát biểu của đồng chí Tổng Bí thư \
             tại hội nghị."
        ));
        let committees = labels(&x, EntityKind::Committee);
        assert!(
            !committees
                .iter()
                .any(|c| c.contains("Lâm") || c.contains("Lìu")),
            "{name}: {committees:?}"
        );
        assert!(
            labels(&x, EntityKind::Person).contains(&name.to_string()),
            "{name}"
        );
    }
}

#[test]
fn a_capitalized_role_phrase_after_a_body_is_not_its_name() {
    // A caption written carelessly: "Phát biểu" is what the secretary does, not the district.
    let x = extract(
        "Sáng 5/3, Huyện ủy Yên Thành tổ chức hội nghị sơ kết. Đồng chí Trần Văn Phúc, Bí thư huyện \
         ủy Phát biểu tại hội nghị.",
    );
    let committees = labels(&x, EntityKind::Committee);
    assert!(
        !committees.iter().any(|c| c.contains("Phát")),
        "{committees:?}"
    );
    assert!(who(&x, RelationKind::SpeaksAt).contains(&"Trần Văn Phúc".to_string()));
}

#[test]
fn the_same_bodys_next_congress_after_a_congress_resolution_is_not_another_resolution() {
    let x = extract(
        "Trên cơ sở Nghị quyết Đại hội Đảng bộ Trường Đại học Vinh lần thứ XXX, Đại hội Đảng bộ Trường \
         Đại học Vinh lần thứ XXXI nhiệm kỳ 2020-2025 sẽ xác định phương hướng mới. Hội nghị quán \
         triệt Nghị quyết Đại hội Đảng bộ tỉnh lần thứ XIX, Đại hội Đảng bộ huyện lần thứ XXIII.",
    );
    let resolutions = labels(&x, EntityKind::Resolution);
    assert!(
        resolutions
            .iter()
            .any(|r| r.contains("lần thứ XXX") && !r.contains("XXXI")),
        "{resolutions:?}"
    );
    assert!(
        !resolutions.iter().any(|r| r.contains("XXXI")),
        "{resolutions:?}"
    );
    // A list of two bodies' congresses is still two resolutions.
    assert!(
        resolutions.iter().any(|r| r.contains("lần thứ XIX")),
        "{resolutions:?}"
    );
    assert!(
        resolutions.iter().any(|r| r.contains("lần thứ XXIII")),
        "{resolutions:?}"
    );
}

#[test]
fn titles_after_a_semicolon_go_on_with_the_person_before_them() {
    // A ';' inside one person's titles (a writer's slip), then the next person; a title before
    // the next name is that person's.
    let x = extract(
        "Sáng 6/4, Thành ủy Hải Phòng tổ chức hội thảo. Các đồng chí: Trần Văn Bình, Ủy viên Bộ Chính \
         trị; Bí thư Trung ương Đảng, Trưởng Ban Kinh tế Trung ương; Lê Văn Hòa, Bí thư Thành ủy; Phó \
         Bí thư Thành ủy Đỗ Thị Lan chủ trì hội thảo.",
    );
    let held = positions(&x);
    for want in [
        "Trần Văn Bình: Ủy viên Bộ Chính trị",
        "Trần Văn Bình: Bí thư",
        "Trần Văn Bình: Trưởng Ban Kinh tế",
        "Lê Văn Hòa: Bí thư",
        "Đỗ Thị Lan: Phó Bí thư",
    ] {
        assert!(held.iter().any(|h| h.starts_with(want)), "{want}: {held:?}");
    }
    assert!(
        !held.iter().any(|h| h.starts_with("Lê Văn Hòa: Phó Bí thư")),
        "{held:?}"
    );
}
