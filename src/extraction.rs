//! What one article yields: its entities with their mentions, and the relations between them.
//!
//! An [`Extraction`] is the unit that is streamed (`--format jsonl`, one line per article) and
//! merged into a [`KnowledgeGraph`](crate::KnowledgeGraph). It owns plain data only, so it
//! serializes as it is.

use crate::types::{EntityKind, Evidence, Recognizer, RelationKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// One article of the corpus.
///
/// ```
/// let d = partygraph::DocumentInfo {
///     url: Some("https://example.org/bai-1".into()),
///     ..partygraph::corpus::document_info("bai-1", "corpus.jsonl:1")
/// };
/// let json = serde_json::to_string(&d).unwrap();
/// assert_eq!(json, r#"{"id":"bai-1","path":"corpus.jsonl:1","url":"https://example.org/bai-1","bytes":0}"#);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct DocumentInfo {
    /// The document ID (the file name without extension, made unique within a run; for a row
    /// of a corpus file, its `id` field, or the file name and line).
    pub id: String,
    /// The path as given, or `-` for standard input; for a row of a corpus file, `file:line`.
    pub path: String,
    /// Where the article was published (a corpus row's `url` field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// The outlet that published it (a corpus row's `source` field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The article's date (ISO): from its dateline when found, else the date given with it (a
    /// corpus row's `date` field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The title given with the article (a corpus row's `title` field), else its first line when
    /// it reads as a headline.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The byline: people named as authors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<String>,
    /// Size of the original in bytes.
    #[serde(default)]
    pub bytes: usize,
}

/// One place an entity is named.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// The document ID.
    pub doc: String,
    /// First byte in the original file.
    pub start: usize,
    /// One past the last byte in the original file.
    pub end: usize,
    /// The text there.
    pub text: String,
    /// The rule that found it.
    pub recognizer: Recognizer,
    /// How reliable that rule is, 0 to 1.
    pub confidence: f32,
    /// True when the name is only part of a phrase or title ("tư tưởng Hồ Chí Minh"): the entity
    /// is referred to, not acting.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub reference_only: bool,
}

/// Kind-specific attributes of an entity. Unset fields are left out of every output.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attributes {
    /// committee: central, provincial, district, grassroots, enterprise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// committee: the canonical name of the body it belongs to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// resolution: the code as written, without "số" (`05-CT/TW`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// resolution: Nghị quyết, Chỉ thị, Kết luận...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc_type: Option<String>,
    /// resolution: its number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// resolution: the issuing body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// resolution: date issued; meeting: date held (ISO, possibly partial).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// resolution: its subject, when quoted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// meeting: hội nghị, giao ban, sơ kết, tổng kết, đại hội...
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub meeting_type: Option<String>,
    /// meeting: where it was held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<String>,
    /// organization and place: the type from the gazetteer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub org_type: Option<String>,
}

impl Attributes {
    /// Fills every unset field from `other`; where both are set and differ, the smaller value
    /// wins, so merging in any order gives the same result.
    pub fn merge(&mut self, other: &Attributes) {
        fn pick(a: &mut Option<String>, b: &Option<String>) {
            match (a.as_ref(), b) {
                (None, Some(_)) => *a = b.clone(),
                (Some(x), Some(y)) if y < x => *a = Some(y.clone()),
                _ => {}
            }
        }
        pick(&mut self.level, &other.level);
        pick(&mut self.parent, &other.parent);
        pick(&mut self.code, &other.code);
        pick(&mut self.doc_type, &other.doc_type);
        pick(&mut self.number, &other.number);
        pick(&mut self.issuer, &other.issuer);
        pick(&mut self.date, &other.date);
        pick(&mut self.subject, &other.subject);
        pick(&mut self.meeting_type, &other.meeting_type);
        pick(&mut self.place, &other.place);
        pick(&mut self.org_type, &other.org_type);
    }
}

/// An entity as one article names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntityRecord {
    /// The stable node ID (`person:le-van-a`).
    pub id: String,
    /// Its kind.
    pub kind: EntityKind,
    /// Its canonical name.
    pub label: String,
    /// Other names it goes by in this article (and in the gazetteer).
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub aliases: BTreeSet<String>,
    /// Kind-specific attributes.
    #[serde(flatten)]
    pub attrs: Attributes,
    /// Where it is named.
    #[serde(default)]
    pub mentions: Vec<Mention>,
}

/// A fact: a typed edge between two entities, with the sentence it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RelationRecord {
    /// The source node ID.
    pub source: String,
    /// The target node ID.
    pub target: String,
    /// What the edge says.
    pub kind: RelationKind,
    /// For `holds_position`: the office ("Bí thư", "Ủy viên Ban Thường vụ").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// The date of the fact (the meeting's or the article's), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    /// The sentence (document, bytes, text) it was read from (the default, no document, for a
    /// record written with `--evidence none`).
    #[serde(default)]
    pub evidence: Evidence,
}

/// Everything one article yields.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    /// The article.
    pub document: DocumentInfo,
    /// Its entities, ordered by ID.
    pub entities: Vec<EntityRecord>,
    /// Its facts.
    pub relations: Vec<RelationRecord>,
}
