//! Growth check for pathological inputs: each case is timed at a size n and at 4n, and the run
//! fails when the larger input takes more than 10 times as long (linear work gives about 4,
//! quadratic 16). Timing lives here, not in the tests.
//!
//! ```text
//! cargo bench --bench pathological            # the growth check, about a minute
//! cargo bench --bench pathological -- --full  # also the issue's full sizes, timed once
//! cargo bench --bench pathological -- dong    # only the cases whose name contains "dong"
//! ```
//!
//! Then one comparison: articles concatenated into one document against the same articles as
//! separate documents (a month of news in one dump). The run fails when the one document costs
//! more than 1.5 times the separate ones.

use partygraph::Extractor;
use partygraph::corpus::{self, InputFormat};
use std::time::{Duration, Instant};

#[path = "../tests/robust_support/names.rs"]
mod names;
use names::Rng;

/// Linear work scales by 4 for 4 times the input; quadratic by 16.
const MAX_RATIO: f64 = 10.0;

/// One line of real sentences, `bytes` long.
fn long_line(bytes: usize) -> String {
    let s = "Đồng chí Nguyễn Văn Bình, Ủy viên Bộ Chính trị, Bí thư Tỉnh ủy Nghệ An, chủ trì hội nghị quán triệt Chỉ thị số 05-CT/TW của Bộ Chính trị. ";
    s.repeat(bytes / s.len() + 1)
}

/// One line that is one sentence (clauses joined by semicolons), `bytes` long.
fn one_sentence(bytes: usize) -> String {
    long_line(bytes).replace(". ", "; ")
}

/// "đồng chí " repeated to `bytes`.
fn dong_chi(bytes: usize) -> String {
    "đồng chí ".repeat(bytes / "đồng chí ".len() + 1)
}

/// "Đồng chí " repeated to `bytes`.
fn dong_chi_caps(bytes: usize) -> String {
    "Đồng chí ".repeat(bytes / "Đồng chí ".len() + 1)
}

/// `n` capitalized words.
fn capitalized(n: usize) -> String {
    names::capitalized_words(n)
}

/// `n` names after "các đồng chí:".
fn name_list(n: usize) -> String {
    let mut r = Rng(42);
    let mut t = String::from("Tham dự hội nghị có các đồng chí: ");
    for _ in 0..n {
        t.push_str(&names::random_name(&mut r));
        t.push_str(", ");
    }
    t.push_str("Bí thư Tỉnh ủy Nghệ An.\n");
    t
}

const PROVINCES: &[&str] = &[
    "Nghệ An",
    "Hà Tĩnh",
    "Quảng Trị",
    "Thanh Hóa",
    "Nam Định",
    "Thái Bình",
    "Bắc Giang",
    "Lạng Sơn",
    "Sơn La",
    "Điện Biên",
    "Đắk Lắk",
    "Gia Lai",
    "Bình Định",
    "Phú Yên",
];

/// One article of about 2 KB written in the press's style: a provincial committee's meeting,
/// who chaired, attended and spoke, a document it studied, and short forms to resolve.
fn article(r: &mut Rng, k: usize) -> String {
    let province = PROVINCES[k % PROVINCES.len()];
    let chair = names::random_name(r);
    let deputy = names::random_name(r);
    let speaker = names::random_name(r);
    let given = chair.rsplit(' ').next().unwrap_or("Bình").to_string();
    let (day, month, code) = (1 + r.next() % 28, 1 + r.next() % 12, 1 + r.next() % 60);
    format!(
        "Tỉnh ủy {province}: Hội nghị sơ kết công tác xây dựng Đảng\n\n\
         Ngày {day}/{month}/2024, Ban Thường vụ Tỉnh ủy {province} tổ chức Hội nghị sơ kết 6 \
         tháng công tác xây dựng Đảng và quán triệt Nghị quyết số {code}-NQ/TU của Tỉnh ủy.\n\n\
         Đồng chí {chair}, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, chủ trì hội nghị. Dự hội \
         nghị có đồng chí {deputy}, Phó Bí thư Thường trực Tỉnh ủy, Chủ tịch HĐND tỉnh; các \
         đồng chí trong Ban Thường vụ Tỉnh ủy và lãnh đạo các sở, ban, ngành của tỉnh.\n\n\
         Sáu tháng qua, Đảng bộ tỉnh đã lãnh đạo thực hiện tốt các nhiệm vụ chính trị; công \
         tác kiểm tra, giám sát được tăng cường; tổ chức cơ sở đảng được củng cố. Tỉnh ủy đã \
         ban hành nhiều văn bản chỉ đạo kịp thời, sát với thực tiễn của địa phương.\n\n\
         Phát biểu tại hội nghị, đồng chí {speaker}, Trưởng Ban Tổ chức Tỉnh ủy, đề nghị các \
         cấp ủy tiếp tục đổi mới phương thức lãnh đạo, nâng cao chất lượng sinh hoạt chi bộ.\n\n\
         Kết luận hội nghị, đồng chí {given} yêu cầu các cấp ủy, tổ chức đảng tập trung thực \
         hiện thắng lợi các chỉ tiêu nghị quyết đề ra, chuẩn bị tốt cho đại hội đảng bộ các \
         cấp nhiệm kỳ tới.\n\n"
    )
}

/// Articles, one after the other, to `bytes`.
fn articles(bytes: usize) -> Vec<String> {
    let mut r = Rng(7);
    let mut out = Vec::new();
    let mut n = 0;
    while n < bytes {
        let a = article(&mut r, out.len());
        n += a.len();
        out.push(a);
    }
    out
}

/// Articles of about 2 KB each in one document, `bytes` long.
fn one_document(bytes: usize) -> String {
    articles(bytes).concat()
}

/// The most one document may cost against the same articles as separate documents.
const MAX_ONE_DOCUMENT: f64 = 1.5;

/// `n` nested `<div>`s around a committee name, as HTML.
fn nested_html(n: usize) -> String {
    format!("{}Bộ Chính trị{}", "<div>".repeat(n), "</div>".repeat(n))
}

struct Case {
    name: &'static str,
    html: bool,
    make: fn(usize) -> String,
    /// The size n for the growth check.
    small: usize,
    /// The size the issue names.
    full: usize,
}

const CASES: &[Case] = &[
    Case {
        name: "long-line-bytes",
        html: false,
        make: long_line,
        small: 1_000_000,
        full: 50_000_000,
    },
    Case {
        name: "one-sentence-line-bytes",
        html: false,
        make: one_sentence,
        small: 25_000,
        full: 1_000_000,
    },
    Case {
        name: "dong-chi-bytes",
        html: false,
        make: dong_chi,
        small: 100_000,
        full: 1_000_000,
    },
    Case {
        name: "dong-chi-caps-bytes",
        html: false,
        make: dong_chi_caps,
        small: 100_000,
        full: 1_000_000,
    },
    Case {
        name: "capitalized-words",
        html: false,
        make: capitalized,
        small: 100_000,
        full: 1_000_000,
    },
    Case {
        name: "names-after-cac-dong-chi",
        html: false,
        make: name_list,
        small: 2_500,
        full: 10_000,
    },
    Case {
        name: "articles-in-one-file-bytes",
        html: false,
        make: one_document,
        small: 1_000_000,
        full: 50_000_000,
    },
    Case {
        name: "nested-html-divs",
        html: true,
        make: nested_html,
        small: 50_000,
        full: 1_000_000,
    },
];

fn time_once(ex: &Extractor, html: bool, text: &str) -> Duration {
    let format = if html {
        InputFormat::Html
    } else {
        InputFormat::Text
    };
    let started = Instant::now();
    let t = match corpus::decode_as("bench", text.as_bytes().to_vec(), format) {
        Ok(t) => t,
        Err(e) => panic!("decode: {e}"),
    };
    let x = t.extract(ex, corpus::document_info("b", "b"));
    std::hint::black_box(x);
    started.elapsed()
}

fn best_of(ex: &Extractor, html: bool, text: &str, runs: usize) -> Duration {
    (0..runs)
        .map(|_| time_once(ex, html, text))
        .min()
        .unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let full = args.iter().any(|a| a == "--full");
    let filter: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let ex = match Extractor::new() {
        Ok(ex) => ex,
        Err(e) => {
            eprintln!("gazetteers: {e}");
            std::process::exit(2);
        }
    };
    let mut failed = Vec::new();
    println!(
        "{:<26} {:>10} {:>10} {:>10} {:>10} {:>6}",
        "case", "n", "t(n)", "4n", "t(4n)", "ratio"
    );
    for c in CASES {
        if !filter.is_empty() && !filter.iter().any(|f| c.name.contains(f.as_str())) {
            continue;
        }
        let small = (c.make)(c.small);
        let large = (c.make)(c.small * 4);
        let t1 = best_of(&ex, c.html, &small, 3);
        let t4 = best_of(&ex, c.html, &large, 3);
        let ratio = t4.as_secs_f64() / t1.as_secs_f64().max(1e-6);
        println!(
            "{:<26} {:>10} {:>9.3}s {:>10} {:>9.3}s {:>6.1}{}",
            c.name,
            c.small,
            t1.as_secs_f64(),
            c.small * 4,
            t4.as_secs_f64(),
            ratio,
            if ratio > MAX_RATIO {
                "  SUPERLINEAR"
            } else {
                ""
            }
        );
        if ratio > MAX_RATIO {
            failed.push(c.name);
        }
        if full {
            let text = (c.make)(c.full);
            let t = time_once(&ex, c.html, &text);
            println!(
                "{:<26} full size {} ({} bytes): {:.2}s",
                c.name,
                c.full,
                text.len(),
                t.as_secs_f64()
            );
        }
    }
    if filter.is_empty() || filter.iter().any(|f| "one-document".contains(f.as_str())) {
        // The same articles as one document and as separate documents, on one thread.
        let size = if full { 50_000_000 } else { 4_000_000 };
        let parts = articles(size);
        let whole = parts.concat();
        let pool = rayon::ThreadPoolBuilder::new().num_threads(1).build();
        let (one, many) = match pool {
            Ok(p) => p.install(|| {
                let one = best_of(&ex, false, &whole, 3);
                let many = (0..3)
                    .map(|_| {
                        parts
                            .iter()
                            .map(|a| time_once(&ex, false, a))
                            .sum::<Duration>()
                    })
                    .min()
                    .unwrap_or_default();
                (one, many)
            }),
            Err(e) => panic!("thread pool: {e}"),
        };
        let ratio = one.as_secs_f64() / many.as_secs_f64().max(1e-6);
        println!(
            "one-document: {} articles, {} bytes: as one document {:.3}s, as {} documents {:.3}s, ratio {:.2}{}",
            parts.len(),
            whole.len(),
            one.as_secs_f64(),
            parts.len(),
            many.as_secs_f64(),
            ratio,
            if ratio > MAX_ONE_DOCUMENT {
                "  TOO SLOW"
            } else {
                ""
            }
        );
        if ratio > MAX_ONE_DOCUMENT {
            failed.push("one-document");
        }
    }
    if !failed.is_empty() {
        eprintln!(
            "growth worse than linear (more than {MAX_RATIO}x for 4x the input): {}",
            failed.join(", ")
        );
        std::process::exit(1);
    }
}
