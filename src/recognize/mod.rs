//! Stage 3: recognizing what the gazetteers do not list — people by context, document codes and
//! conventional titles, committees built from a body word and a name — plus the article's
//! dateline and byline.

pub(crate) mod committees;
pub(crate) mod documents;
pub(crate) mod meta;
pub(crate) mod people;

use crate::article::Analysis;
use crate::gazetteer::Gazetteer;
use crate::lexicon::Lexicon;

/// Runs every recognizer over an analysis, in dependency order: committees (which people rules
/// use as context), documents, people, byline.
pub(crate) fn run(an: &mut Analysis<'_>, g: &Gazetteer, lx: &Lexicon) {
    let lx = lx.get(an.norm.fold());
    committees::recognize(an, g, lx);
    documents::recognize(an, g, lx);
    people::recognize(an, g, lx);
    meta::byline(an, lx);
}

#[cfg(test)]
mod tests {
    use crate::Extractor;
    use proptest::prelude::*;
    use std::cell::Cell;

    thread_local! {
        /// The document and committee recognizers look at every token, not only at their
        /// starts.
        pub(super) static EVERY_TOKEN: Cell<bool> = const { Cell::new(false) };
    }

    /// Pieces of running text around documents: types, "số", numbers, codes, their parts
    /// split by spaces, lower-case types, names and offices, with and without diacritics.
    const PIECES: &[&str] = &[
        "Nghị quyết",
        "nghị quyết",
        "NGHỊ QUYẾT",
        "Nghi quyet",
        "Chỉ thị",
        "chỉ thị",
        "Kết luận",
        "Kế hoạch",
        "kế hoạch",
        "Chương trình hành động",
        "Quyết định",
        "Quy định",
        "Thông báo",
        "Hướng dẫn",
        "Công văn",
        "Đề án",
        "liên tịch",
        "chuyên đề",
        "số",
        "so",
        "Số",
        "05",
        "12",
        "2024",
        "35-NQ/TW",
        "05-CT/TU",
        "15 - NQ/TU",
        "749/QĐ-TTg",
        "172/2024/QH15",
        "08-KH/ĐU",
        "(NQ)",
        "NQ",
        "/",
        "-",
        "ngày",
        "11-1-2018",
        "năm",
        "tháng",
        "lần",
        "thứ",
        "XIII",
        "khóa",
        "Trung ương",
        "Đại hội",
        "Hội nghị",
        "Ban Chấp hành",
        "của",
        "Tỉnh ủy",
        "Bộ Chính trị",
        "Ban Thường vụ",
        "Huyện ủy Đô Lương",
        "đồng chí",
        "Nguyễn Văn An",
        "Bí thư",
        "về",
        "việc",
        "thực hiện",
        "quán triệt",
        ",",
        ".",
        "(",
        ")",
        ":",
        "\n",
        "\n\n",
        "“",
        "”",
        "huyện ủy",
        "Huyện ủy",
        "tỉnh ủy",
        "Đảng ủy",
        "đảng ủy",
        "Chi bộ",
        "chi bộ",
        "Đảng bộ",
        "BTV",
        "Ban",
        "Ban Tổ chức",
        "Ủy ban Kiểm tra",
        "UBKT",
        "Thành ủy Hà Nội",
        "các",
        "những",
        "xã",
        "phường",
        "Khối",
        "Nghệ An",
        "Đô",
        "Lương",
        "lương",
        "Phó Bí thư",
        "Đảng ủy viên",
        "ĐẢNG ỦY KHỐI",
        "TỈNH ỦY",
        "Tinh uy Nghe An",
        "Dang uy",
        "huyen uy",
        "Trường",
        "Tập đoàn",
        "Công an",
        "Quân sự",
        "tỉnh",
        "Hội nông dân",
    ];

    fn text() -> impl Strategy<Value = String> {
        proptest::collection::vec(0..PIECES.len(), 1..40)
            .prop_map(|ix| ix.iter().map(|&i| PIECES[i]).collect::<Vec<_>>().join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
        /// Looking only where a document or a committee may start ([`crate::lexicon::RuleStarts`])
    /// finds what looking at every token finds.
        #[test]
        fn rule_starts_miss_nothing(text in text()) {
            let ex = Extractor::new().expect("embedded gazetteers load");
            let some = ex.extract_str("doc", &text);
            EVERY_TOKEN.set(true);
            let every = ex.extract_str("doc", &text);
            EVERY_TOKEN.set(false);
            prop_assert_eq!(some, every);
        }
    }
}
