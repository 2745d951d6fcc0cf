//! Stage 1b: tokens and sentences over the folded view.
//!
//! A [`Token`] is a word (letters and digits), a number, a punctuation mark or a line break, with
//! its bytes in the folded view, its [`Span`](crate::types::Span) in the original, and the
//! letter case it had there (the folded view is lower case; capitalization is what tells names
//! from words). [`tokenize`] reads a folded view; `Normalized::with_tokens` gives the same
//! tokens while it folds the text (the types live in [`crate::types`], so that the folding pass
//! can write them).

use crate::text::Normalized;

pub use crate::types::{Case, Token, TokenKind};

impl Token {
    /// The word number of a token no listed phrase uses.
    pub const NO_WORD: u32 = u32::MAX;

    /// Its folded text.
    pub fn text<'a>(&self, n: &'a Normalized) -> &'a str {
        &n.as_str()[self.fs as usize..self.fe as usize]
    }
    /// True for a capitalized or all-caps word.
    pub fn is_capitalized(&self) -> bool {
        self.kind == TokenKind::Word && matches!(self.case, Case::Title | Case::Upper)
    }
}

/// Splits the folded view into tokens.
///
/// ```
/// use partygraph::{text::{Fold, Normalized}, token::{tokenize, Case}};
/// let text = "Đồng chí LÊ VĂN A, 05-CT/TW";
/// let n = Normalized::new(text, Fold::Accents);
/// let t = tokenize(&n, text);
/// assert_eq!(t[0].case, Case::Title);
/// assert_eq!(t[2].case, Case::Upper);
/// assert_eq!(t[2].text(&n), "lê");
/// ```
pub fn tokenize(n: &Normalized, original: &str) -> Vec<Token> {
    let s = n.as_str();
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(s.len() / 4);
    let mut space_before = true;
    let mut i = 0;
    while i < b.len() {
        let x = b[i];
        if x == b' ' {
            space_before = true;
            i += 1;
            continue;
        }
        if x == b'\n' {
            out.push(Token {
                kind: TokenKind::Newline,
                fs: i as u32,
                fe: i as u32 + 1,
                span: n.original_span(i..i + 1),
                case: Case::Other,
                space_before: true,
                word: Token::NO_WORD,
            });
            space_before = true;
            i += 1;
            continue;
        }
        let Some(c) = s.get(i..).and_then(|t| t.chars().next()) else {
            break;
        };
        let (kind, end) = if crate::text::is_word_char(c) {
            let mut end = i + c.len_utf8();
            let mut all_digits = c.is_ascii_digit();
            while end < b.len() {
                let y = b[end];
                if y < 0x80 {
                    if !y.is_ascii_alphanumeric() {
                        break;
                    }
                    all_digits = all_digits && y.is_ascii_digit();
                    end += 1;
                    continue;
                }
                match s.get(end..).and_then(|t| t.chars().next()) {
                    Some(d) if crate::text::is_word_char(d) => {
                        all_digits = false;
                        end += d.len_utf8();
                    }
                    _ => break,
                }
            }
            (
                if all_digits {
                    TokenKind::Number
                } else {
                    TokenKind::Word
                },
                end,
            )
        } else {
            (TokenKind::Punct, i + c.len_utf8())
        };
        let span = n.original_span(i..end);
        let case = if kind == TokenKind::Word {
            crate::text::case_of(span.slice(original))
        } else {
            Case::Other
        };
        out.push(Token {
            kind,
            fs: i as u32,
            fe: end as u32,
            span,
            case,
            space_before,
            word: Token::NO_WORD,
        });
        space_before = false;
        i = end;
    }
    out
}

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "tp", "pgs", "gs", "ts", "ths", "bs", "ks", "th", "ng", "st", "tt", "q", "p", "x", "tx", "h",
    // Degrees and academic titles before a name: "GS.VS.", "GS.TSKH.", "NCS.", "BSCKII."
    "vs", "tskh", "ncs", "bsck", "bsckii", "bscki", "cn",
];

/// Sentence boundaries as token index ranges `[start, end)`. A sentence ends at `.`, `!`, `?`
/// before a space and a capital (or the end), and at every line break.
pub fn sentences(tokens: &[Token], n: &Normalized) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < tokens.len() {
        let t = &tokens[i];
        let boundary = match t.kind {
            TokenKind::Newline => true,
            TokenKind::Punct => {
                let c = t.text(n);
                if c == "!" || c == "?" || c == "." {
                    let next = tokens.get(i + 1);
                    let prev_abbrev = c == "."
                        && i > 0
                        && tokens[i - 1].kind == TokenKind::Word
                        && ABBREVIATIONS.contains(&tokens[i - 1].text(n))
                        && (i < 2
                            || tokens[i - 2].kind != TokenKind::Word
                            || tokens[i - 1].space_before);
                    // An initial ("ông B.") does not end a sentence; a two-letter abbreviation
                    // written with stops does ("... Công an T.Ư. Đại tướng ...").
                    let one_letter = |k: usize| {
                        tokens[k].kind == TokenKind::Word && tokens[k].text(n).chars().count() == 1
                    };
                    let single_letter = c == "."
                        && i > 0
                        && one_letter(i - 1)
                        && !(i >= 3
                            && tokens[i - 2].text(n) == "."
                            && one_letter(i - 3)
                            && !tokens[i - 1].space_before
                            && !tokens[i - 2].space_before);
                    match next {
                        None => true,
                        Some(nx) => {
                            nx.kind == TokenKind::Newline
                                || (nx.space_before
                                    && !prev_abbrev
                                    && !single_letter
                                    && (nx.kind != TokenKind::Word || nx.case != Case::Lower))
                        }
                    }
                } else {
                    false
                }
            }
            _ => false,
        };
        if boundary {
            let end = if t.kind == TokenKind::Newline {
                i
            } else {
                i + 1
            };
            if end > start {
                out.push((start, end));
            }
            start = i + 1;
        }
        i += 1;
    }
    if start < tokens.len() {
        out.push((start, tokens.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::Fold;

    #[test]
    fn sentence_split() {
        let text = "Ngày 5/3, TP. Hồ Chí Minh họp. Đồng chí A chủ trì!\nTham dự có ông Bình. Chủ trì có GS.VS. Châu Văn Cường. Dự có Ủy viên T.Ư. Đồng chí Lê Văn Đông phát biểu.";
        let n = Normalized::new(text, Fold::Accents);
        let t = tokenize(&n, text);
        let s = sentences(&t, &n);
        let texts: Vec<&str> = s
            .iter()
            .map(|&(a, b)| &text[t[a].span.start..t[b - 1].span.end])
            .collect();
        assert_eq!(
            texts,
            vec![
                "Ngày 5/3, TP. Hồ Chí Minh họp.",
                "Đồng chí A chủ trì!",
                "Tham dự có ông Bình.",
                "Chủ trì có GS.VS. Châu Văn Cường.",
                "Dự có Ủy viên T.Ư.",
                "Đồng chí Lê Văn Đông phát biểu."
            ]
        );
    }
}
