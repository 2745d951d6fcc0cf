//! Deterministic pseudo-random names for pathological inputs, shared by
//! `tests/robust_pathological.rs` and `benches/pathological.rs` (included there by path).
#![allow(dead_code)] // each test binary uses part of it

/// Deterministic pseudo-random numbers (xorshift), so the cases are the same on every run.
pub struct Rng(pub u64);

impl Rng {
    /// The next number.
    pub fn next(&mut self) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 as usize
    }
    /// One of `xs`.
    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.next() % xs.len()]
    }
}

/// Family names.
pub const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
/// Middle names.
pub const MIDDLE: &[&str] = &[
    "Văn", "Thị", "Minh", "Quốc", "Đức", "Thanh", "Hữu", "Ngọc", "Xuân", "Công",
];
/// Given names.
pub const GIVEN: &[&str] = &[
    "An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hùng", "Lan", "Long", "Mai", "Nam", "Phong",
    "Quang", "Sơn", "Tâm", "Thắng", "Trung", "Tuấn", "Việt", "Yến",
];

/// A random full name: family, middle and two given names.
pub fn random_name(r: &mut Rng) -> String {
    format!(
        "{} {} {} {}",
        r.pick(SURNAMES),
        r.pick(MIDDLE),
        r.pick(GIVEN),
        r.pick(GIVEN)
    )
}

/// `n` capitalized syllables drawn from the name lists, a line break every 5,000.
pub fn capitalized_words(n: usize) -> String {
    let mut r = Rng(0x9E37_79B9_7F4A_7C15);
    let all: Vec<&str> = SURNAMES
        .iter()
        .chain(MIDDLE)
        .chain(GIVEN)
        .copied()
        .collect();
    let mut t = String::with_capacity(n * 6);
    for i in 0..n {
        t.push_str(r.pick(&all));
        t.push(if i % 5000 == 4999 { '\n' } else { ' ' });
    }
    t
}
