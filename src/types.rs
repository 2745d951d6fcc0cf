//! The vocabulary every stage shares: spans, entity and relation kinds, mentions, evidence.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A half-open byte range `[start, end)` into the original bytes of one document.
///
/// ```
/// use partygraph::Span;
/// let s = Span::new(3, 8);
/// assert_eq!(s.len(), 5);
/// assert!(s.contains(&Span::new(4, 6)));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }
    /// Its length in bytes.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }
    /// True when it covers no byte.
    pub fn is_empty(&self) -> bool {
        self.end <= self.start
    }
    /// True when `other` lies inside this span.
    pub fn contains(&self, other: &Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    /// True when the two spans share a byte.
    pub fn overlaps(&self, other: &Span) -> bool {
        self.start < other.end && other.start < self.end
    }
    /// The text this span covers in `s`, or `""` when it does not fit `s`.
    pub fn slice<'a>(&self, s: &'a str) -> &'a str {
        s.get(self.start..self.end).unwrap_or("")
    }
}

/// What kind of thing a node of the graph is.
///
/// ```
/// use partygraph::EntityKind;
/// assert_eq!(EntityKind::Committee.as_str(), "committee");
/// assert_eq!("person".parse::<EntityKind>(), Ok(EntityKind::Person));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntityKind {
    /// An individual.
    Person,
    /// A party body: Đảng ủy, Tỉnh ủy, Ban Thường vụ, Bộ Chính trị...
    Committee,
    /// A resolution, directive, conclusion, regulation or other directive document.
    Resolution,
    /// A meeting, conference, congress reported on by an article.
    Meeting,
    /// A non-party body: a ministry, a state group, a school, a hospital.
    Organization,
    /// A province, city or other place.
    Place,
    /// An article of the corpus.
    Document,
}

impl EntityKind {
    /// All kinds, in ID order.
    pub const ALL: [EntityKind; 7] = [
        EntityKind::Person,
        EntityKind::Committee,
        EntityKind::Resolution,
        EntityKind::Meeting,
        EntityKind::Organization,
        EntityKind::Place,
        EntityKind::Document,
    ];

    /// The lower-case name used in IDs and outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Person => "person",
            EntityKind::Committee => "committee",
            EntityKind::Resolution => "resolution",
            EntityKind::Meeting => "meeting",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
            EntityKind::Document => "document",
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for EntityKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        EntityKind::ALL
            .iter()
            .copied()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| {
                format!(
                    "unknown kind {s:?} (expected one of: person, committee, resolution, meeting, organization, place, document)"
                )
            })
    }
}

/// What an edge of the graph says.
///
/// ```
/// use partygraph::RelationKind;
/// assert_eq!(RelationKind::HoldsPosition.as_str(), "holds_position");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// person → meeting: chủ trì, đồng chủ trì.
    Chairs,
    /// person → meeting: tham dự, dự, có mặt.
    Attends,
    /// person → meeting: phát biểu, báo cáo, kết luận, tham luận.
    SpeaksAt,
    /// committee → meeting: tổ chức.
    Organizes,
    /// meeting → resolution: the documents a meeting studied, reviewed or implemented.
    References,
    /// person → committee or organization, with a `title`.
    HoldsPosition,
    /// resolution → committee.
    IssuedBy,
    /// committee → committee: a sub-body and its parent.
    PartOf,
    /// person → document: the byline of an article.
    Authored,
}

impl RelationKind {
    /// All kinds.
    pub const ALL: [RelationKind; 9] = [
        RelationKind::Chairs,
        RelationKind::Attends,
        RelationKind::SpeaksAt,
        RelationKind::Organizes,
        RelationKind::References,
        RelationKind::HoldsPosition,
        RelationKind::IssuedBy,
        RelationKind::PartOf,
        RelationKind::Authored,
    ];

    /// The snake-case name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::Chairs => "chairs",
            RelationKind::Attends => "attends",
            RelationKind::SpeaksAt => "speaks_at",
            RelationKind::Organizes => "organizes",
            RelationKind::References => "references",
            RelationKind::HoldsPosition => "holds_position",
            RelationKind::IssuedBy => "issued_by",
            RelationKind::PartOf => "part_of",
            RelationKind::Authored => "authored",
        }
    }
}

impl fmt::Display for RelationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which rule found a mention. Kept on every mention so users can weigh them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Recognizer {
    /// An entry (name or alias) of the gazetteers.
    Gazetteer,
    /// A committee built from a body word and a place or organization.
    CommitteeTemplate,
    /// A person after an honorific or title.
    PersonContext,
    /// A person in a list of attendees.
    PersonList,
    /// A short form resolved to a full name introduced earlier.
    ShortForm,
    /// A byline at the end of an article.
    Byline,
    /// A document code such as `05-CT/TW`.
    DocumentCode,
    /// A conventional document title such as "Nghị quyết Trung ương 4 khóa XII".
    DocumentTitle,
    /// An abbreviation introduced in parentheses.
    Abbreviation,
    /// A meeting reported by the article.
    Meeting,
}

impl Recognizer {
    /// Every recognizer.
    pub const ALL: [Recognizer; 10] = [
        Recognizer::Gazetteer,
        Recognizer::CommitteeTemplate,
        Recognizer::PersonContext,
        Recognizer::PersonList,
        Recognizer::ShortForm,
        Recognizer::Byline,
        Recognizer::DocumentCode,
        Recognizer::DocumentTitle,
        Recognizer::Abbreviation,
        Recognizer::Meeting,
    ];

    /// The snake-case name used in outputs.
    ///
    /// ```
    /// use partygraph::Recognizer;
    /// assert_eq!(Recognizer::PersonContext.as_str(), "person_context");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            Recognizer::Gazetteer => "gazetteer",
            Recognizer::CommitteeTemplate => "committee_template",
            Recognizer::PersonContext => "person_context",
            Recognizer::PersonList => "person_list",
            Recognizer::ShortForm => "short_form",
            Recognizer::Byline => "byline",
            Recognizer::DocumentCode => "document_code",
            Recognizer::DocumentTitle => "document_title",
            Recognizer::Abbreviation => "abbreviation",
            Recognizer::Meeting => "meeting",
        }
    }
}

/// Where a fact was read: a document, the bytes, and the text there.
///
/// Read back from a record written with `--evidence span`, the text is empty; the default
/// (no document) stands for a fact written with `--evidence none`.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Evidence {
    /// The document ID.
    pub doc: String,
    /// First byte in the original file.
    pub start: usize,
    /// One past the last byte in the original file.
    pub end: usize,
    /// The text at those bytes (the sentence, for relations).
    #[serde(default)]
    pub text: String,
}

impl Evidence {
    /// Evidence for `span` of document `doc` whose text is `original`.
    pub fn new(doc: &str, span: Span, original: &str) -> Evidence {
        Evidence {
            doc: doc.to_string(),
            start: span.start,
            end: span.end,
            text: span.slice(original).to_string(),
        }
    }
}

/// The letter case a word had in the original.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Case {
    /// "đồng"
    Lower,
    /// "Đồng"
    Title,
    /// "ĐỒNG", "TKV"
    Upper,
    /// "ThS", "iPhone", digits
    Other,
}

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Letters (possibly with digits).
    Word,
    /// Digits only.
    Number,
    /// One punctuation or symbol character.
    Punct,
    /// A line break.
    Newline,
}

/// One token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// What it is.
    pub kind: TokenKind,
    /// Start byte in the folded view (`u32`: a folded view is under 4 GiB, and a token of 32
    /// bytes, not 48, keeps the passes over an article's tokens in fewer cache lines).
    pub fs: u32,
    /// End byte in the folded view.
    pub fe: u32,
    /// Bytes in the original.
    pub span: Span,
    /// Its case in the original.
    pub case: Case,
    /// True when a space (or line break) comes before it in the folded view.
    pub space_before: bool,
    /// The word's number in the lexicon's vocabulary ([`Token::NO_WORD`] when unknown).
    pub word: u32,
}

// Tokens are scanned many times per article: keep one at 32 bytes on 64-bit targets.
#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Token>() == 32);
