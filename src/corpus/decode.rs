//! Bytes to text: UTF-8 checked, invalid sequences replaced (with a map back to the bytes),
//! binary and UTF-16 files recognized.

use super::map::SourceMap;

/// What a file's bytes turned out to be.
#[derive(Debug)]
pub(crate) enum Decoded {
    /// Text; `map` is set when the text differs from the bytes (invalid sequences replaced).
    Text {
        text: String,
        map: Option<SourceMap>,
        bad: Option<BadBytes>,
    },
    /// Not text we read.
    NotText(String),
}

/// Where the invalid UTF-8 of a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BadBytes {
    /// Byte offset of the first invalid sequence.
    pub first: usize,
    /// Number of invalid sequences (each became one U+FFFD).
    pub sequences: usize,
}

/// Decodes bytes as UTF-8, replacing every invalid sequence (as [`String::from_utf8_lossy`]
/// does) by U+FFFD and mapping it back to its bytes. Files with a NUL byte are not text; a
/// UTF-16 byte-order mark or pattern is named as such.
pub(crate) fn decode(bytes: Vec<u8>) -> Decoded {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let order = if bytes[0] == 0xFF { "FF FE" } else { "FE FF" };
        return Decoded::NotText(format!(
            "UTF-16 text (byte-order mark {order}), not read; convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)"
        ));
    }
    if let Some(at) = memchr::memchr(0, &bytes) {
        return Decoded::NotText(if looks_like_utf16(&bytes) {
            format!(
                "looks like UTF-16 text without a byte-order mark (NUL byte at offset {at}), not read; convert it to UTF-8"
            )
        } else {
            format!("binary file (NUL byte at offset {at}), not read")
        });
    }
    // simdutf8 checks a whole article in a few instructions per 32 bytes; std's check goes
    // character by character through Vietnamese (most letters are 2 or 3 bytes).
    if simdutf8::basic::from_utf8(&bytes).is_ok() {
        // SAFETY: simdutf8 has just checked that `bytes` is valid UTF-8.
        let text = unsafe { String::from_utf8_unchecked(bytes) };
        return Decoded::Text {
            text,
            map: None,
            bad: None,
        };
    }
    match String::from_utf8(bytes) {
        Ok(text) => Decoded::Text {
            text,
            map: None,
            bad: None,
        },
        Err(e) => {
            let bytes = e.into_bytes();
            let (text, map, bad) = lossy(&bytes);
            Decoded::Text {
                text,
                map: Some(map),
                bad: Some(bad),
            }
        }
    }
}

fn lossy(bytes: &[u8]) -> (String, SourceMap, BadBytes) {
    let mut text = String::with_capacity(bytes.len() + 16);
    let mut map = SourceMap::new();
    let mut bad = BadBytes {
        first: bytes.len(),
        sequences: 0,
    };
    let mut at = 0usize;
    for chunk in bytes.utf8_chunks() {
        let valid = chunk.valid();
        text.push_str(valid);
        map.verbatim(valid.len(), at);
        at += valid.len();
        let invalid = chunk.invalid();
        if !invalid.is_empty() {
            if bad.sequences == 0 {
                bad.first = at;
            }
            bad.sequences += 1;
            text.push('\u{FFFD}');
            map.replaced('\u{FFFD}'.len_utf8(), at..at + invalid.len());
            at += invalid.len();
        }
    }
    map.set_source_len(bytes.len());
    (text, map, bad)
}

/// True when NUL bytes sit mostly on one parity: ASCII text saved as UTF-16.
fn looks_like_utf16(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(4096)];
    if sample.len() < 8 {
        return false;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in sample.iter().enumerate() {
        if b == 0 {
            if i % 2 == 0 { even += 1 } else { odd += 1 }
        }
    }
    let half = sample.len() / 2;
    let many = |n: usize| n * 10 >= half * 3;
    let few = |n: usize| n * 20 <= half;
    (many(even) && few(odd)) || (many(odd) && few(even))
}

/// The charset an HTML page declares in its first bytes (`<meta charset=...>` or
/// `content="text/html; charset=..."`), lower case.
pub(crate) fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = &bytes[..bytes.len().min(4096)];
    let lower: Vec<u8> = head.iter().map(|b| b.to_ascii_lowercase()).collect();
    let key = b"charset=";
    let i = lower.windows(key.len()).position(|w| w == key)? + key.len();
    let rest = &lower[i..];
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let name: Vec<u8> = rest
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
        .copied()
        .collect();
    if name.is_empty() {
        None
    } else {
        Some(String::from_utf8_lossy(&name).into_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(b: &[u8]) -> (String, Option<SourceMap>, Option<BadBytes>) {
        match decode(b.to_vec()) {
            Decoded::Text { text, map, bad } => (text, map, bad),
            Decoded::NotText(m) => panic!("not text: {m}"),
        }
    }

    #[test]
    fn valid_utf8_is_unmapped() {
        let (t, m, b) = text("Đảng ủy".as_bytes());
        assert_eq!(t, "Đảng ủy");
        assert!(m.is_none() && b.is_none());
    }

    #[test]
    fn invalid_sequences_map_back() {
        // "Ban " + two bad bytes + " Tỉnh ủy" + one bad byte
        let mut b = b"Ban ".to_vec();
        b.extend([0xC3, 0x28]); // C3 starts a sequence, 28 is not a continuation
        b.extend(" Tỉnh ủy".as_bytes());
        b.push(0xFF);
        let (t, m, bad) = text(&b);
        let bad = bad.unwrap();
        assert_eq!(bad.first, 4);
        assert_eq!(bad.sequences, 2);
        assert!(t.starts_with("Ban \u{FFFD}("));
        let m = m.unwrap();
        let at = t.find("Tỉnh ủy").unwrap();
        let (s, e) = m.map_span(at, at + "Tỉnh ủy".len());
        assert_eq!(&b[s..e], "Tỉnh ủy".as_bytes());
        // The replacement maps to the bad byte.
        assert_eq!(m.map_span(4, 7), (4, 5));
    }

    proptest::proptest! {
        /// The fast check and the lossy path agree with std on any bytes: valid text comes out
        /// as it is and unmapped, anything else as `from_utf8_lossy` gives it.
        #[test]
        fn decodes_as_std_does(b in proptest::collection::vec(1u8..=255, 0..200), valid in "[a-zđàảãáạăằẳẵắặ ]{0,40}") {
            if b.len() > 1 && (b.starts_with(&[0xFF, 0xFE]) || b.starts_with(&[0xFE, 0xFF])) {
                return Ok(());
            }
            let (t, m, bad) = text(&b);
            proptest::prop_assert_eq!(&t, &String::from_utf8_lossy(&b));
            proptest::prop_assert_eq!(std::str::from_utf8(&b).is_ok(), m.is_none() && bad.is_none());
            let (t, m, _) = text(valid.as_bytes());
            proptest::prop_assert_eq!(t, valid);
            proptest::prop_assert!(m.is_none());
        }
    }

    #[test]
    fn binary_and_utf16() {
        assert!(
            matches!(decode(b"ab\0cd".to_vec()), Decoded::NotText(m) if m.contains("binary") && m.contains("offset 2"))
        );
        assert!(
            matches!(decode(vec![0xFF, 0xFE, b'a', 0]), Decoded::NotText(m) if m.contains("UTF-16"))
        );
        let le: Vec<u8> = "Bo Chinh tri hop".bytes().flat_map(|b| [b, 0]).collect();
        assert!(matches!(decode(le), Decoded::NotText(m) if m.contains("UTF-16")));
    }

    #[test]
    fn charset_sniffing() {
        assert_eq!(
            declared_charset(
                b"<meta http-equiv=Content-Type content=\"text/html; charset=windows-1258\">"
            )
            .as_deref(),
            Some("windows-1258")
        );
        assert_eq!(
            declared_charset(b"<meta charset='UTF-8'>").as_deref(),
            Some("utf-8")
        );
        assert_eq!(declared_charset(b"<p>charset</p>"), None);
    }
}
