//! Growth check for pathological inputs: each case is timed at a size n and at 4n, and the run
//! fails when the larger input takes more than 10 times as long (linear work gives about 4,
//! quadratic 16). Timing lives here, not in the tests.
//!
//! ```text
//! cargo bench --bench pathological            # the growth check, about a minute
//! cargo bench --bench pathological -- --full  # also the issue's full sizes, timed once
//! cargo bench --bench pathological -- dong    # only the cases whose name contains "dong"
//! ```

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
    if !failed.is_empty() {
        eprintln!(
            "growth worse than linear (more than {MAX_RATIO}x for 4x the input): {}",
            failed.join(", ")
        );
        std::process::exit(1);
    }
}
