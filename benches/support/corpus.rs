//! A deterministic benchmark corpus: many small Vietnamese party-news articles built from the
//! seed articles in `../shared/seeds` (read at run time, never copied into the repository).
//!
//! Every article is a seed article rewritten: people's names, dates, years, places, enterprises
//! and document codes are replaced by random ones (people drawn from a pool of [`PEOPLE`]
//! names, a few of them in many articles and most in few, as in real news; the names combine
//! surnames from `gazetteers/surnames.txt` with middle and given names listed here; places from
//! places from `gazetteers/places.entities.tsv`, committee names from
//! `gazetteers/committees.templates.tsv`, document codes from `doctypes.tsv` and `issuers.tsv`),
//! with a generated headline, dateline and lead paragraph (a meeting, who chaired it, a document
//! it studied). Articles are about 2 KB (0.9 to 3.5 KB), like real news, so 50 MB is about
//! 23,500 files. Some are written in other shapes the extractor must read:
//!
//! | style | share | what |
//! |---|---|---|
//! | NFC | 60% | as the seeds are (mostly old tone placement: "ủy", "hòa") |
//! | new tone | 15% | "uỷ", "hoà", "thuỷ", "khoẻ" |
//! | NFD | 12% | decomposed |
//! | new tone + NFD | 5% | both |
//! | no diacritics | 8% | "Dang uy tinh Nghe An" |
//!
//! The same seed number gives the same corpus byte for byte: each article is drawn from its own
//! random stream (seed, article number), so a 5 MB corpus is the first files of the 50 MB one.
//!
//! Shared by `examples/gen_corpus.rs` (writes a corpus to a folder) and the criterion benches
//! (build one in memory), through `#[path]`.

#![allow(dead_code)]

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// How many different people a corpus names.
pub const PEOPLE: usize = 20_000;

/// Bytes in a megabyte, as the CLI counts them.
pub const MB: u64 = 1_000_000;

/// The seed folder: `$PARTYGRAPH_SEEDS`, else `../shared/seeds` beside the repository.
pub fn default_seeds_dir() -> PathBuf {
    match std::env::var_os("PARTYGRAPH_SEEDS") {
        Some(d) => PathBuf::from(d),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds"),
    }
}

/// The repository's gazetteer folder.
pub fn default_gazetteers_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("gazetteers")
}

/// Parses a size such as `50MB`, `500 MB`, `2.5MB`, `800KB`, `1GB` or a plain number of bytes
/// (decimal units: 1 MB = 1,000,000 bytes).
pub fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: f64 = num
        .parse()
        .map_err(|_| format!("bad size {s:?}: expected e.g. 50MB, 800KB, 1GB"))?;
    let mult = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kb" => 1e3,
        "m" | "mb" => 1e6,
        "g" | "gb" => 1e9,
        u => return Err(format!("bad size unit {u:?} in {s:?}: use B, KB, MB or GB")),
    };
    Ok((n * mult).round() as u64)
}

/// SplitMix64: small, fast, and the same on every platform.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// A stream for one item of a corpus (independent of the others).
    pub fn for_item(seed: u64, item: u64) -> Rng {
        let mut r = Rng(seed ^ item.wrapping_mul(0xA076_1D64_78BD_642F));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (((self.next_u64() >> 11) as u128 * n as u128) >> 53) as usize
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below((hi - lo + 1) as usize) as u32
    }

    /// True with probability `pct`/100.
    pub fn chance(&mut self, pct: usize) -> bool {
        self.below(100) < pct
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// How an article is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Style {
    /// Precomposed, as the seeds are.
    Nfc,
    /// New tone placement ("uỷ", "hoà").
    NewTone,
    /// Decomposed.
    Nfd,
    /// New tone placement, decomposed.
    NewToneNfd,
    /// Every diacritic removed.
    NoDiacritics,
}

impl Style {
    pub const ALL: [Style; 5] = [
        Style::Nfc,
        Style::NewTone,
        Style::Nfd,
        Style::NewToneNfd,
        Style::NoDiacritics,
    ];

    fn draw(rng: &mut Rng) -> Style {
        match rng.below(100) {
            0..60 => Style::Nfc,
            60..75 => Style::NewTone,
            75..87 => Style::Nfd,
            87..92 => Style::NewToneNfd,
            _ => Style::NoDiacritics,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Style::Nfc => "nfc",
            Style::NewTone => "new-tone",
            Style::Nfd => "nfd",
            Style::NewToneNfd => "new-tone+nfd",
            Style::NoDiacritics => "no-diacritics",
        }
    }
}

/// One generated article.
#[derive(Clone, Debug)]
pub struct Doc {
    /// Its path inside the corpus folder: `NNN/NNNNNN.txt`, 1,000 files per folder.
    pub name: String,
    pub text: String,
    pub style: Style,
}

#[rustfmt::skip]
const MIDDLE: &[&str] = &[
    "Văn", "Thị", "Đức", "Hữu", "Minh", "Quang", "Thanh", "Ngọc", "Xuân", "Đình", "Công", "Hồng",
    "Thu", "Kim", "Bá", "Duy", "Quốc", "Trọng", "Mạnh", "Tiến", "Viết", "Khắc", "Như", "Thế",
    "Anh", "Hoài", "Phương", "Thúy", "Hoàng", "Xuân Thanh", "Văn Minh", "Thị Thu", "Đăng",
];

#[rustfmt::skip]
const GIVEN: &[&str] = &[
    "Hùng", "Dũng", "Hải", "Hà", "Lan", "Hương", "Tuấn", "Nam", "Bình", "Thủy", "Hòa", "Thúy",
    "Huy", "Khoa", "Long", "Phong", "Thắng", "Thành", "Trung", "Nghĩa", "Tùng", "Sơn", "Quỳnh",
    "Hạnh", "Loan", "Phương", "Yến", "Cường", "Tâm", "Toàn", "Lực", "Quý", "Khỏe", "Thụy",
    "Hoan", "Hoạt", "Doanh", "Ninh", "Anh", "Việt", "Chiến", "Hiếu", "Đông", "Giang", "Hoa",
    "Oanh", "Tuyết", "Hiền", "Khánh", "Lợi", "Mai", "Ngân", "Quân", "Quyết", "Thủy Tiên",
    "Thọ", "Vinh", "Xuyến", "Luyến", "Thoa", "Hòe", "Khuê", "Tuyên", "Thủy Hòa",
];

const EVENTS: &[&str] = &[
    "sơ kết công tác xây dựng Đảng 6 tháng đầu năm",
    "tổng kết công tác xây dựng Đảng năm",
    "giao ban công tác Đảng quý",
    "quán triệt, triển khai thực hiện Nghị quyết",
    "Ban Chấp hành mở rộng",
    "tổng kết 10 năm thực hiện Chỉ thị",
    "kiểm điểm, đánh giá, xếp loại tổ chức đảng và đảng viên",
    "học tập chuyên đề tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "phối hợp công tác giữa hai Đảng bộ",
    "triển khai nhiệm vụ trọng tâm",
];

const SUBJECTS: &[&str] = &[
    "tăng cường công tác xây dựng, chỉnh đốn Đảng",
    "công tác kiểm tra, giám sát và thi hành kỷ luật đảng",
    "đổi mới phương thức lãnh đạo của Đảng",
    "đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "nâng cao chất lượng sinh hoạt chi bộ",
    "công tác cán bộ và bảo vệ chính trị nội bộ",
    "phát triển kinh tế - xã hội bền vững",
    "công tác dân vận trong tình hình mới",
];

/// Capitalized words that do not continue a name after a surname ("Trình Đảng ủy...").
#[rustfmt::skip]
const NOT_NAMES: &[&str] = &[
    "Đảng", "Ban", "Bộ", "Hội", "Tỉnh", "Ủy", "Uỷ", "Chi", "Viện", "Nghị", "Quận", "Huyện",
    "Thành", "Thường", "Chính", "Nhà", "Tập", "Khối", "Chủ", "Bí", "Phó", "Trưởng", "Đồng",
    "Ngày", "Tại", "Kế", "Chương", "Điều", "Luật", "Mặt", "Sở", "Phòng", "Thủ", "Trung",
];

const CHAIRS: &[&str] = &[
    "chủ trì Hội nghị",
    "chủ trì hội nghị",
    "chủ trì buổi làm việc",
];

/// Everything read once: seed paragraphs and the lists names are drawn from.
#[derive(Debug)]
pub struct Sources {
    /// Seed articles, one list of paragraphs each (sorted by file name).
    seeds: Vec<Vec<String>>,
    surnames: Vec<String>,
    surname_set: std::collections::HashSet<String>,
    /// (name, "tỉnh" or "thành phố").
    places: Vec<(String, String)>,
    enterprises: Vec<String>,
    /// Names replaced wherever they occur in a seed, by their first word: (name, is place).
    known: HashMap<String, Vec<(String, bool)>>,
    /// Names kept as they are (leaders in `people.entities.tsv`, "Hồ Chí Minh").
    keep: Vec<String>,
    /// (template with `{name}`, place type).
    templates: Vec<(String, String)>,
    /// (type, code letters).
    doctypes: Vec<(String, String)>,
    /// Party issuer codes (TW, TU, HU, ĐU...).
    issuers: Vec<String>,
    offices: Vec<String>,
}

fn data_lines(text: &str) -> impl Iterator<Item = &str> {
    text.lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
}

fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

impl Sources {
    /// Reads the seeds (`*.txt` in `seeds`) and the gazetteer lists.
    pub fn load(seeds: &Path, gazetteers: &Path) -> Result<Sources, String> {
        let rd = std::fs::read_dir(seeds).map_err(|e| {
            format!(
                "seed articles not found in {} ({e}): the benchmark corpus is built from the \
                 seed articles in ../shared/seeds; give another folder with --seeds DIR or \
                 PARTYGRAPH_SEEDS=DIR",
                seeds.display()
            )
        })?;
        let mut files: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        let mut seed_paras = Vec::new();
        for f in &files {
            let text = read(f)?;
            let paras: Vec<String> = text
                .split('\n')
                .map(|l| l.trim().to_string())
                .filter(|l| l.chars().count() >= 40)
                .collect();
            if !paras.is_empty() {
                seed_paras.push(paras);
            }
        }
        if seed_paras.is_empty() {
            return Err(format!(
                "no seed article (*.txt with text) in {}: the benchmark corpus is built from them",
                seeds.display()
            ));
        }
        let surnames: Vec<String> = data_lines(&read(&gazetteers.join("surnames.txt"))?)
            .map(|l| l.trim().to_string())
            .filter(|l| !l.contains(' '))
            .collect();
        let mut places = Vec::new();
        for l in data_lines(&read(&gazetteers.join("places.entities.tsv"))?) {
            let cols: Vec<&str> = l.split('\t').collect();
            if cols.len() >= 2 && cols[0] == "place" {
                let ty = if cols.get(3).is_some_and(|a| a.contains("type=thành phố")) {
                    "thành phố"
                } else {
                    "tỉnh"
                };
                places.push((cols[1].to_string(), ty.to_string()));
            }
        }
        let mut enterprises = Vec::new();
        for l in data_lines(&read(&gazetteers.join("enterprises.entities.tsv"))?) {
            let cols: Vec<&str> = l.split('\t').collect();
            if cols.len() >= 2 && cols[0] == "organization" {
                enterprises.push(cols[1].to_string());
            }
        }
        let mut templates = Vec::new();
        for l in data_lines(&read(&gazetteers.join("committees.templates.tsv"))?) {
            let cols: Vec<&str> = l.split('\t').collect();
            if cols.len() >= 2
                && cols[0].contains("{name}")
                && (cols[1] == "tỉnh" || cols[1] == "thành phố")
            {
                templates.push((cols[0].to_string(), cols[1].to_string()));
            }
        }
        let mut doctypes = Vec::new();
        for l in data_lines(&read(&gazetteers.join("doctypes.tsv"))?) {
            let cols: Vec<&str> = l.split('\t').collect();
            if cols.len() >= 2 && !cols[1].is_empty() {
                doctypes.push((cols[0].to_string(), cols[1].to_string()));
            }
        }
        doctypes.truncate(12); // the party documents (listed first)
        let mut issuers = Vec::new();
        for l in data_lines(&read(&gazetteers.join("issuers.tsv"))?) {
            let code = l.split('\t').next().unwrap_or("").trim();
            if !code.is_empty() && !code.contains('-') {
                issuers.push(code.to_string());
            }
        }
        issuers.truncate(40); // party issuers (listed before the State's)
        let mut offices = Vec::new();
        for l in data_lines(&read(&gazetteers.join("titles.tsv"))?) {
            let cols: Vec<&str> = l.split('\t').collect();
            let names_committee = [
                "Trung ương",
                "ủy",
                "Ủy ban",
                "Đảng",
                "Chi bộ",
                "Ban cán sự",
                "Khối",
            ]
            .iter()
            .any(|w| cols[0].contains(w));
            if cols.len() >= 2
                && cols[1] == "office"
                && (!names_committee || cols[0].starts_with("Chủ nhiệm Ủy ban Kiểm tra"))
            {
                offices.push(cols[0].to_string());
            }
        }
        for (what, n) in [
            ("surnames", surnames.len()),
            ("places", places.len()),
            ("committee templates", templates.len()),
            ("document types", doctypes.len()),
            ("issuers", issuers.len()),
            ("offices", offices.len()),
        ] {
            if n == 0 {
                return Err(format!("no {what} read from {}", gazetteers.display()));
            }
        }
        let mut keep = vec!["Hồ Chí Minh".to_string()];
        for l in data_lines(&read(&gazetteers.join("people.entities.tsv"))?) {
            let cols: Vec<&str> = l.split('\t').collect();
            if cols.len() >= 2 && cols[0] == "person" {
                keep.push(cols[1].to_string());
            }
        }
        keep.sort_by(|a, b| b.len().cmp(&a.len()).then(a.cmp(b)));
        let mut known: HashMap<String, Vec<(String, bool)>> = HashMap::new();
        for (name, is_place) in places
            .iter()
            .map(|(p, _)| (p, true))
            .chain(enterprises.iter().map(|e| (e, false)))
        {
            let first = name.split(' ').next().unwrap_or("").to_string();
            known
                .entry(first)
                .or_default()
                .push((name.clone(), is_place));
        }
        for v in known.values_mut() {
            // Longest first, then by name: the choice does not depend on hashing.
            v.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        }
        Ok(Sources {
            seeds: seed_paras,
            surname_set: surnames.iter().cloned().collect(),
            surnames,
            places,
            enterprises,
            known,
            keep,
            templates,
            doctypes,
            issuers,
            offices,
        })
    }

    /// Reads the default folders (see [`default_seeds_dir`]).
    pub fn load_default() -> Result<Sources, String> {
        Sources::load(&default_seeds_dir(), &default_gazetteers_dir())
    }

    /// Article number `i` of the corpus drawn with `seed`.
    pub fn article(&self, seed: u64, i: u64) -> Doc {
        let mut rng = Rng::for_item(seed, i);
        let style = Style::draw(&mut rng);
        let text = Article::new(self, seed, &mut rng).write();
        let text = restyle(&text, style);
        Doc {
            name: format!("{:03}/{:06}.txt", i / 1000, i),
            text,
            style,
        }
    }

    /// Articles `0, 1, 2...` until their bytes reach `bytes`.
    pub fn corpus(&self, seed: u64, bytes: u64) -> impl Iterator<Item = Doc> + '_ {
        let mut total = 0u64;
        let mut i = 0u64;
        std::iter::from_fn(move || {
            if total >= bytes {
                return None;
            }
            let d = self.article(seed, i);
            total += d.text.len() as u64;
            i += 1;
            Some(d)
        })
    }
}

/// The facts of one generated article.
struct Article<'a> {
    src: &'a Sources,
    seed: u64,
    rng: &'a mut Rng,
    year: u32,
    year_shift: i32,
    place: String,
    committee: String,
}

impl<'a> Article<'a> {
    fn new(src: &'a Sources, seed: u64, rng: &'a mut Rng) -> Article<'a> {
        let year = rng.range(2012, 2025);
        let (place, ptype) = rng.pick(&src.places).clone();
        let fitting: Vec<&(String, String)> =
            src.templates.iter().filter(|(_, t)| *t == ptype).collect();
        let committee = match fitting.is_empty() {
            true => format!("Tỉnh ủy {place}"),
            false => {
                let short = place.strip_prefix("Thành phố ").unwrap_or(&place);
                rng.pick(&fitting).0.replace("{name}", short)
            }
        };
        Article {
            src,
            seed,
            year,
            year_shift: 0,
            place,
            committee,
            rng,
        }
    }

    /// A person of the pool: person `k` with `k` skewed to small numbers (`PEOPLE * u³`), so
    /// the first hundreds appear in many articles.
    fn person(&mut self) -> String {
        let u = (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        let k = (PEOPLE as f64 * u * u * u) as u64;
        let mut r = Rng::for_item(self.seed ^ 0x5045_4f50_4c45, k);
        let s = r.pick(&self.src.surnames).clone();
        let m = *r.pick(MIDDLE);
        let g = *r.pick(GIVEN);
        if r.chance(12) {
            format!("{s} {g}")
        } else {
            format!("{s} {m} {g}")
        }
    }

    fn date(&mut self, sep: char, pad: bool) -> String {
        let d = self.rng.range(1, 28);
        let m = self.rng.range(1, 12);
        match pad {
            true => format!("{d:02}{sep}{m:02}{sep}{}", self.year),
            false => format!("{d}{sep}{m}{sep}{}", self.year),
        }
    }

    fn code(&mut self) -> (String, String) {
        let (ty, letters) = self.rng.pick(&self.src.doctypes).clone();
        let issuer = self.rng.pick(&self.src.issuers).clone();
        let n = self.rng.range(1, 450);
        (ty, format!("{n:02}-{letters}/{issuer}"))
    }

    fn write(mut self) -> String {
        let target = self.rng.range(700, 2300) as usize;
        let mut out = String::with_capacity(target + 1024);
        let event = *self.rng.pick(EVENTS);
        let pad = self.rng.chance(50);
        let date = self.date('/', pad);
        // Headline and dateline.
        let _ = writeln!(
            out,
            "{}: Hội nghị {} năm {}",
            self.committee,
            event.trim_end_matches(" năm"),
            self.year
        );
        let _ = writeln!(
            out,
            "Ngày đăng {} | {:02}:{:02}\n",
            date,
            self.rng.range(6, 22),
            self.rng.range(0, 59)
        );
        // Lead: the meeting, who chaired it, who attended, the document studied.
        let chair = self.person();
        let office = self.rng.pick(&self.src.offices).clone();
        let guest = self.person();
        let guest_office = self.rng.pick(&self.src.offices).clone();
        let (doc_type, code) = self.code();
        let sep = if self.rng.chance(50) { '/' } else { '-' };
        let doc_date = self.date(sep, false);
        let subject = *self.rng.pick(SUBJECTS);
        let chairs = *self.rng.pick(CHAIRS);
        let _ = writeln!(
            out,
            "Ngày {date}, tại {place}, {c} tổ chức Hội nghị {event}. Đồng chí {chair}, {office} \
             {c}, {chairs}. Dự hội nghị có đồng chí {guest}, {guest_office}.\n",
            place = self.place,
            c = self.committee,
        );
        let _ = writeln!(
            out,
            "Hội nghị đã quán triệt {doc_type} số {code} ngày {doc_date} của {c} về {subject}.\n",
            c = self.committee,
        );
        // Body: paragraphs of one seed article, rewritten, from a random start.
        self.year_shift = self.year as i32 - 2019;
        let si = self.rng.below(self.src.seeds.len());
        let paras = &self.src.seeds[si];
        let mut k = self.rng.below(paras.len());
        let mut added = 0;
        while out.len() < target && added < paras.len() * 2 {
            let p = self.rewrite(&paras[k]);
            out.push_str(&p);
            out.push_str("\n\n");
            k = (k + 1) % paras.len();
            added += 1;
        }
        let _ = writeln!(out, "{}", self.person());
        out
    }

    /// Replaces names, places, enterprises, dates, years and document codes in a seed paragraph.
    fn rewrite(&mut self, p: &str) -> String {
        let mut out = String::with_capacity(p.len() + 64);
        let mut i = 0;
        let b = p.as_bytes();
        while i < p.len() {
            let rest = &p[i..];
            let c = rest.chars().next().unwrap_or(' ');
            let at_word_start = i == 0 || !prev_char(p, i).is_alphanumeric();
            let found = match c {
                _ if !at_word_start => None,
                '0'..='9' => self.number_at(rest),
                _ if c.is_uppercase() => self.name_at(rest),
                _ => None,
            };
            if let Some((len, rep)) = found {
                out.push_str(&rep);
                i += len;
                continue;
            }
            // Copy up to the next word.
            let mut j = i + c.len_utf8();
            if c.is_alphanumeric() {
                while j < b.len() {
                    let d = p[j..].chars().next().unwrap_or(' ');
                    if !d.is_alphanumeric() {
                        break;
                    }
                    j += d.len_utf8();
                }
            }
            out.push_str(&p[i..j]);
            i = j;
        }
        out
    }

    /// A date (`20/03/2017`, `27-2-2019`), a year, or a document code (`30-NQ/ĐU`) at the start
    /// of `s`: its length and replacement.
    fn number_at(&mut self, s: &str) -> Option<(usize, String)> {
        let digits = |s: &str| s.bytes().take_while(u8::is_ascii_digit).count();
        let n1 = digits(s);
        let after = &s[n1..];
        let sep = after.chars().next();
        // Date d/m/yyyy or d-m-yyyy.
        if let Some(sep @ ('/' | '-' | '.')) = sep {
            let n2 = digits(&after[1..]);
            if n1 <= 2 && (1..=2).contains(&n2) && after[1 + n2..].starts_with(sep) {
                let n3 = digits(&after[2 + n2..]);
                if n3 == 4 {
                    let len = n1 + 2 + n2 + n3;
                    let pad = n1 == 2 && s.starts_with('0');
                    return Some((len, self.date(sep, pad)));
                }
            }
            // Document code n-LETTERS/ISSUER.
            if sep == '-' {
                let letters = upper_run(&after[1..]);
                if letters > 0 && after[1 + letters..].starts_with('/') {
                    let issuer = upper_run(&after[2 + letters..]);
                    if issuer > 0 {
                        let len = n1 + 2 + letters + issuer;
                        let n = self.rng.range(1, 450);
                        let issuer = match self.rng.chance(30) {
                            true => self.rng.pick(&self.src.issuers).as_str(),
                            false => &after[2 + letters..2 + letters + issuer],
                        };
                        return Some((len, format!("{n:02}-{}/{issuer}", &after[1..1 + letters])));
                    }
                }
            }
        }
        // A year.
        if n1 == 4 && !after.starts_with(|c: char| c.is_alphanumeric()) {
            let y: i32 = s[..4].parse().ok()?;
            if (2000..=2030).contains(&y) {
                return Some((4, (y + self.year_shift).to_string()));
            }
        }
        None
    }

    /// A place, an enterprise or a person's name at the start of `s`.
    fn name_at(&mut self, s: &str) -> Option<(usize, String)> {
        let first_len = s.find(|c: char| !c.is_alphabetic()).unwrap_or(s.len());
        let first = &s[..first_len];
        if let Some(cands) = self.src.known.get(first) {
            for (name, is_place) in cands {
                if s.starts_with(name.as_str())
                    && !s[name.len()..].starts_with(|c: char| c.is_alphanumeric())
                {
                    let rep = match is_place {
                        true => self.rng.pick(&self.src.places).0.clone(),
                        false => self.rng.pick(&self.src.enterprises).clone(),
                    };
                    return Some((name.len(), rep));
                }
            }
        }
        if let Some(k) = self.src.keep.iter().find(|k| {
            s.starts_with(k.as_str()) && !s[k.len()..].starts_with(|c: char| c.is_alphanumeric())
        }) {
            return Some((k.len(), k.clone()));
        }
        if !self.src.surname_set.contains(first) {
            return None;
        }
        // Surname + 1 to 3 capitalized words, one space apart.
        let mut len = first_len;
        let mut words = 1;
        while words < 4 {
            let rest = &s[len..];
            let Some(next) = rest.strip_prefix(' ') else {
                break;
            };
            let w = next
                .find(|c: char| !c.is_alphabetic())
                .unwrap_or(next.len());
            if w == 0 || !next.starts_with(char::is_uppercase) || NOT_NAMES.contains(&&next[..w]) {
                break;
            }
            len += 1 + w;
            words += 1;
        }
        (words >= 2).then(|| (len, self.person()))
    }
}

fn prev_char(s: &str, at: usize) -> char {
    s[..at].chars().next_back().unwrap_or(' ')
}

/// Bytes of the run of upper-case letters at the start of `s`.
fn upper_run(s: &str) -> usize {
    s.char_indices()
        .find(|(_, c)| !(c.is_uppercase() || *c == 'i'))
        .map_or(s.len(), |(i, _)| i)
}

/// Rewrites `text` in `style`.
pub fn restyle(text: &str, style: Style) -> String {
    match style {
        Style::Nfc => text.to_string(),
        Style::NewTone => new_tone(text),
        Style::Nfd => text.nfd().collect(),
        Style::NewToneNfd => new_tone(text).nfd().collect(),
        Style::NoDiacritics => strip_diacritics(text),
    }
}

fn is_tone(c: char) -> bool {
    matches!(c, '\u{300}' | '\u{301}' | '\u{303}' | '\u{309}' | '\u{323}')
}

/// Moves the tone mark of open syllables ending in "oa", "oe", "uy" to the second vowel:
/// "hòa" → "hoà", "thủy" → "thuỷ", "Ủy" → "Uỷ", "khỏe" → "khoẻ" (not "quý", "hoàn").
pub fn new_tone(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut word = String::new();
    let flush = |word: &mut String, out: &mut String| {
        if !word.is_empty() {
            out.push_str(&new_tone_word(word));
            word.clear();
        }
    };
    for c in text.chars() {
        if c.is_alphabetic() || is_tone(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            out.push(c);
        }
    }
    flush(&mut word, &mut out);
    out
}

fn new_tone_word(w: &str) -> String {
    let d: Vec<char> = w.nfd().collect();
    let n = d.len();
    // ...[o|u] TONE [a|e|y] at the end of the word.
    if n >= 3 && is_tone(d[n - 2]) {
        let v1 = d[n - 3].to_ascii_lowercase();
        let v2 = d[n - 1].to_ascii_lowercase();
        let q = n >= 4 && d[n - 4].eq_ignore_ascii_case(&'q');
        if (v1 == 'o' && (v2 == 'a' || v2 == 'e')) || (v1 == 'u' && v2 == 'y' && !q) {
            let mut e = d.clone();
            e.swap(n - 2, n - 1);
            return e.into_iter().nfc().collect();
        }
    }
    w.to_string()
}

/// Removes every diacritic: "Đảng ủy" → "Dang uy".
pub fn strip_diacritics(text: &str) -> String {
    text.nfd()
        .filter(|c| !('\u{300}'..='\u{36F}').contains(c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => c,
        })
        .collect()
}

/// What [`write_corpus`] wrote.
#[derive(Debug, Default)]
pub struct Written {
    pub files: u64,
    pub bytes: u64,
    pub by_style: Vec<(Style, u64)>,
}

/// Writes the corpus of `bytes` bytes drawn with `seed` into `dir` (created).
pub fn write_corpus(src: &Sources, dir: &Path, seed: u64, bytes: u64) -> Result<Written, String> {
    let mut w = Written {
        by_style: Style::ALL.iter().map(|s| (*s, 0)).collect(),
        ..Written::default()
    };
    let mut made = std::collections::HashSet::new();
    for d in src.corpus(seed, bytes) {
        let path = dir.join(&d.name);
        if let Some(parent) = path.parent().filter(|p| made.insert(p.to_path_buf())) {
            std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        std::fs::write(&path, d.text.as_bytes()).map_err(|e| format!("{}: {e}", path.display()))?;
        w.files += 1;
        w.bytes += d.text.len() as u64;
        if let Some(s) = w.by_style.iter_mut().find(|(s, _)| *s == d.style) {
            s.1 += 1;
        }
    }
    Ok(w)
}
