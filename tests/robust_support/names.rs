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
