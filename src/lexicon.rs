//! Word lists the recognizers look up token by token: titles, honorifics, document types and
//! trigger phrases, in both folds.

use crate::gazetteer::{Gazetteer, TitleCategory, TriggerRole};
use crate::text::{Fold, Normalized, fold};
use crate::token::{Token, TokenKind, tokenize};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

/// The words of every listed phrase, numbered: tokens are looked up once
/// ([`FoldedLexicon::assign_words`]), and the tries then compare numbers.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    ids: HashMap<String, u32>,
    /// Words of at most seven bytes, keyed by [`short_key`]: one multiply to hash, no string
    /// compare. Most words of running text are this short.
    short: HashMap<u64, u32>,
    /// Words of eight bytes, keyed by their bytes.
    eight: HashMap<u64, u32>,
}

/// The key of a word of at most seven bytes: its bytes, zero-padded, with the length in the
/// top byte (so two words of different lengths never share a key, whatever bytes they hold).
#[inline]
fn short_key(packed: u64, len: usize) -> u64 {
    packed | ((len as u64) << 56)
}

/// The bytes of a word of at most eight bytes as one integer (little-endian, zero-padded).
#[inline]
fn pack(word: &[u8]) -> u64 {
    let mut v = 0u64;
    for (k, &b) in word.iter().enumerate().take(8) {
        v |= (b as u64) << (8 * k);
    }
    v
}

impl Vocabulary {
    fn id(&mut self, word: &str) -> u32 {
        let next = self.ids.len() as u32;
        let id = *self.ids.entry(word.to_string()).or_insert(next);
        let b = word.as_bytes();
        match b.len() {
            0..=7 => {
                self.short.insert(short_key(pack(b), b.len()), id);
            }
            8 => {
                self.eight.insert(pack(b), id);
            }
            _ => {}
        }
        id
    }
    /// How many words are numbered.
    pub fn len(&self) -> usize {
        self.ids.len()
    }
    /// True when no word is numbered.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }
    /// The number of a folded word, or [`Token::NO_WORD`] when no phrase uses it.
    #[inline]
    pub fn get(&self, word: &str) -> u32 {
        let b = word.as_bytes();
        self.get_packed(b, pack(b))
    }
    /// [`get`](Self::get) for bytes `word` whose first eight bytes (zero-padded) are `packed`.
    #[inline]
    fn get_packed(&self, word: &[u8], packed: u64) -> u32 {
        let found = match word.len() {
            0..=7 => self.short.get(&short_key(packed, word.len())),
            8 => self.eight.get(&packed),
            _ => std::str::from_utf8(word).ok().and_then(|w| self.ids.get(w)),
        };
        found.copied().unwrap_or(Token::NO_WORD)
    }
}

/// No node.
const NO_NODE: u32 = u32::MAX;

/// A trie over folded token sequences: finds the longest listed phrase starting at a token.
#[derive(Debug, Clone)]
pub struct PhraseTrie<T> {
    /// The root's children, indexed by word number ([`NO_NODE`] when no phrase starts with
    /// the word): most lookups end here.
    root: Vec<u32>,
    /// Per node (0 is the root): its children as (word, node) sorted by word, and its value.
    nodes: Vec<(Children, Option<T>)>,
}

/// A trie node's children: (word number, node), sorted by word number.
type Children = Vec<(u32, u32)>;

impl<T: Clone> Default for PhraseTrie<T> {
    fn default() -> Self {
        PhraseTrie {
            root: Vec::new(),
            nodes: vec![(Vec::new(), None)],
        }
    }
}

/// The folded token texts of a phrase.
pub fn phrase_tokens(phrase: &str, f: Fold) -> Vec<String> {
    let n = Normalized::new(phrase, f);
    tokenize(&n, phrase)
        .iter()
        .filter(|t| t.kind != TokenKind::Newline)
        .map(|t| t.text(&n).to_string())
        .collect()
}

impl<T: Clone> PhraseTrie<T> {
    /// Adds a phrase; an existing value for it is kept.
    pub fn insert(&mut self, vocab: &mut Vocabulary, phrase: &str, f: Fold, value: T) {
        let toks = phrase_tokens(phrase, f);
        if toks.is_empty() {
            return;
        }
        let mut at = 0usize;
        for t in toks {
            let t = vocab.id(&t);
            at = if at == 0 {
                if self.root.len() <= t as usize {
                    self.root.resize(t as usize + 1, NO_NODE);
                }
                match self.root[t as usize] {
                    NO_NODE => {
                        self.nodes.push((Vec::new(), None));
                        let n = self.nodes.len() - 1;
                        self.root[t as usize] = n as u32;
                        n
                    }
                    n => n as usize,
                }
            } else {
                match self.nodes[at].0.binary_search_by_key(&t, |c| c.0) {
                    Ok(k) => self.nodes[at].0[k].1 as usize,
                    Err(k) => {
                        self.nodes.push((Vec::new(), None));
                        let n = self.nodes.len() - 1;
                        self.nodes[at].0.insert(k, (t, n as u32));
                        n
                    }
                }
            };
        }
        if self.nodes[at].1.is_none() {
            self.nodes[at].1 = Some(value);
        }
    }

    /// The longest phrase starting at token `i`: (end token, value). Line breaks stop a phrase.
    /// Tokens carry their word numbers ([`FoldedLexicon::assign_words`]); `n` is kept for
    /// symmetry with the token API.
    #[inline]
    pub fn longest_at(&self, tokens: &[Token], n: &Normalized, i: usize) -> Option<(usize, &T)> {
        let _ = n;
        let first = tokens.get(i)?.word;
        match self.root.get(first as usize) {
            Some(&at) if at != NO_NODE => self.longest_from(tokens, i + 1, at as usize),
            _ => None,
        }
    }

    /// The longest phrase going on from node `at` with token `j`.
    fn longest_from(&self, tokens: &[Token], mut j: usize, mut at: usize) -> Option<(usize, &T)> {
        let mut best = self.nodes[at].1.as_ref().map(|v| (j, v));
        while let Some(t) = tokens.get(j) {
            let children = &self.nodes[at].0;
            let next = if children.len() <= 8 {
                children.iter().find(|c| c.0 == t.word).map(|c| c.1)
            } else {
                children
                    .binary_search_by_key(&t.word, |c| c.0)
                    .ok()
                    .map(|k| children[k].1)
            };
            // Line breaks and unknown words have no child (`NO_WORD` is never a word number).
            let Some(next) = next else { break };
            at = next as usize;
            j += 1;
            if let Some(v) = &self.nodes[at].1 {
                best = Some((j, v));
            }
        }
        best
    }

    /// The longest phrase starting at token `i` and ending at or before token `limit`.
    pub fn longest_within(
        &self,
        tokens: &[Token],
        n: &Normalized,
        i: usize,
        limit: usize,
    ) -> Option<(usize, &T)> {
        let limit = limit.min(tokens.len());
        self.longest_at(&tokens[..limit], n, i)
    }

    /// The numbers of the words some phrase starts with, in order.
    pub(crate) fn first_words(&self) -> impl Iterator<Item = u32> + '_ {
        (0u32..)
            .zip(&self.root)
            .filter(|&(_, &n)| n != NO_NODE)
            .map(|(w, _)| w)
    }

    /// True when some phrase starts with the word numbered `w`.
    #[inline]
    pub fn starts_with(&self, w: u32) -> bool {
        self.root.get(w as usize).is_some_and(|&n| n != NO_NODE)
    }
}

/// What a title phrase is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleInfo {
    /// The title as written in full in the gazetteer.
    pub canonical: String,
    /// Its category.
    pub category: TitleCategory,
    /// The body it implies when none follows it (`titles.tsv`, column 4).
    pub body: Option<String>,
}

/// The lexicons for one fold.
#[derive(Debug, Clone, Default)]
pub struct FoldedLexicon {
    /// Titles and honorifics (aliases included).
    pub titles: PhraseTrie<TitleInfo>,
    /// Document types: value = (type name, code part).
    pub doctypes: PhraseTrie<(String, String)>,
    /// Document code parts (folded) → type name.
    pub type_codes: HashMap<String, String>,
    /// Trigger phrases → roles (all but meeting nouns).
    pub triggers: PhraseTrie<Vec<TriggerRole>>,
    /// Meeting nouns ("hội nghị", "giao ban").
    pub meetings: PhraseTrie<Vec<TriggerRole>>,
    /// Family names, folded.
    pub surnames: HashSet<String>,
    /// Issuer code parts (folded) → (issuer, unambiguous).
    pub issuers: HashMap<String, (String, bool)>,
    /// Party body words ("Tỉnh ủy", "Đảng ủy", "Chi bộ") → canonical spelling.
    pub bodies: PhraseTrie<&'static str>,
    /// Sub-body words put before a body ("Ban Thường vụ", "Ủy ban Kiểm tra") → canonical.
    pub prefixes: PhraseTrie<&'static str>,
    /// Administrative unit words ("tỉnh", "xã", "thành phố") → canonical.
    pub units: PhraseTrie<&'static str>,
    /// Nouns that start an organization's name ("Tập đoàn", "Viện", "Trường").
    pub org_nouns: PhraseTrie<&'static str>,
    /// Lower-case words that never continue a name ("đã", "tổ", "của"), folded.
    pub name_stop: HashSet<String>,
    /// Every word of every phrase above, numbered.
    pub vocab: Vocabulary,
    /// Per word number: [`SURNAME`] (a one-word family name), [`NAME_STOP_WORD`] (in
    /// `name_stop`), [`DOCUMENT_START`] and the other rule starts: the sets above looked up by
    /// a token's word number.
    word_flags: Vec<u8>,
    /// Two-word family names ("rơ mah") as pairs of word numbers.
    surname_pairs: HashSet<(u32, u32)>,
}

/// A word that is a one-word family name.
const SURNAME: u8 = 1;
/// A word of [`NAME_STOP`].
const NAME_STOP_WORD: u8 = 2;
/// A word a document's mention may start with: the first word of a document type, or "số".
const DOCUMENT_START: u8 = 4;
/// A word a committee's name may start with: the first word of a body or a sub-body.
const COMMITTEE_START: u8 = 8;
/// The first word of a meeting noun ("hội nghị").
const MEETING_START: u8 = 16;
/// The first word of a trigger phrase ("chủ trì", "phát biểu").
const TRIGGER_START: u8 = 32;
/// The first word of a title or an honorific ("đồng chí", "Bí thư").
const TITLE_START: u8 = 64;

#[cfg(test)]
thread_local! {
    /// [`FoldedLexicon::number_words`] notes every token as a start: the reference the rule
    /// starts are tested against.
    pub(crate) static EVERY_TOKEN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The tokens of an article where a recognizer may find something, noted while its words are
/// numbered ([`FoldedLexicon::number_words`]), in order: a recognizer looks only there, not at
/// every token.
#[derive(Debug, Default)]
pub(crate) struct RuleStarts {
    /// Numbers, "số", the first word of a document type.
    pub documents: Vec<u32>,
    /// The first word of a party body ("Tỉnh ủy", "Đảng ủy") or a sub-body ("Ban Thường vụ").
    pub committees: Vec<u32>,
    /// Capitalized words, the first word of a title or an honorific, line breaks and the
    /// stops that end a sentence.
    pub people: Vec<u32>,
    /// The first word of a meeting noun.
    pub meetings: Vec<u32>,
    /// The first word of a trigger phrase.
    pub triggers: Vec<u32>,
}

/// Walks one list of [`RuleStarts`] from the front: each call gives the first start at or
/// after a token, so a recognizer that has consumed tokens up to `i` skips straight to the next
/// place where it may find something.
pub(crate) struct StartCursor<'a> {
    starts: &'a [u32],
    at: usize,
}

impl<'a> StartCursor<'a> {
    /// A cursor at the front of `starts`, which is sorted.
    pub(crate) fn new(starts: &'a [u32]) -> Self {
        StartCursor { starts, at: 0 }
    }

    /// The first start at or after token `i` that is before `n`, the article's token count.
    /// Calls must not go backwards: `i` never decreases from one call to the next.
    pub(crate) fn next_from(&mut self, i: usize, n: usize) -> Option<usize> {
        while self.starts.get(self.at).is_some_and(|&k| (k as usize) < i) {
            self.at += 1;
        }
        self.starts
            .get(self.at)
            .map(|&k| k as usize)
            .filter(|&k| k < n)
    }
}

/// Lower-case syllables that end a name: a capitalized syllable may be followed by one
/// lower-case syllable of the same word ("Khoa học", "Công nghiệp"), but not by these, which
/// start the sentence's next words ("Đảng ủy Viện đã chỉ đạo", "Đảng ủy Tập đoàn tổ chức").
pub const NAME_STOP: &[&str] = &[
    "đã",
    "vừa",
    "sẽ",
    "đang",
    "có",
    "là",
    "được",
    "bị",
    "tại",
    "với",
    "cho",
    "của",
    "các",
    "những",
    "về",
    "đến",
    "từ",
    "theo",
    "trong",
    "ngoài",
    "trên",
    "dưới",
    "này",
    "đó",
    "khi",
    "thì",
    "mà",
    "để",
    "nhằm",
    "cùng",
    "chỉ",
    "tổ",
    "lãnh",
    "đề",
    "triển",
    "thực",
    "tiếp",
    "tập",
    "phối",
    "chủ",
    "dự",
    "tham",
    "phát",
    "báo",
    "quán",
    "kiểm",
    "giám",
    "năm",
    "tháng",
    "ngày",
    "quý",
    "nhiệm",
    "khóa",
    "lần",
    "họp",
    "làm",
    "nhất",
    "trí",
    "thông",
    "qua",
    "ban",
    "hành",
    "yêu",
    "cầu",
    "đánh",
    "giá",
    "nhận",
    "xét",
    "trao",
    "tặng",
    "bố",
    "kết",
    "luận",
    "ra",
    "vào",
    "không",
    "chưa",
    "cũng",
    "luôn",
    "đều",
    "rất",
    "và",
    "hoặc",
    "hay",
    "nhưng",
    "vì",
    "nên",
    "sau",
    "trước",
    "giữa",
    "hai",
    "ba",
    "một",
    "mỗi",
    "toàn",
    "số",
    "đạt",
    "hoàn",
    "tỉnh",
    "huyện",
    "quận",
    "xã",
    "phường",
    "thị",
    "đảng",
    "ủy",
    "khai",
    "diễn",
    "tuyên",
    "truyền",
    "phổ",
    "biến",
    "gồm",
    "như",
    "sơ",
    "tổng",
    "giao",
    "hội",
    "nghị",
    "quyết",
    "định",
    "chương",
    "trình",
    "kế",
    "hoạch",
    "hướng",
    "dẫn",
    "thị",
];

/// Party body words, in their canonical spelling. A body word followed by a name makes a
/// committee ("Đảng ủy" + "Viện X"); alone, it is a short form resolved within the article.
pub const BODIES: &[&str] = &[
    "Tỉnh ủy",
    "Thành ủy",
    "Quận ủy",
    "Huyện ủy",
    "Thị ủy",
    "Đảng ủy",
    "Đảng bộ",
    "Chi bộ",
    "Chi ủy",
    "Đảng đoàn",
    "Ban cán sự đảng",
    "Quân ủy",
];

/// Sub-bodies, written before the body they belong to, with their abbreviations.
pub const PREFIXES: &[(&str, &[&str])] = &[
    ("Ban Thường vụ", &["BTV"]),
    ("Ban Chấp hành", &["BCH"]),
    ("Ủy ban Kiểm tra", &["UBKT"]),
    ("Ban Tổ chức", &[]),
    ("Ban Tuyên giáo", &[]),
    ("Ban Dân vận", &[]),
    ("Ban Tuyên giáo và Dân vận", &[]),
    ("Ban Nội chính", &[]),
    ("Ban Kinh tế", &[]),
    ("Văn phòng", &[]),
    ("Ban Bảo vệ chăm sóc sức khỏe cán bộ", &[]),
];

/// The party bodies of places and the unit word of their place: "Tỉnh ủy" is the committee of
/// a "tỉnh", "Thành ủy" of a "thành phố"...
pub const PLACE_BODIES: &[(&str, &str)] = &[
    ("Tỉnh ủy", "tỉnh"),
    ("Thành ủy", "thành phố"),
    ("Huyện ủy", "huyện"),
    ("Quận ủy", "quận"),
    ("Thị ủy", "thị xã"),
];

/// The unit word of a place body ("Quận ủy" → "quận").
pub fn unit_of_body(body: &str) -> Option<&'static str> {
    PLACE_BODIES
        .iter()
        .find(|(b, _)| *b == body)
        .map(|(_, u)| *u)
}

/// The place body of a unit word, in either fold ("huyện" or "huyen" → "Huyện ủy").
pub fn body_of_unit(unit: &str) -> Option<&'static str> {
    static ASCII: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    let ascii = ASCII.get_or_init(|| {
        PLACE_BODIES
            .iter()
            .map(|(_, u)| fold(u, Fold::Ascii))
            .collect()
    });
    PLACE_BODIES
        .iter()
        .zip(ascii)
        .find(|((_, u), a)| *u == unit || a.as_str() == unit)
        .map(|((b, _), _)| *b)
}

thread_local! {
    /// The memo of [`fold_memo`], one map per fold.
    static FOLD_MEMO: std::cell::RefCell<[HashMap<String, String>; 2]> = Default::default();
}

/// Frees this thread's memo of [`fold_memo`] (a few MB when full), when a run is over.
pub(crate) fn forget_fold_memo() {
    let _ = FOLD_MEMO.try_with(|m| {
        if let Ok(mut m) = m.try_borrow_mut() {
            *m = Default::default();
        }
    });
}

/// [`fold`], remembered per thread: the names folded per mention (committees, short forms,
/// gazetteer lookups) repeat within and across articles, and folding builds a whole view.
pub(crate) fn fold_memo(s: &str, f: Fold) -> String {
    /// Entries kept per fold before the memo starts over.
    const MAX: usize = 20_000;
    FOLD_MEMO
        .try_with(|m| {
            let Ok(mut m) = m.try_borrow_mut() else {
                return fold(s, f);
            };
            let m = &mut m[match f {
                Fold::Accents => 0,
                Fold::Ascii => 1,
            }];
            if let Some(v) = m.get(s) {
                return v.clone();
            }
            let v = fold(s, f);
            if m.len() >= MAX {
                m.clear();
            }
            m.insert(s.to_string(), v.clone());
            v
        })
        .unwrap_or_else(|_| fold(s, f))
}

/// Administrative units that can stand between a body word and a place name.
pub const UNITS: &[&str] = &[
    "tỉnh",
    "thành phố",
    "huyện",
    "quận",
    "thị xã",
    "xã",
    "phường",
    "thị trấn",
    "đặc khu",
];

/// Nouns that begin the name of an organization with a party committee.
pub const ORG_NOUNS: &[&str] = &[
    "Tập đoàn",
    "Tổng công ty",
    "Công ty",
    "Viện",
    "Trường",
    "Bệnh viện",
    "Học viện",
    "Ngân hàng",
    "Sở",
    "Bộ",
    "Cục",
    "Tổng cục",
    "Báo",
    "Đài",
    "Ban",
    "Khối",
    "Đại học",
    "Trung tâm",
    "Cảng",
    "Bộ Chỉ huy",
    "Bộ đội",
    "Quân khu",
    "Quân đoàn",
    "Sư đoàn",
    "Văn phòng",
    "Ủy ban",
    "Hội",
    "Liên đoàn",
    "Thông tấn xã",
    "Nhà xuất bản",
    "Kho bạc",
    "Cơ quan",
    "Tòa án",
    "Viện Kiểm sát",
    "Hải quan",
    "Công an",
    "Chi nhánh",
    "Nhà máy",
    "Xí nghiệp",
    "Khu kinh tế",
    "Khu công nghiệp",
];

/// The lexicons in both folds.
#[derive(Debug, Clone)]
pub struct Lexicon {
    accents: FoldedLexicon,
    ascii: FoldedLexicon,
}

impl Lexicon {
    /// Builds the lexicons from a gazetteer's lists.
    pub fn new(g: &Gazetteer) -> Lexicon {
        Lexicon {
            accents: FoldedLexicon::new(g, Fold::Accents),
            ascii: FoldedLexicon::new(g, Fold::Ascii),
        }
    }
    /// The lexicon for a fold.
    pub fn get(&self, f: Fold) -> &FoldedLexicon {
        match f {
            Fold::Accents => &self.accents,
            Fold::Ascii => &self.ascii,
        }
    }
}

impl FoldedLexicon {
    /// Numbers each token with its word in the vocabulary (line breaks and unknown words get
    /// [`Token::NO_WORD`]), so the tries compare numbers.
    pub fn assign_words(&self, tokens: &mut [Token], n: &Normalized) {
        self.number_words(tokens, n, &mut RuleStarts::default());
    }

    /// [`assign_words`](Self::assign_words), noting in `starts` where the recognizers and the
    /// relation stage may find something (see [`RuleStarts`]).
    pub(crate) fn number_words(
        &self,
        tokens: &mut [Token],
        n: &Normalized,
        starts: &mut RuleStarts,
    ) {
        let text = n.as_str().as_bytes();
        // Each list as (room for every token, length so far).
        let mut lists: [(Vec<u32>, usize); 5] = std::array::from_fn(|_| (vec![0; tokens.len()], 0));
        for (k, t) in tokens.iter_mut().enumerate() {
            t.word = if t.kind == TokenKind::Newline {
                Token::NO_WORD
            } else {
                let (fs, fe) = (t.fs as usize, t.fe as usize);
                let word = text.get(fs..fe).unwrap_or(&[]);
                // The first eight bytes in one load when the text goes on that far.
                let packed = match text.get(fs..fs + 8) {
                    Some(b8) if word.len() <= 8 => {
                        let v = u64::from_le_bytes(b8.try_into().unwrap_or([0; 8]));
                        if word.len() == 8 {
                            v
                        } else {
                            v & ((1u64 << (8 * word.len())) - 1)
                        }
                    }
                    _ => pack(word),
                };
                self.vocab.get_packed(word, packed)
            };
            // Which lists the token goes in, without a branch per list (whether a token starts
            // something is not predictable, and most tokens start nothing).
            let flags = self.word_flags.get(t.word as usize).copied().unwrap_or(0);
            let word = t.kind == TokenKind::Word;
            let stop = t.kind == TokenKind::Punct
                && t.fe == t.fs + 1
                && matches!(text.get(t.fs as usize), Some(b'.' | b'!' | b'?'));
            let of = [
                (t.kind == TokenKind::Number) | (flags & DOCUMENT_START != 0),
                flags & COMMITTEE_START != 0,
                (flags & TITLE_START != 0)
                    | t.is_capitalized()
                    | (t.kind == TokenKind::Newline)
                    | stop,
                word & (flags & MEETING_START != 0),
                word & (flags & TRIGGER_START != 0),
            ];
            for (list, &start) in lists.iter_mut().zip(&of) {
                list.0[list.1] = k as u32;
                list.1 += usize::from(start);
            }
        }
        let [documents, committees, people, meetings, triggers] = lists.map(|(mut v, len)| {
            v.truncate(len);
            v
        });
        *starts = RuleStarts {
            documents,
            committees,
            people,
            meetings,
            triggers,
        };
        #[cfg(test)]
        if EVERY_TOKEN.get() {
            // What the rules looked at before they had starts: every token, every word.
            let all: Vec<u32> = (0..tokens.len() as u32).collect();
            let words: Vec<u32> = all
                .iter()
                .copied()
                .filter(|&k| tokens[k as usize].kind == TokenKind::Word)
                .collect();
            *starts = RuleStarts {
                documents: all.clone(),
                committees: all.clone(),
                people: all,
                meetings: words.clone(),
                triggers: words,
            };
        }
    }

    #[inline]
    fn flags(&self, t: Option<&Token>) -> u8 {
        t.and_then(|t| self.word_flags.get(t.word as usize))
            .copied()
            .unwrap_or(0)
    }

    /// True when token `i` is a one-word family name (`surnames` holds its text).
    #[inline]
    pub fn is_surname(&self, tokens: &[Token], i: usize) -> bool {
        self.flags(tokens.get(i)) & SURNAME != 0
    }

    /// True when tokens `i` and `i + 1` are a two-word family name (`surnames` holds their
    /// texts joined by a space).
    #[inline]
    pub fn is_surname_pair(&self, tokens: &[Token], i: usize) -> bool {
        match (tokens.get(i), tokens.get(i + 1)) {
            (Some(a), Some(b)) if a.word != Token::NO_WORD && b.word != Token::NO_WORD => {
                !self.surname_pairs.is_empty() && self.surname_pairs.contains(&(a.word, b.word))
            }
            _ => false,
        }
    }

    /// True when token `i` is a word of `name_stop`.
    #[inline]
    pub fn is_name_stop(&self, tokens: &[Token], i: usize) -> bool {
        self.flags(tokens.get(i)) & NAME_STOP_WORD != 0
    }

    /// Numbers the words of the word sets and flags them.
    fn index_word_sets(&mut self) {
        fn flag_id(flags: &mut Vec<u8>, id: u32, bit: u8) {
            let id = id as usize;
            if flags.len() <= id {
                flags.resize(id + 1, 0);
            }
            flags[id] |= bit;
        }
        let flag = |vocab: &mut Vocabulary, flags: &mut Vec<u8>, w: &str, bit: u8| {
            flag_id(flags, vocab.id(w), bit);
        };
        let mut flags = std::mem::take(&mut self.word_flags);
        let mut surnames: Vec<&String> = self.surnames.iter().collect();
        surnames.sort();
        for s in surnames {
            // A token holds no space: a key of one space is two tokens, of more never matched.
            match s.split_once(' ') {
                None => flag(&mut self.vocab, &mut flags, s, SURNAME),
                Some((a, b)) if !b.contains(' ') => {
                    let pair = (self.vocab.id(a), self.vocab.id(b));
                    self.surname_pairs.insert(pair);
                }
                Some(_) => {}
            }
        }
        let mut stops: Vec<&String> = self.name_stop.iter().collect();
        stops.sort();
        for w in stops {
            flag(&mut self.vocab, &mut flags, w, NAME_STOP_WORD);
        }
        for w in ["số", "so"] {
            flag(&mut self.vocab, &mut flags, w, DOCUMENT_START);
        }
        // The first word of each phrase a rule starts at.
        let firsts: [(Vec<u32>, u8); 6] = [
            (self.doctypes.first_words().collect(), DOCUMENT_START),
            (self.bodies.first_words().collect(), COMMITTEE_START),
            (self.prefixes.first_words().collect(), COMMITTEE_START),
            (self.meetings.first_words().collect(), MEETING_START),
            (self.triggers.first_words().collect(), TRIGGER_START),
            (self.titles.first_words().collect(), TITLE_START),
        ];
        for (words, bit) in firsts {
            for w in words {
                flag_id(&mut flags, w, bit);
            }
        }
        flags.resize(self.vocab.len(), 0);
        self.word_flags = flags;
    }

    fn new(g: &Gazetteer, f: Fold) -> FoldedLexicon {
        let mut lx = FoldedLexicon::default();
        for t in g.titles() {
            let info = TitleInfo {
                canonical: t.title.clone(),
                category: t.category,
                body: t.body.clone(),
            };
            lx.titles.insert(&mut lx.vocab, &t.title, f, info.clone());
            for a in &t.aliases {
                lx.titles.insert(&mut lx.vocab, a, f, info.clone());
            }
        }
        for d in g.doctypes() {
            let v = (d.name.clone(), d.code.clone());
            lx.doctypes.insert(&mut lx.vocab, &d.name, f, v.clone());
            for a in &d.aliases {
                // Short aliases ("NQ") are code parts, not words of running text.
                if a.chars().any(char::is_lowercase) {
                    lx.doctypes.insert(&mut lx.vocab, a, f, v.clone());
                }
            }
            if !d.code.is_empty() {
                lx.type_codes
                    .entry(fold(&d.code, f))
                    .or_insert_with(|| d.name.clone());
            }
        }
        let mut triggers: HashMap<String, (String, Vec<TriggerRole>)> = HashMap::default();
        for t in g.triggers() {
            let e = triggers
                .entry(fold(&t.phrase, f))
                .or_insert_with(|| (t.phrase.clone(), Vec::new()));
            if !e.1.contains(&t.role) {
                e.1.push(t.role);
            }
        }
        let mut keys: Vec<_> = triggers.into_values().collect();
        keys.sort_by(|a, b| a.0.cmp(&b.0));
        for (phrase, mut roles) in keys {
            roles.sort();
            if roles.contains(&TriggerRole::Meeting) {
                lx.meetings
                    .insert(&mut lx.vocab, &phrase, f, vec![TriggerRole::Meeting]);
                roles.retain(|r| *r != TriggerRole::Meeting);
            }
            if !roles.is_empty() {
                lx.triggers.insert(&mut lx.vocab, &phrase, f, roles);
            }
        }
        lx.surnames = g.surnames().iter().map(|s| fold(s, f)).collect();
        for b in BODIES {
            lx.bodies.insert(&mut lx.vocab, b, f, *b);
        }
        for (p, aliases) in PREFIXES {
            lx.prefixes.insert(&mut lx.vocab, p, f, *p);
            for a in aliases.iter() {
                lx.prefixes.insert(&mut lx.vocab, a, f, *p);
            }
        }
        for u in UNITS {
            lx.units.insert(&mut lx.vocab, u, f, *u);
        }
        for o in ORG_NOUNS {
            lx.org_nouns.insert(&mut lx.vocab, o, f, *o);
        }
        lx.name_stop = NAME_STOP.iter().map(|w| fold(w, f)).collect();
        for i in g.issuers() {
            lx.issuers
                .entry(fold(&i.code, f))
                .or_insert_with(|| (i.issuer.clone(), i.unambiguous));
        }
        lx.index_word_sets();
        lx
    }
}

#[cfg(test)]
mod tests {
    use super::StartCursor;

    #[test]
    fn start_cursor_gives_the_first_start_at_or_after_a_token() {
        let starts = [2, 5, 5, 9];
        let mut c = StartCursor::new(&starts);
        assert_eq!(c.next_from(0, 10), Some(2));
        assert_eq!(c.next_from(2, 10), Some(2));
        assert_eq!(c.next_from(3, 10), Some(5));
        assert_eq!(c.next_from(6, 10), Some(9));
        // A start at or past the token count is not given.
        assert_eq!(c.next_from(6, 9), None);
        assert_eq!(c.next_from(10, 10), None);
        assert_eq!(StartCursor::new(&[]).next_from(0, 4), None);
    }
}
