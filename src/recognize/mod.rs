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
    use crate::lexicon::EVERY_TOKEN;
    use proptest::prelude::*;

    /// Pieces of running text around documents, committees, names, meetings and their roles:
    /// types, "số", numbers, codes split by spaces, bodies in both cases, honorifics, titles,
    /// triggers, stops and line breaks, with and without diacritics, in capitals (`|` apart).
    const PIECES: &str = "Nghị quyết|nghị quyết|NGHỊ QUYẾT|Nghi quyet|Chỉ thị|chỉ thị|Kết luận|\
        Kế hoạch|kế hoạch|Chương trình hành động|Quyết định|Quy định|Thông báo|Hướng dẫn|\
        Công văn|Đề án|liên tịch|chuyên đề|số|so|Số|05|12|2024|35-NQ/TW|05-CT/TU|15 - NQ/TU|\
        749/QĐ-TTg|172/2024/QH15|08-KH/ĐU|(NQ)|NQ|/|-|ngày|11-1-2018|năm|tháng|lần|thứ|XIII|\
        khóa|Trung ương|Đại hội|Hội nghị|Ban Chấp hành|của|Tỉnh ủy|Bộ Chính trị|Ban Thường vụ|\
        Huyện ủy Đô Lương|đồng chí|Đinh Văn Khuê|Bí thư|về|việc|thực hiện|quán triệt|,|.|(|)|:|\
        \n|\n\n|“|”|huyện ủy|Huyện ủy|tỉnh ủy|Đảng ủy|đảng ủy|Chi bộ|chi bộ|Đảng bộ|BTV|Ban|\
        Ban Tổ chức|Ủy ban Kiểm tra|UBKT|Thành ủy Hà Nội|các|những|xã|phường|Khối|Nghệ An|Đô|\
        Lương|lương|Phó Bí thư|Đảng ủy viên|ĐẢNG ỦY KHỐI|TỈNH ỦY|Tinh uy Nghe An|Dang uy|\
        huyen uy|Trường|Tập đoàn|Công an|Quân sự|tỉnh|Hội nông dân|ông|Ông|bà|các đồng chí|\
        Thiếu tướng|TS.|Lò Văn Khiêm|Khiêm|Mạc Thị Sen|Văn|Thị|Vi Hồng Quế|chủ trì|dự|dự thảo|\
        tham dự|phát biểu|chỉ đạo|tổ chức|hội nghị|giao ban|sơ kết|tổng kết|!|?|;|và|cùng|\
        chu tri|hoi nghi|dong chi|Chủ tịch UBND|Giám đốc|Sở Nội vụ|Bệnh viện|có|gồm|trao đổi";

    fn text() -> impl Strategy<Value = String> {
        let pieces: Vec<&'static str> = PIECES.split('|').collect();
        proptest::collection::vec(proptest::sample::select(pieces), 1..40)
            .prop_map(|words| words.join(" "))
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]
        /// Looking only where a document, a committee, a name, a meeting noun or a trigger may
        /// start ([`crate::lexicon::RuleStarts`]) finds what looking at every token finds.
        #[test]
        fn rule_starts_miss_nothing(text in text()) {
            let ex = Extractor::new().expect("embedded gazetteers load");
            prop_assume!(!text.contains("||"));
            let some = ex.extract_str("doc", &text);
            EVERY_TOKEN.set(true);
            let every = ex.extract_str("doc", &text);
            EVERY_TOKEN.set(false);
            prop_assert_eq!(some, every);
        }
    }
}
