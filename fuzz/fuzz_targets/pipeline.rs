//! Fuzz target over the whole pipeline: bytes → decoding (lossy UTF-8, binary detection) →
//! HTML visible text (when the first byte is odd) → normalization → recognition → graph →
//! JSON and DOT.
//!
//! Invariants (checked by `tests/robust_support/invariants.rs`, shared with the proptest and
//! regression tests): no panic; every mention and evidence span inside the input on character
//! boundaries with its text; the folded view maps inside the input on char boundaries; JSON
//! parses and keeps every span in bounds; DOT is accepted by the DOT grammar.
//!
//! ```text
//! cargo install cargo-fuzz
//! RUSTC_BOOTSTRAP=1 cargo fuzz run pipeline fuzz/corpus/pipeline fuzz/seeds \
//!     -- -dict=fuzz/vietnamese.dict -max_len=4096 -jobs=1 -workers=1
//! ```

#![no_main]

use libfuzzer_sys::fuzz_target;
use partygraph::corpus::InputFormat;

#[path = "../../tests/robust_support/invariants.rs"]
mod invariants;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, raw)) = data.split_first() else {
        return;
    };
    let format = if mode & 1 == 1 {
        InputFormat::Html
    } else {
        InputFormat::Text
    };
    if let Err(e) = invariants::check_bytes(raw, format) {
        panic!("invariant broken ({format:?}): {e}");
    }
});
