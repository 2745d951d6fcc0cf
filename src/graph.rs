//! Stage 6: the knowledge graph — one node per real entity across all articles.
//!
//! A [`KnowledgeGraph`] is a petgraph `StableDiGraph` (a directed multigraph) of typed [`Node`]s
//! and [`Edge`]s, indexed by stable node ID. Articles are merged in as [`Extraction`]s: a node
//! with a known ID absorbs the new aliases, attributes and mentions; an edge with the same source,
//! target, kind and title absorbs the new evidence. Merging is order-independent: the same
//! extractions in any order give the same graph.
//!
//! The graph is built to hold a large corpus in little memory: document IDs, mention texts and
//! dates are interned (one copy each, shared), a mention or an evidence is a few integers (24 and
//! 16 bytes), and each evidence sentence is stored once in one text arena, however many facts it
//! supports. Read them through [`KnowledgeGraph::mentions`] and [`KnowledgeGraph::evidence`],
//! which give borrowed [`MentionRef`]s and [`EvidenceRef`]s.

use crate::extraction::{
    Attributes, DocumentInfo, EntityRecord, Extraction, Mention, RelationRecord,
};
use crate::identity::{self, Body, Level, Occurrence, Roster, has_words};
use crate::types::{EntityKind, Evidence, Recognizer, RelationKind};
use hashbrown::HashTable;
use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

/// A node: one person, committee, resolution, meeting, organization or place. Its ID, label
/// and attributes are read through [`id`](Self::id), [`label`](Self::label) and
/// [`attribute`](Self::attribute) (they are stored packed), its mentions through
/// [`KnowledgeGraph::mentions`].
///
/// ```
/// use partygraph::{EntityKind, Extractor, KnowledgeGraph};
/// let mut g = KnowledgeGraph::new();
/// g.add(Extractor::new().unwrap().extract_str("a", "Bộ Chính trị họp."));
/// let n = g.node("committee:bo-chinh-tri").unwrap();
/// assert_eq!((n.id(), n.label(), n.kind), ("committee:bo-chinh-tri", "Bộ Chính trị", EntityKind::Committee));
/// assert_eq!(g.mentions(n).len(), 1);
/// ```
#[derive(Debug, Clone)]
pub struct Node {
    /// The ID and then the label, in one allocation ([`id`](Self::id), [`label`](Self::label)):
    /// a graph of 500 MB of articles holds over a million nodes, and two strings took 16
    /// bytes more in each and a second block of memory.
    names: Box<str>,
    /// Where the label starts in `names`.
    label_at: u32,
    /// Its kind.
    pub kind: EntityKind,
    /// Every other name it was found under.
    pub aliases: Aliases,
    /// Kind-specific attributes that are set, packed ([`Attrs`]). Empty (no allocation) for
    /// most people.
    attrs: Attrs,
    /// Every place it is named (read through [`KnowledgeGraph::mentions`]).
    mentions: Vec<StoredMention>,
}

/// The other names of a node: a sorted set of strings, kept as a boxed slice made to size (a
/// node most often has none or one; a `BTreeSet` would take a 300-byte block for one, and a
/// `Vec` 8 bytes more in every node for a capacity that is never used).
///
/// ```
/// use partygraph::graph::Aliases;
/// let mut a: Aliases = ["Tỉnh ủy Nghệ An", "TU Nghệ An"].into_iter().collect();
/// assert!(a.insert("Tỉnh uỷ Nghệ An"));
/// assert!(!a.insert("TU Nghệ An"));
/// assert!(a.contains("Tỉnh uỷ Nghệ An"));
/// assert_eq!(a.iter().collect::<Vec<_>>(), ["TU Nghệ An", "Tỉnh uỷ Nghệ An", "Tỉnh ủy Nghệ An"]);
/// assert!(a.remove("TU Nghệ An"));
/// assert_eq!(a.len(), 2);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Aliases(Box<[Box<str>]>);

impl Aliases {
    /// No aliases.
    pub fn new() -> Aliases {
        Aliases(Box::default())
    }

    /// The aliases, sorted.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.0.iter().map(|a| &**a)
    }

    /// True when `name` is one of them.
    pub fn contains(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|a| (**a).cmp(name))
    }

    /// Adds `name`; false when it was there already.
    pub fn insert(&mut self, name: impl AsRef<str> + Into<Box<str>>) -> bool {
        match self.find(name.as_ref()) {
            Ok(_) => false,
            Err(k) => {
                // Made to size again: most nodes keep the one or two they get.
                let mut v = std::mem::take(&mut self.0).into_vec();
                v.reserve_exact(1);
                v.insert(k, name.into());
                self.0 = v.into_boxed_slice();
                true
            }
        }
    }

    /// Takes `name` out; false when it was not there.
    pub fn remove(&mut self, name: &str) -> bool {
        match self.find(name) {
            Ok(k) => {
                let mut v = std::mem::take(&mut self.0).into_vec();
                v.remove(k);
                self.0 = v.into_boxed_slice();
                true
            }
            Err(_) => false,
        }
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl<S: AsRef<str> + Into<Box<str>>> FromIterator<S> for Aliases {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Aliases {
        let mut v: Vec<Box<str>> = iter.into_iter().map(Into::into).collect();
        v.sort_unstable();
        v.dedup();
        Aliases(v.into_boxed_slice())
    }
}

impl<'a> IntoIterator for &'a Aliases {
    type Item = &'a str;
    type IntoIter = std::iter::Map<std::slice::Iter<'a, Box<str>>, fn(&Box<str>) -> &str>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|a| &**a)
    }
}

/// The names of the fields of [`Attributes`], by number.
const ATTRIBUTE_NAMES: [&str; 11] = [
    "level",
    "parent",
    "code",
    "doc_type",
    "number",
    "issuer",
    "date",
    "subject",
    "meeting_type",
    "place",
    "org_type",
];

/// The fields of [`Attributes`], by number: how a node stores them.
fn attribute_fields(a: &Attributes) -> [&Option<String>; 11] {
    [
        &a.level,
        &a.parent,
        &a.code,
        &a.doc_type,
        &a.number,
        &a.issuer,
        &a.date,
        &a.subject,
        &a.meeting_type,
        &a.place,
        &a.org_type,
    ]
}

fn attribute_field(a: &mut Attributes, field: u8) -> Option<&mut Option<String>> {
    Some(match field {
        0 => &mut a.level,
        1 => &mut a.parent,
        2 => &mut a.code,
        3 => &mut a.doc_type,
        4 => &mut a.number,
        5 => &mut a.issuer,
        6 => &mut a.date,
        7 => &mut a.subject,
        8 => &mut a.meeting_type,
        9 => &mut a.place,
        10 => &mut a.org_type,
        _ => return None,
    })
}

#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Node>() == 80);

impl Node {
    /// A node with no aliases, attributes or mentions.
    fn new(id: &str, kind: EntityKind, label: &str) -> Node {
        let mut node = Node {
            names: Box::default(),
            label_at: 0,
            kind,
            aliases: Aliases::new(),
            attrs: Attrs::default(),
            mentions: Vec::new(),
        };
        node.set_names(id, label);
        node
    }

    fn set_names(&mut self, id: &str, label: &str) {
        let mut names = String::with_capacity(id.len() + label.len());
        names.push_str(id);
        names.push_str(label);
        self.names = names.into_boxed_str();
        self.label_at = u32::try_from(id.len()).unwrap_or(u32::MAX);
    }

    /// Its stable ID: `kind:ascii-slug` (with a namesake's suffix, see
    /// [`KnowledgeGraph::settle_people`]).
    ///
    /// ```
    /// use partygraph::{Extractor, KnowledgeGraph};
    /// let mut g = KnowledgeGraph::new();
    /// g.add(Extractor::new().unwrap().extract_str("a", "Tỉnh ủy Nghệ An họp."));
    /// let n = g.node("committee:tinh-uy-nghe-an").unwrap();
    /// assert_eq!(n.id(), "committee:tinh-uy-nghe-an");
    /// ```
    pub fn id(&self) -> &str {
        self.names.get(..self.label_at as usize).unwrap_or("")
    }

    /// Its display name: the longest of the names it was found under (then the smallest).
    ///
    /// ```
    /// use partygraph::{Extractor, KnowledgeGraph};
    /// let mut g = KnowledgeGraph::new();
    /// g.add(Extractor::new().unwrap().extract_str("a", "Tỉnh ủy Nghệ An họp."));
    /// assert_eq!(g.node("committee:tinh-uy-nghe-an").unwrap().label(), "Tỉnh ủy Nghệ An");
    /// ```
    pub fn label(&self) -> &str {
        self.names.get(self.label_at as usize..).unwrap_or("")
    }

    fn set_label(&mut self, label: &str) {
        let at = self.label_at as usize;
        let mut names = String::with_capacity(at + label.len());
        names.push_str(self.id());
        names.push_str(label);
        self.names = names.into_boxed_str();
    }

    /// Kind-specific attributes (all `None` for most people).
    ///
    /// ```
    /// use partygraph::{Extractor, KnowledgeGraph};
    /// let mut g = KnowledgeGraph::new();
    /// g.add(Extractor::new().unwrap().extract_str("a", "Tỉnh ủy Nghệ An họp."));
    /// let n = g.node("committee:tinh-uy-nghe-an").unwrap();
    /// assert_eq!(n.attrs().level.as_deref(), Some("provincial"));
    /// ```
    pub fn attrs(&self) -> Attributes {
        self.attrs.to_attributes()
    }

    /// One attribute by its name in [`Attributes`] (`"date"`, `"code"`, `"level"`...), borrowed.
    ///
    /// ```
    /// use partygraph::{Extractor, KnowledgeGraph};
    /// let mut g = KnowledgeGraph::new();
    /// g.add(Extractor::new().unwrap().extract_str("a", "Tỉnh ủy Nghệ An họp."));
    /// let n = g.node("committee:tinh-uy-nghe-an").unwrap();
    /// assert_eq!(n.attribute("level"), Some("provincial"));
    /// assert_eq!(n.attribute("date"), None);
    /// ```
    pub fn attribute(&self, name: &str) -> Option<&str> {
        let field = ATTRIBUTE_NAMES.iter().position(|n| *n == name)? as u8;
        self.attrs.get(field)
    }

    /// The attributes that are set, as (name in [`Attributes`], value), in field order.
    pub(crate) fn attribute_pairs(&self) -> impl Iterator<Item = (&'static str, &str)> + '_ {
        self.attrs
            .iter()
            .filter_map(|(f, v)| Some((*ATTRIBUTE_NAMES.get(f as usize)?, v)))
    }

    /// Its other names: the aliases but the label (which the set may hold until
    /// [`KnowledgeGraph::canonicalize`]), sorted.
    pub fn other_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.aliases.iter().filter(move |a| *a != self.label())
    }

    /// Number of mentions held (distinct ones after [`KnowledgeGraph::canonicalize`]).
    pub fn mention_count(&self) -> usize {
        self.mentions.len()
    }

    /// [`Attributes::merge`] on the stored form: a field not yet set is taken, one set to a
    /// greater value takes the smaller one (independent of merge order).
    fn merge_attrs(&mut self, other: &Attributes) {
        let mut changed: Option<Vec<(u8, &str)>> = None;
        for (field, value) in attribute_fields(other).into_iter().enumerate() {
            let Some(value) = value else { continue };
            let field = field as u8;
            match self.attrs.get(field) {
                Some(current) if value.as_str() >= current => continue,
                _ => {}
            }
            let v = changed.get_or_insert_with(|| self.attrs.iter().collect());
            match v.binary_search_by_key(&field, |(f, _)| *f) {
                Ok(i) => v[i].1 = value,
                Err(i) => v.insert(i, (field, value)),
            }
        }
        if let Some(v) = changed {
            self.attrs = Attrs::from_sorted(v);
        }
    }
}

/// The attributes of a node, packed in one allocation: for each attribute set, in field
/// order, its field number ([`ATTRIBUTE_NAMES`]), the value's length as a LEB128 number, and
/// the value (a meeting's date, type and place take about 40 bytes, where a list of
/// (field, shared string) pairs took 72 and a block of its own).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Attrs(Box<[u8]>);

impl Attrs {
    /// From (field, value) pairs sorted by field, each field once.
    fn from_sorted<'a>(pairs: impl IntoIterator<Item = (u8, &'a str)>) -> Attrs {
        let mut out = Vec::new();
        for (field, value) in pairs {
            out.push(field);
            let mut n = value.len();
            loop {
                let byte = (n & 0x7f) as u8;
                n >>= 7;
                if n == 0 {
                    out.push(byte);
                    break;
                }
                out.push(byte | 0x80);
            }
            out.extend_from_slice(value.as_bytes());
        }
        Attrs(out.into_boxed_slice())
    }

    /// The (field, value) pairs, in field order.
    fn iter(&self) -> impl Iterator<Item = (u8, &str)> + '_ {
        let mut rest: &[u8] = &self.0;
        std::iter::from_fn(move || {
            let (&field, tail) = rest.split_first()?;
            let (mut len, mut shift, mut at) = (0usize, 0u32, 0usize);
            loop {
                let byte = *tail.get(at)?;
                at += 1;
                len |= usize::from(byte & 0x7f) << shift;
                shift += 7;
                if byte & 0x80 == 0 {
                    break;
                }
            }
            let value = tail.get(at..at + len)?;
            rest = &tail[at + len..];
            Some((field, std::str::from_utf8(value).unwrap_or("")))
        })
    }

    fn to_attributes(&self) -> Attributes {
        let mut a = Attributes::default();
        for (field, value) in self.iter() {
            if let Some(slot) = attribute_field(&mut a, field) {
                *slot = Some(value.to_string());
            }
        }
        a
    }

    fn get(&self, field: u8) -> Option<&str> {
        self.iter()
            .take_while(|&(f, _)| f <= field)
            .find(|&(f, _)| f == field)
            .map(|(_, v)| v)
    }
}

/// An edge: one fact, with the evidence of every article that states it.
#[derive(Debug, Clone)]
pub struct Edge {
    /// What the edge says.
    pub kind: RelationKind,
    /// For `holds_position`: the office ([`KnowledgeGraph::title`]; [`Sym::NONE`] for none).
    title: Sym,
    /// The sentences it was read from, each with the date the fact holds at, if any
    /// ([`KnowledgeGraph::evidence`], [`KnowledgeGraph::dates`]).
    evidence: Few<StoredEvidence>,
}

/// A list that is most often of one element (an edge's evidence: most facts are stated
/// once), kept inline until a second arrives; a longer list is boxed, so that an edge is 32
/// bytes, not 40.
#[derive(Debug, Clone, Default)]
enum Few<T> {
    #[default]
    None,
    One(T),
    #[allow(clippy::box_collection)]
    Many(Box<Vec<T>>),
}

impl<T> Few<T> {
    fn as_slice(&self) -> &[T] {
        match self {
            Few::None => &[],
            Few::One(x) => std::slice::from_ref(x),
            Few::Many(v) => v,
        }
    }

    fn len(&self) -> usize {
        self.as_slice().len()
    }

    fn push(&mut self, x: T) {
        *self = match std::mem::take(self) {
            Few::None => Few::One(x),
            Few::One(y) => Few::Many(Box::new(vec![y, x])),
            Few::Many(mut v) => {
                v.push(x);
                Few::Many(v)
            }
        };
    }

    fn shrink_to_fit(&mut self) {
        if let Few::Many(v) = self
            && v.capacity() > v.len()
        {
            v.shrink_to_fit();
        }
    }

    fn from_vec(mut v: Vec<T>) -> Few<T> {
        match v.len() {
            0 => Few::None,
            1 => v.pop().map_or(Few::None, Few::One),
            _ => Few::Many(Box::new(v)),
        }
    }
}

#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<Edge>() == 32);

impl Edge {
    /// Number of evidences held (distinct ones after [`KnowledgeGraph::canonicalize`]).
    pub fn evidence_count(&self) -> usize {
        self.evidence
            .as_slice()
            .iter()
            .filter(|v| v.doc != Sym::NONE)
            .count()
    }
}

/// One mention as stored, 16 bytes: document and text interned, start as `u32` (inputs are at
/// most 1 GiB, [`MAX_INPUT_BYTES`](crate::corpus::MAX_INPUT_BYTES)), and the rest (length,
/// confidence, recognizer, whether it only refers) as an index into the graph's table of the
/// distinct combinations ([`Tails`]): a graph of 500 MB of articles holds about 5 million
/// mentions, and a few hundred combinations.
#[derive(Debug, Clone, Copy)]
struct StoredMention {
    doc: Sym,
    start: u32,
    text: Sym,
    tail: u32,
}

#[cfg(target_pointer_width = "64")]
const _: () = assert!(std::mem::size_of::<StoredMention>() == 16);

/// What a mention holds besides its document, start and text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Tail {
    len: u32,
    /// The confidence's bits (`f32::to_bits`: compared and hashed exactly).
    confidence: u32,
    recognizer: Recognizer,
    reference_only: bool,
}

/// Each distinct [`Tail`] once, by index.
#[derive(Debug, Clone, Default)]
struct Tails {
    at: FxHashMap<Tail, u32>,
    list: Vec<Tail>,
}

impl Tails {
    fn intern(&mut self, t: Tail) -> u32 {
        let next = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
        let list = &mut self.list;
        *self.at.entry(t).or_insert_with(|| {
            list.push(t);
            next
        })
    }

    fn get(&self, k: u32) -> Tail {
        self.list.get(k as usize).copied().unwrap_or(Tail {
            len: 0,
            confidence: 0,
            recognizer: Recognizer::Gazetteer,
            reference_only: false,
        })
    }
}

/// One evidence as stored: document interned, sentence in the graph's text arena. A record
/// with no document ([`Sym::NONE`]) only carries a date: the fact of a graph written without
/// evidence (`--evidence none`) read back.
#[derive(Debug, Clone, Copy)]
struct StoredEvidence {
    doc: Sym,
    start: u32,
    end: u32,
    sentence: u32,
    /// The date the fact holds at, as the record stating it says ([`Sym::NONE`] for none).
    date: Sym,
}

/// A mention read from the graph: where an entity is named.
///
/// Serializes exactly as a [`Mention`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct MentionRef<'a> {
    /// The article's ID.
    pub doc: &'a str,
    /// Byte offset of the first byte in the article's file.
    pub start: usize,
    /// Byte offset past the last byte.
    pub end: usize,
    /// The text as written.
    pub text: &'a str,
    /// Which recognizer found it.
    pub recognizer: Recognizer,
    /// How sure the recognizer is, 0 to 1.
    pub confidence: f32,
    /// Named only in passing (an ideology, a quotation), not as a participant.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub reference_only: bool,
}

impl MentionRef<'_> {
    /// An owned copy.
    pub fn to_mention(&self) -> Mention {
        Mention {
            doc: self.doc.to_string(),
            start: self.start,
            end: self.end,
            text: self.text.to_string(),
            recognizer: self.recognizer,
            confidence: self.confidence,
            reference_only: self.reference_only,
        }
    }
}

/// An evidence read from the graph: the sentence a fact was read from.
///
/// Serializes exactly as an [`Evidence`]; ordered by document, offsets, then text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct EvidenceRef<'a> {
    /// The article's ID.
    pub doc: &'a str,
    /// Byte offset of the sentence's first byte in the article's file.
    pub start: usize,
    /// Byte offset past its last byte.
    pub end: usize,
    /// The sentence (read back from a temporary file for large graphs).
    pub text: Cow<'a, str>,
}

impl EvidenceRef<'_> {
    /// An owned copy.
    pub fn to_evidence(&self) -> Evidence {
        Evidence {
            doc: self.doc.to_string(),
            start: self.start,
            end: self.end,
            text: self.text.to_string(),
        }
    }
}

/// The distinct evidence sentences of a graph ([`KnowledgeGraph::sentence_table`]).
#[derive(Debug)]
pub struct SentenceTable<'a> {
    graph: &'a KnowledgeGraph,
    rows: Vec<SentenceRow>,
    /// Document symbols in ID order: a row's `rank` indexes it.
    docs: Vec<Sym>,
    /// The rank of each document symbol.
    rank: FxHashMap<u32, u32>,
}

/// A row of a [`SentenceTable`]: the document by its rank in ID order, the offsets, and the
/// sentence in the graph's text arena.
#[derive(Debug, Clone, Copy)]
struct SentenceRow {
    rank: u32,
    start: u32,
    end: u32,
    sentence: u32,
}

impl<'a> SentenceTable<'a> {
    /// Number of distinct sentences.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    /// True when no edge has evidence.
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// Sentence `i` (a position: `0..len()`); an empty text where the graph holds none (read
    /// from a graph written with `--evidence span`).
    pub fn get(&self, i: usize) -> EvidenceRef<'a> {
        let Some(r) = self.rows.get(i) else {
            return EvidenceRef {
                doc: "",
                start: 0,
                end: 0,
                text: Cow::Borrowed(""),
            };
        };
        EvidenceRef {
            doc: self.graph.strings.get(self.docs[r.rank as usize]),
            start: r.start as usize,
            end: r.end as usize,
            text: self.graph.sentences.get(r.sentence),
        }
    }

    /// The positions of an edge's evidence in the table: sorted, each once, in the order of
    /// [`KnowledgeGraph::evidence`].
    pub fn ids(&self, e: &Edge) -> Vec<usize> {
        let mut ids: Vec<usize> = e
            .evidence
            .as_slice()
            .iter()
            .filter(|v| v.doc != Sym::NONE)
            .filter_map(|v| {
                let key = SentenceRow {
                    rank: *self.rank.get(&v.doc.0)?,
                    start: v.start,
                    end: v.end,
                    sentence: v.sentence,
                };
                self.rows.binary_search_by(|r| self.order(r, &key)).ok()
            })
            .collect();
        ids.sort_unstable();
        ids.dedup();
        ids
    }

    /// By document, offsets, then text (read only when two rows of the same place hold
    /// different copies: the same article merged twice).
    fn order(&self, a: &SentenceRow, b: &SentenceRow) -> std::cmp::Ordering {
        (a.rank, a.start, a.end)
            .cmp(&(b.rank, b.start, b.end))
            .then_with(|| {
                if a.sentence == b.sentence {
                    std::cmp::Ordering::Equal
                } else {
                    let s = &self.graph.sentences;
                    s.get(a.sentence).cmp(&s.get(b.sentence))
                }
            })
    }
}

/// An interned string: an index into [`Strings`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Sym(u32);

impl Sym {
    /// No string.
    const NONE: Sym = Sym(u32::MAX);
}

/// Each distinct string once (document IDs, mention texts, dates, titles).
#[derive(Debug, Clone, Default)]
struct Strings {
    /// Symbols by the hash of their text (the text itself is in `list`).
    ids: HashTable<Sym>,
    list: Vec<Box<str>>,
}

/// The last string interned and its symbol: an article's mentions and evidence name the same
/// document again and again, and comparing with the last one is cheaper than a table lookup.
#[derive(Default)]
struct LastSym<'s>(Option<(&'s str, Sym)>);

impl<'s> LastSym<'s> {
    fn intern(&mut self, strings: &mut Strings, s: &'s str) -> Sym {
        match self.0 {
            Some((last, sym)) if last == s => sym,
            _ => {
                let sym = strings.intern(s);
                self.0 = Some((s, sym));
                sym
            }
        }
    }
}

impl Strings {
    fn intern(&mut self, s: &str) -> Sym {
        let hash = hash_id(s);
        let list = &self.list;
        if let Some(&sym) = self.ids.find(hash, |&k| &*list[k.0 as usize] == s) {
            return sym;
        }
        let sym = Sym(u32::try_from(self.list.len()).unwrap_or(u32::MAX));
        self.list.push(Box::from(s));
        let list = &self.list;
        self.ids
            .insert_unique(hash, sym, |&k| hash_id(&list[k.0 as usize]));
        sym
    }

    fn get(&self, s: Sym) -> &str {
        self.list.get(s.0 as usize).map_or("", |a| a)
    }

    /// The string of a symbol, `None` for [`Sym::NONE`].
    fn get_opt(&self, s: Sym) -> Option<&str> {
        (s != Sym::NONE).then(|| self.get(s))
    }

    fn intern_opt(&mut self, s: Option<&str>) -> Sym {
        s.map_or(Sym::NONE, |s| self.intern(s))
    }
}

/// The articles of a graph, each packed in one allocation (see [`pack_document`]), indexed by
/// ID; a document added again replaces the one of the same ID.
#[derive(Debug, Clone, Default)]
struct Documents {
    ids: HashTable<u32>,
    list: Vec<Box<[u8]>>,
}

impl Documents {
    fn insert(&mut self, d: &DocumentInfo) {
        let hash = hash_id(&d.id);
        let packed = pack_document(d);
        let list = &self.list;
        match self
            .ids
            .find(hash, |&i| unpack_id(&list[i as usize]) == d.id)
        {
            Some(&i) => self.list[i as usize] = packed,
            None => {
                let i = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
                self.list.push(packed);
                let list = &self.list;
                self.ids
                    .insert_unique(hash, i, |&j| hash_id(unpack_id(&list[j as usize])));
            }
        }
    }

    /// The date of the document `id`, when it has one.
    fn date(&self, id: &str) -> Option<String> {
        let list = &self.list;
        let &i = self
            .ids
            .find(hash_id(id), |&i| unpack_id(&list[i as usize]) == id)?;
        unpack_document(&self.list[i as usize]).date
    }

    fn sorted(&self) -> impl ExactSizeIterator<Item = DocumentInfo> + '_ {
        let mut order: Vec<u32> = (0..self.list.len() as u32).collect();
        order.sort_by(|&a, &b| {
            unpack_id(&self.list[a as usize]).cmp(unpack_id(&self.list[b as usize]))
        });
        order
            .into_iter()
            .map(|i| unpack_document(&self.list[i as usize]))
    }
}

/// A document as bytes: each text as a 4-byte length and its UTF-8 (`u32::MAX` for none), in
/// the order id, path, url, source, date, title, number of authors, authors; then `bytes` as 8
/// bytes.
fn pack_document(d: &DocumentInfo) -> Box<[u8]> {
    fn text(out: &mut Vec<u8>, s: Option<&str>) {
        match s {
            Some(s) => {
                out.extend_from_slice(&(s.len() as u32).to_le_bytes());
                out.extend_from_slice(s.as_bytes());
            }
            None => out.extend_from_slice(&u32::MAX.to_le_bytes()),
        }
    }
    let mut out = Vec::new();
    text(&mut out, Some(&d.id));
    text(&mut out, Some(&d.path));
    text(&mut out, d.url.as_deref());
    text(&mut out, d.source.as_deref());
    text(&mut out, d.date.as_deref());
    text(&mut out, d.title.as_deref());
    out.extend_from_slice(&(d.authors.len() as u32).to_le_bytes());
    for a in &d.authors {
        text(&mut out, Some(a));
    }
    out.extend_from_slice(&(d.bytes as u64).to_le_bytes());
    out.into_boxed_slice()
}

/// Reads what [`pack_document`] wrote, from `at`; moves `at` past it.
struct Unpack<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Unpack<'a> {
    fn word(&mut self, n: usize) -> &'a [u8] {
        let w = self.bytes.get(self.at..self.at + n).unwrap_or(&[]);
        self.at += n;
        w
    }

    fn u32(&mut self) -> u32 {
        self.word(4).try_into().map_or(0, u32::from_le_bytes)
    }

    fn text(&mut self) -> Option<&'a str> {
        match self.u32() {
            u32::MAX => None,
            n => std::str::from_utf8(self.word(n as usize)).ok(),
        }
    }
}

fn unpack_id(bytes: &[u8]) -> &str {
    Unpack { bytes, at: 0 }.text().unwrap_or("")
}

fn unpack_document(bytes: &[u8]) -> DocumentInfo {
    let mut u = Unpack { bytes, at: 0 };
    let id = u.text().unwrap_or("").to_string();
    let path = u.text().unwrap_or("").to_string();
    let url = u.text().map(String::from);
    let source = u.text().map(String::from);
    let date = u.text().map(String::from);
    let title = u.text().map(String::from);
    let authors = (0..u.u32())
        .map(|_| u.text().unwrap_or("").to_string())
        .collect();
    let bytes = u.word(8).try_into().map_or(0, u64::from_le_bytes) as usize;
    DocumentInfo {
        id,
        path,
        url,
        source,
        date,
        title,
        authors,
        bytes,
    }
}

/// Sentence text kept in memory before the rest goes to a temporary file (see [`Sentences`]).
pub const SENTENCES_IN_MEMORY: usize = 32 << 20;

/// Evidence sentences, each stored once, end to end.
///
/// The first [`SENTENCES_IN_MEMORY`] bytes stay in memory; later sentences are appended to an
/// unnamed temporary file (removed by the system when the graph is dropped) and read back
/// when written out, so that a graph of a large corpus does not hold every sentence in memory.
/// A sentence is one logical byte range: `[0, memory.len())` is in memory, then the file,
/// then `pending` (written to the file in blocks).
#[derive(Debug, Default)]
struct Sentences {
    memory: String,
    starts: Vec<u64>,
    spill: Option<Spill>,
    budget: Option<usize>,
}

#[derive(Debug)]
struct Spill {
    file: std::fs::File,
    /// Bytes in the file.
    written: u64,
    /// Bytes not yet written.
    pending: Vec<u8>,
}

const SPILL_BLOCK: usize = 1 << 20;

/// Whether sentences can be read back from a file by offset on this system.
const CAN_SPILL: bool = cfg!(any(unix, windows));

#[cfg(unix)]
fn read_at(file: &std::fs::File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buf, offset)
}

#[cfg(windows)]
fn read_at(file: &std::fs::File, mut buf: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match file.seek_read(buf, offset)? {
            0 => return Err(std::io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

#[cfg(not(any(unix, windows)))]
fn read_at(_: &std::fs::File, _: &mut [u8], _: u64) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

impl Clone for Sentences {
    /// A copy holds every sentence in memory.
    fn clone(&self) -> Sentences {
        let mut out = Sentences {
            budget: Some(usize::MAX),
            ..Sentences::default()
        };
        for i in 0..self.starts.len() {
            out.push(&self.get(i as u32));
        }
        out.budget = self.budget;
        out
    }
}

impl Sentences {
    fn end(&self) -> u64 {
        self.memory.len() as u64
            + self
                .spill
                .as_ref()
                .map_or(0, |s| s.written + s.pending.len() as u64)
    }

    fn push(&mut self, s: &str) -> u32 {
        let id = u32::try_from(self.starts.len()).unwrap_or(u32::MAX);
        self.starts.push(self.end());
        let budget = self.budget.unwrap_or(SENTENCES_IN_MEMORY);
        if self.spill.is_none() && self.memory.len() + s.len() > budget && CAN_SPILL {
            // When no temporary file can be made, everything stays in memory.
            if let Ok(file) = tempfile::tempfile() {
                self.spill = Some(Spill {
                    file,
                    written: 0,
                    pending: Vec::with_capacity(SPILL_BLOCK),
                });
            } else {
                self.budget = Some(usize::MAX);
            }
        }
        match &mut self.spill {
            None => self.memory.push_str(s),
            Some(spill) => {
                spill.pending.extend_from_slice(s.as_bytes());
                if spill.pending.len() >= SPILL_BLOCK {
                    use std::io::Write;
                    match spill.file.write_all(&spill.pending) {
                        Ok(()) => {
                            spill.written += spill.pending.len() as u64;
                            spill.pending.clear();
                        }
                        // A full disk: keep the block in memory and try again later.
                        Err(_) => spill.pending.reserve(SPILL_BLOCK),
                    }
                }
            }
        }
        id
    }

    /// True when sentence `id` has no text (or there is no such sentence); read from the
    /// offsets, not the text.
    fn is_empty(&self, id: u32) -> bool {
        let i = id as usize;
        let Some(&start) = self.starts.get(i) else {
            return true;
        };
        let end = self
            .starts
            .get(i + 1)
            .copied()
            .unwrap_or_else(|| self.end());
        end <= start
    }

    fn get(&self, id: u32) -> Cow<'_, str> {
        let i = id as usize;
        let Some(&start) = self.starts.get(i) else {
            return Cow::Borrowed("");
        };
        let end = self
            .starts
            .get(i + 1)
            .copied()
            .unwrap_or_else(|| self.end());
        let mem = self.memory.len() as u64;
        if end <= mem {
            return Cow::Borrowed(self.memory.get(start as usize..end as usize).unwrap_or(""));
        }
        let Some(spill) = &self.spill else {
            return Cow::Borrowed("");
        };
        let (start, end) = (start - mem, end - mem);
        if start >= spill.written {
            let (a, b) = (
                (start - spill.written) as usize,
                (end - spill.written) as usize,
            );
            let bytes = spill.pending.get(a..b).unwrap_or(&[]);
            return Cow::Borrowed(std::str::from_utf8(bytes).unwrap_or(""));
        }
        let mut buf = vec![0u8; (end - start) as usize];
        match read_at(&spill.file, &mut buf, start) {
            Ok(()) => Cow::Owned(
                String::from_utf8(buf)
                    .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
            ),
            Err(e) => Cow::Owned(format!(
                "[partygraph: evidence sentence lost: the temporary file could not be read: {e}]"
            )),
        }
    }
}

/// Extends a vector growing it by an eighth at a time, not doubling it: the mentions of a
/// large graph are its biggest part, and doubling would leave a third of their room unused.
fn extend_tight<T>(v: &mut Vec<T>, more: Vec<T>) {
    let need = v.len() + more.len();
    if need > v.capacity() {
        v.reserve_exact((need - v.len()).max(v.len() / 8));
    }
    v.extend(more);
}

fn hash_id(id: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(id)
}

fn offset(x: usize) -> u32 {
    u32::try_from(x).unwrap_or(u32::MAX)
}

fn hash_edge(s: NodeIndex, t: NodeIndex, kind: RelationKind, title: Sym) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one((s, t, kind, title))
}

/// The sentences stored by [`KnowledgeGraph::add_facts_keeping`], by document and offsets.
#[derive(Debug, Default)]
pub(crate) struct StoredSentences(FxHashMap<(Sym, u32, u32), u32>);

/// A sentence as stored ([`KnowledgeGraph::store_sentence`]): its document, offsets and place
/// in the graph's store, 16 bytes (a graph's table of sentences, read before the edges that
/// cite it, is kept so, not as text).
#[derive(Debug, Clone, Copy)]
pub(crate) struct StoredRow {
    doc: Sym,
    start: u32,
    end: u32,
    sentence: u32,
}

/// The merged graph of a corpus.
///
/// ```
/// use partygraph::{Extractor, KnowledgeGraph};
/// let ex = Extractor::new().unwrap();
/// let mut g = KnowledgeGraph::new();
/// g.add(ex.extract_str("a", "Hội nghị của Bộ Chính trị."));
/// g.add(ex.extract_str("b", "Bộ Chính trị họp."));
/// let n = g.node("committee:bo-chinh-tri").unwrap();
/// let docs: Vec<&str> = g.mentions(n).iter().map(|m| m.doc).collect();
/// assert_eq!(docs, ["a", "b"]);
/// ```
#[derive(Debug, Clone, Default)]
pub struct KnowledgeGraph {
    graph: StableDiGraph<Node, Edge>,
    index: HashTable<NodeIndex>,
    /// Edges by (source, target, kind, title): holds edge indices only.
    edge_index: HashTable<EdgeIndex>,
    documents: Documents,
    strings: Strings,
    /// What the mentions hold besides document, start and text (see [`StoredMention`]).
    tails: Tails,
    sentences: Sentences,
    /// What tells namesakes apart, for the people [`settle_people`](Self::settle_people) told
    /// apart (read through [`namesake`](Self::namesake)).
    namesakes: FxHashMap<NodeIndex, Namesake>,
}

/// Prefers the longer name, then the smaller string: independent of merge order.
fn better_label(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    la > lb || (la == lb && a < b)
}

/// Adds `label` (and `aliases`) of an incoming record to a node, keeping the better label.
fn absorb_names<'a>(node: &mut Node, label: &str, aliases: impl IntoIterator<Item = &'a str>) {
    if node.label() != label {
        if better_label(label, node.label()) {
            let old = node.label().to_string();
            node.set_label(label);
            node.aliases.insert(old);
        } else if !node.aliases.contains(label) {
            node.aliases.insert(label.to_string());
        }
    }
    for a in aliases {
        if a != node.label() && !node.aliases.contains(a) {
            node.aliases.insert(a);
        }
    }
}

impl KnowledgeGraph {
    /// An empty graph.
    pub fn new() -> KnowledgeGraph {
        KnowledgeGraph::default()
    }

    /// An empty graph that keeps at most `bytes` of evidence sentences in memory and the rest
    /// in a temporary file ([`new`](Self::new) keeps [`SENTENCES_IN_MEMORY`]). The output is
    /// the same either way.
    ///
    /// ```
    /// use partygraph::{Extractor, KnowledgeGraph};
    /// let text = "Tỉnh ủy Nghệ An tổ chức hội nghị. Bí thư Tỉnh ủy Nguyễn Văn A chủ trì hội nghị.";
    /// let ex = Extractor::new().unwrap();
    /// let (mut a, mut b) = (KnowledgeGraph::new(), KnowledgeGraph::with_sentences_in_memory(0));
    /// a.add(ex.extract_str("a", text));
    /// b.add(ex.extract_str("a", text));
    /// let (mut ja, mut jb) = (Vec::new(), Vec::new());
    /// partygraph::export::write_json(&a, &mut ja).unwrap();
    /// partygraph::export::write_json(&b, &mut jb).unwrap();
    /// assert_eq!(ja, jb);
    /// ```
    pub fn with_sentences_in_memory(bytes: usize) -> KnowledgeGraph {
        let mut g = KnowledgeGraph::default();
        g.sentences.budget = Some(bytes);
        g
    }

    /// Merges one article's extraction.
    pub fn add(&mut self, ex: Extraction) {
        self.add_from(&ex);
    }

    /// Merges one article's extraction, borrowed: what the graph keeps is copied (interned),
    /// so the caller decides where the extraction is freed (see
    /// [`batch::run_borrowed`](crate::batch::run_borrowed)).
    pub fn add_from(&mut self, ex: &Extraction) {
        self.documents.insert(&ex.document);
        self.add_facts_from(&ex.entities, &ex.relations);
    }

    /// Records an article without facts (it may have none).
    pub fn add_document(&mut self, d: DocumentInfo) {
        self.documents.insert(&d);
    }

    /// Merges entities and relations; relations whose ends are unknown are dropped.
    pub fn add_facts(&mut self, entities: Vec<EntityRecord>, relations: Vec<RelationRecord>) {
        self.add_facts_from(&entities, &relations);
    }

    fn add_facts_from(&mut self, entities: &[EntityRecord], relations: &[RelationRecord]) {
        self.add_facts_keeping(entities, relations, &mut StoredSentences::default());
    }

    /// [`add_facts`](Self::add_facts) in batches that share their sentences: a sentence
    /// `stored` holds (by document and offsets) is not stored again (a graph read one piece
    /// at a time, whose facts cite the same sentences from anywhere in the file).
    pub(crate) fn add_facts_keeping(
        &mut self,
        entities: &[EntityRecord],
        relations: &[RelationRecord],
        stored: &mut StoredSentences,
    ) {
        // An article's facts join its own entities and cite its own document: both are kept
        // at hand here, so most lookups do not reach the graph's tables.
        let mut doc = LastSym::default();
        let mut local: FxHashMap<&str, NodeIndex> = FxHashMap::default();
        local.reserve(entities.len());
        for e in entities {
            let idx = self.ensure_node(&e.id, e.kind, &e.label);
            local.insert(&e.id, idx);
            let mentions: Vec<StoredMention> = e
                .mentions
                .iter()
                .map(|m| StoredMention {
                    doc: doc.intern(&mut self.strings, &m.doc),
                    start: offset(m.start),
                    text: self.strings.intern(&m.text),
                    tail: self.tails.intern(Tail {
                        len: offset(m.end.saturating_sub(m.start)),
                        confidence: m.confidence.to_bits(),
                        recognizer: m.recognizer,
                        reference_only: m.reference_only,
                    }),
                })
                .collect();
            let node = &mut self.graph[idx];
            absorb_names(node, &e.label, e.aliases.iter().map(String::as_str));
            node.merge_attrs(&e.attrs);
            extend_tight(&mut node.mentions, mentions);
        }
        let find = |g: &Self, id: &str| local.get(id).copied().or_else(|| g.lookup(id));
        // One copy of each sentence, however many facts it supports.
        for r in relations {
            // A fact whose ends are unknown is dropped before its sentence is stored.
            let (Some(s), Some(t)) = (find(self, &r.source), find(self, &r.target)) else {
                continue;
            };
            let row = self.store_sentence_with(&r.evidence, stored, &mut doc);
            self.push_fact(s, t, r.kind, r.title.as_deref(), r.date.as_deref(), row);
        }
    }

    /// Stores an evidence sentence once (by document, offsets and text, across the batches
    /// `stored` remembers), for the facts that cite it; `None` for an evidence with no document
    /// (a graph written without evidence).
    pub(crate) fn store_sentence(
        &mut self,
        ev: &crate::types::Evidence,
        stored: &mut StoredSentences,
    ) -> Option<StoredRow> {
        self.store_sentence_with(ev, stored, &mut LastSym::default())
    }

    /// [`store_sentence`](Self::store_sentence), the document's symbol remembered in `doc`.
    fn store_sentence_with<'e>(
        &mut self,
        ev: &'e crate::types::Evidence,
        stored: &mut StoredSentences,
        doc: &mut LastSym<'e>,
    ) -> Option<StoredRow> {
        if ev.doc.is_empty() {
            return None;
        }
        let stored = &mut stored.0;
        let doc = doc.intern(&mut self.strings, &ev.doc);
        let (start, end) = (offset(ev.start), offset(ev.end));
        let sentence = match stored.get(&(doc, start, end)) {
            Some(&id) if self.sentences.get(id) == ev.text => id,
            _ => {
                let id = self.sentences.push(&ev.text);
                stored.insert((doc, start, end), id);
                id
            }
        };
        Some(StoredRow {
            doc,
            start,
            end,
            sentence,
        })
    }

    /// Adds one fact whose sentence is stored ([`store_sentence`](Self::store_sentence));
    /// dropped when an end is unknown.
    pub(crate) fn add_fact_stored(
        &mut self,
        source: &str,
        target: &str,
        kind: RelationKind,
        title: Option<&str>,
        date: Option<&str>,
        row: Option<StoredRow>,
    ) {
        if let (Some(s), Some(t)) = (self.lookup(source), self.lookup(target)) {
            self.push_fact(s, t, kind, title, date, row);
        }
    }

    /// [`add_fact_stored`](Self::add_fact_stored) between nodes known to be there.
    fn push_fact(
        &mut self,
        s: NodeIndex,
        t: NodeIndex,
        kind: RelationKind,
        title: Option<&str>,
        date: Option<&str>,
        row: Option<StoredRow>,
    ) {
        let title = self.strings.intern_opt(title);
        let ei = self.ensure_edge(s, t, kind, title);
        let date = self.strings.intern_opt(date);
        let evidence = match row {
            Some(r) => StoredEvidence {
                doc: r.doc,
                start: r.start,
                end: r.end,
                sentence: r.sentence,
                date,
            },
            // A fact without evidence (read from a graph written without it).
            None => StoredEvidence {
                doc: Sym::NONE,
                start: 0,
                end: 0,
                sentence: u32::MAX,
                date,
            },
        };
        self.graph[ei].evidence.push(evidence);
    }

    /// How many sentences the graph stores (each once, however many facts it supports).
    #[cfg(test)]
    pub(crate) fn sentences_stored(&self) -> usize {
        self.sentences.starts.len()
    }

    /// True for a graph as [`new`](Self::new) makes it: nothing added, the default sentence
    /// budget (merging into it gives the other graph).
    pub(crate) fn is_new(&self) -> bool {
        self.graph.node_count() == 0
            && self.graph.edge_count() == 0
            && self.documents.list.is_empty()
            && self.sentences.budget.is_none()
            && self.sentences.starts.is_empty()
    }

    /// Merges another graph into this one.
    pub fn merge(&mut self, other: KnowledgeGraph) {
        for d in other.documents() {
            self.documents.insert(&d);
        }
        let mut syms: FxHashMap<u32, Sym> = FxHashMap::default();
        let mut sym = |me: &mut Strings, s: Sym| -> Sym {
            *syms
                .entry(s.0)
                .or_insert_with(|| me.intern(other.strings.get(s)))
        };
        for n in other.graph.node_weights() {
            let idx = self.ensure_node(n.id(), n.kind, n.label());
            let mentions: Vec<StoredMention> = n
                .mentions
                .iter()
                .map(|m| StoredMention {
                    doc: sym(&mut self.strings, m.doc),
                    start: m.start,
                    text: sym(&mut self.strings, m.text),
                    tail: self.tails.intern(other.tails.get(m.tail)),
                })
                .collect();
            let node = &mut self.graph[idx];
            absorb_names(node, n.label(), &n.aliases);
            node.merge_attrs(&n.attrs());
            extend_tight(&mut node.mentions, mentions);
        }
        let mut sentences: FxHashMap<u32, u32> = FxHashMap::default();
        for e in other.graph.edge_references() {
            let (s, t) = (&other.graph[e.source()].id(), &other.graph[e.target()].id());
            let (Some(s), Some(t)) = (self.lookup(s), self.lookup(t)) else {
                continue;
            };
            let w = e.weight();
            let evidence: Vec<StoredEvidence> = w
                .evidence
                .as_slice()
                .iter()
                .map(|v| StoredEvidence {
                    doc: match v.doc {
                        Sym::NONE => Sym::NONE,
                        d => sym(&mut self.strings, d),
                    },
                    date: match v.date {
                        Sym::NONE => Sym::NONE,
                        d => sym(&mut self.strings, d),
                    },
                    sentence: match v.doc {
                        Sym::NONE => u32::MAX,
                        _ => *sentences.entry(v.sentence).or_insert_with(|| {
                            self.sentences.push(&other.sentences.get(v.sentence))
                        }),
                    },
                    ..*v
                })
                .collect();
            let title = match w.title {
                Sym::NONE => Sym::NONE,
                t => sym(&mut self.strings, t),
            };
            let ei = self.ensure_edge(s, t, w.kind, title);
            let edge = &mut self.graph[ei];
            for v in evidence {
                edge.evidence.push(v);
            }
        }
    }

    /// The edge for a fact, made when new: one per (source, target, kind, title).
    fn ensure_edge(
        &mut self,
        s: NodeIndex,
        t: NodeIndex,
        kind: RelationKind,
        title: Sym,
    ) -> EdgeIndex {
        let hash = hash_edge(s, t, kind, title);
        let graph = &self.graph;
        let same = |&ei: &EdgeIndex| {
            graph.edge_endpoints(ei) == Some((s, t))
                && graph[ei].kind == kind
                && graph[ei].title == title
        };
        if let Some(&ei) = self.edge_index.find(hash, same) {
            return ei;
        }
        let ei = self.graph.add_edge(
            s,
            t,
            Edge {
                kind,
                title,
                evidence: Few::None,
            },
        );
        let graph = &self.graph;
        self.edge_index.insert_unique(hash, ei, |&ei| {
            let (s, t) = graph.edge_endpoints(ei).unwrap_or((s, t));
            hash_edge(s, t, graph[ei].kind, graph[ei].title)
        });
        ei
    }

    /// The node of an ID: the index holds node indices only and compares with the nodes' IDs,
    /// so that each ID is stored once.
    fn lookup(&self, id: &str) -> Option<NodeIndex> {
        self.index
            .find(hash_id(id), |&i| self.graph[i].id() == id)
            .copied()
    }

    fn ensure_node(&mut self, id: &str, kind: EntityKind, label: &str) -> NodeIndex {
        if let Some(i) = self.lookup(id) {
            return i;
        }
        let i = self.graph.add_node(Node::new(id, kind, label));
        let graph = &self.graph;
        self.index
            .insert_unique(hash_id(id), i, |&j| hash_id(graph[j].id()));
        i
    }

    fn mention_ref(&self, m: &StoredMention) -> MentionRef<'_> {
        let tail = self.tails.get(m.tail);
        MentionRef {
            doc: self.strings.get(m.doc),
            start: m.start as usize,
            end: m.start as usize + tail.len as usize,
            text: self.strings.get(m.text),
            recognizer: tail.recognizer,
            confidence: f32::from_bits(tail.confidence),
            reference_only: tail.reference_only,
        }
    }

    fn evidence_ref(&self, v: &StoredEvidence) -> EvidenceRef<'_> {
        EvidenceRef {
            doc: self.strings.get(v.doc),
            start: v.start as usize,
            end: v.end as usize,
            text: self.sentences.get(v.sentence),
        }
    }

    /// Where a node is named: sorted by (document, start, end), one per place.
    ///
    /// ```
    /// use partygraph::{Extractor, KnowledgeGraph};
    /// let mut g = KnowledgeGraph::new();
    /// g.add(Extractor::new().unwrap().extract_str("a", "Bộ Chính trị họp. Bộ Chính trị kết luận."));
    /// let n = g.node("committee:bo-chinh-tri").unwrap();
    /// let starts: Vec<usize> = g.mentions(n).iter().map(|m| m.start).collect();
    /// assert_eq!(starts, [0, 25]); // byte offsets
    /// ```
    pub fn mentions<'a>(&'a self, n: &'a Node) -> Vec<MentionRef<'a>> {
        let mut v: Vec<MentionRef<'a>> = n.mentions.iter().map(|m| self.mention_ref(m)).collect();
        v.sort_by(mention_order);
        v.dedup_by(|a, b| same_place(a, b));
        v
    }

    /// The sentences an edge was read from: sorted by document, offsets and text, each once.
    ///
    /// ```
    /// use partygraph::{Extractor, KnowledgeGraph};
    /// let mut g = KnowledgeGraph::new();
    /// let text = "Tỉnh ủy Nghệ An tổ chức hội nghị. Bí thư Tỉnh ủy Nguyễn Văn A chủ trì hội nghị.";
    /// g.add(Extractor::new().unwrap().extract_str("a", text));
    /// let (_, _, e) = g.edges().into_iter()
    ///     .find(|(_, _, e)| e.kind == partygraph::RelationKind::Chairs).unwrap();
    /// assert_eq!(g.evidence(e)[0].text, "Bí thư Tỉnh ủy Nguyễn Văn A chủ trì hội nghị.");
    /// ```
    pub fn evidence<'a>(&'a self, e: &'a Edge) -> Vec<EvidenceRef<'a>> {
        let mut v: Vec<EvidenceRef<'a>> = e
            .evidence
            .as_slice()
            .iter()
            .filter(|x| x.doc != Sym::NONE)
            .map(|x| self.evidence_ref(x))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// The distinct evidence sentences of the graph, sorted by document, offsets and text:
    /// the `graph.sentences` table of the JSON output, which edges point into by position
    /// ([`SentenceTable::ids`]).
    ///
    /// ```
    /// use partygraph::{Extractor, KnowledgeGraph};
    /// let text = "Tỉnh ủy Nghệ An tổ chức hội nghị. Bí thư Tỉnh ủy Nguyễn Văn A chủ trì hội nghị.";
    /// let mut g = KnowledgeGraph::new();
    /// g.add(Extractor::new().unwrap().extract_str("a", text));
    /// let table = g.sentence_table();
    /// // Both sentences support facts; each is listed once, however many facts it supports.
    /// assert_eq!(table.len(), 2);
    /// assert_eq!(table.get(1).text, "Bí thư Tỉnh ủy Nguyễn Văn A chủ trì hội nghị.");
    /// for (_, _, e) in g.edges() {
    ///     let ids = table.ids(e);
    ///     assert_eq!(ids.len(), g.evidence(e).len());
    ///     assert_eq!(table.get(ids[0]), g.evidence(e)[0]);
    /// }
    /// ```
    pub fn sentence_table(&self) -> SentenceTable<'_> {
        // Made to size (the table is held while the graph is written, at the run's peak):
        // one row per stored sentence (most support several facts; a sentence stored twice
        // is one row after the sort), each document once.
        fn new_sentence(first_use: &mut [bool], v: &StoredEvidence) -> bool {
            match first_use.get_mut(v.sentence as usize) {
                Some(seen) => !std::mem::replace(seen, true),
                None => true,
            }
        }
        let mut first_use = vec![false; self.sentences.starts.len()];
        let distinct = self
            .graph
            .edge_weights()
            .flat_map(|e| e.evidence.as_slice())
            .filter(|v| v.doc != Sym::NONE && new_sentence(&mut first_use, v))
            .count();
        first_use.fill(false);
        let mut rows: Vec<SentenceRow> = Vec::with_capacity(distinct);
        let mut seen = vec![false; self.strings.list.len()];
        let mut docs: Vec<Sym> = Vec::new();
        for e in self.graph.edge_weights() {
            for v in e.evidence.as_slice() {
                if v.doc != Sym::NONE && new_sentence(&mut first_use, v) {
                    if let Some(seen) = seen.get_mut(v.doc.0 as usize).filter(|s| !**s) {
                        *seen = true;
                        docs.push(v.doc);
                    }
                    rows.push(SentenceRow {
                        rank: v.doc.0,
                        start: v.start,
                        end: v.end,
                        sentence: v.sentence,
                    });
                }
            }
        }
        drop(seen);
        docs.par_sort_unstable_by(|&a, &b| self.strings.get(a).cmp(self.strings.get(b)));
        let rank: FxHashMap<u32, u32> = docs
            .iter()
            .enumerate()
            .map(|(r, d)| (d.0, r as u32))
            .collect();
        for row in &mut rows {
            row.rank = rank[&row.rank];
        }
        let table = SentenceTable {
            graph: self,
            rows: Vec::new(),
            docs,
            rank,
        };
        rows.par_sort_unstable_by(|a, b| table.order(a, b));
        rows.dedup_by(|a, b| table.order(a, b).is_eq());
        rows.shrink_to_fit();
        SentenceTable { rows, ..table }
    }

    /// The evidence whose sentence the graph does not hold (read from a graph written with
    /// `--evidence span`): (document, start, end), sorted, each once. See
    /// [`fill_sentences`](Self::fill_sentences).
    pub fn missing_sentences(&self) -> Vec<(String, usize, usize)> {
        let mut v: Vec<(&str, usize, usize)> = self
            .graph
            .edge_weights()
            .flat_map(|e| e.evidence.as_slice())
            .filter(|v| v.doc != Sym::NONE && self.sentences.is_empty(v.sentence))
            .map(|v| (self.strings.get(v.doc), v.start as usize, v.end as usize))
            .collect();
        v.sort_unstable();
        v.dedup();
        v.into_iter()
            .map(|(d, s, e)| (d.to_string(), s, e))
            .collect()
    }

    /// Gives the evidence without a sentence the text `texts` holds for its (document, start,
    /// end), as read back from the articles ([`crate::corpus::readback`]).
    ///
    /// ```
    /// use partygraph::export::{from_node_link, node_link_with, EvidenceMode};
    /// use partygraph::{Extractor, KnowledgeGraph};
    /// let text = "Bí thư Tỉnh ủy Nghệ An Nguyễn Văn A chủ trì hội nghị.";
    /// let mut g = KnowledgeGraph::new();
    /// g.add(Extractor::new().unwrap().extract_str("a", text));
    /// let mut spans = from_node_link(node_link_with(&g, EvidenceMode::Span)).unwrap();
    /// let missing = spans.missing_sentences();
    /// assert_eq!(missing, [("a".to_string(), 0, text.len())]);
    /// spans.fill_sentences(&[(missing[0].clone(), text.to_string())].into_iter().collect());
    /// assert!(spans.missing_sentences().is_empty());
    /// let (_, _, e) = spans.edges()[0];
    /// assert_eq!(spans.evidence(e)[0].text, text);
    /// ```
    pub fn fill_sentences(
        &mut self,
        texts: &std::collections::HashMap<(String, usize, usize), String>,
    ) {
        let mut stored: FxHashMap<(Sym, u32, u32), u32> = FxHashMap::default();
        let (strings, sentences) = (&self.strings, &mut self.sentences);
        for e in self.graph.edge_weights_mut() {
            let mut evidence = e.evidence.as_slice().to_vec();
            let mut changed = false;
            for v in &mut evidence {
                if v.doc == Sym::NONE || !sentences.is_empty(v.sentence) {
                    continue;
                }
                let key = (
                    strings.get(v.doc).to_string(),
                    v.start as usize,
                    v.end as usize,
                );
                let Some(text) = texts.get(&key) else {
                    continue;
                };
                v.sentence = *stored
                    .entry((v.doc, v.start, v.end))
                    .or_insert_with(|| sentences.push(text));
                changed = true;
            }
            if changed {
                e.evidence = Few::from_vec(evidence);
            }
        }
    }

    /// For `holds_position`: the office an edge names.
    pub fn title<'a>(&'a self, e: &'a Edge) -> Option<&'a str> {
        self.strings.get_opt(e.title)
    }

    /// The dates an edge's fact holds at (from meetings or articles): sorted, each once.
    pub fn dates<'a>(&'a self, e: &'a Edge) -> Vec<&'a str> {
        let mut v: Vec<&str> = e
            .evidence
            .as_slice()
            .iter()
            .filter_map(|x| self.strings.get_opt(x.date))
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Drops repeated mentions and evidence (the same article merged twice) and aliases equal
    /// to the label, so counts are of distinct ones. Output does not depend on it: the
    /// accessors sort and deduplicate.
    pub fn canonicalize(&mut self) {
        let idx: Vec<NodeIndex> = self.graph.node_indices().collect();
        for i in idx {
            let kept: Vec<StoredMention> = {
                let n = &self.graph[i];
                let key = |k: usize| self.mention_ref(&n.mentions[k]);
                let mut order: Vec<usize> = (0..n.mentions.len()).collect();
                order.sort_by(|&a, &b| mention_order(&key(a), &key(b)));
                order.dedup_by(|a, b| same_place(&key(*a), &key(*b)));
                order.into_iter().map(|k| n.mentions[k]).collect()
            };
            let n = &mut self.graph[i];
            n.mentions = kept;
            let label = n.label().to_string();
            n.aliases.remove(&label);
        }
        let eidx: Vec<EdgeIndex> = self.graph.edge_indices().collect();
        for i in eidx {
            let kept: Vec<StoredEvidence> = {
                let e = &self.graph[i];
                let all = e.evidence.as_slice();
                let key = |k: usize| {
                    (
                        self.evidence_ref(&all[k]),
                        self.strings.get_opt(all[k].date),
                    )
                };
                let mut order: Vec<usize> = (0..all.len()).collect();
                order.sort_by_key(|&a| key(a));
                order.dedup_by(|a, b| key(*a) == key(*b));
                order.into_iter().map(|k| all[k]).collect()
            };
            self.graph[i].evidence = Few::from_vec(kept);
        }
    }

    /// A node by ID.
    pub fn node(&self, id: &str) -> Option<&Node> {
        self.lookup(id).map(|i| &self.graph[i])
    }

    /// Every node, sorted by ID.
    pub fn nodes(&self) -> Vec<&Node> {
        let mut v: Vec<&Node> = self.graph.node_weights().collect();
        // IDs are unique, so an unstable sort gives one order; on the rayon pool (`--jobs`).
        v.par_sort_unstable_by(|a, b| a.id().cmp(b.id()));
        v
    }

    /// Every edge as (source node, target node, edge), sorted by source, target, kind, title.
    pub fn edges(&self) -> Vec<(&Node, &Node, &Edge)> {
        self.sorted_edge_indices()
            .into_iter()
            .map(|i| self.edge_at(i))
            .collect()
    }

    /// The order of [`edges`](Self::edges) as edge indices (4 bytes an edge, not 24: what
    /// writers of large graphs use).
    pub(crate) fn sorted_edge_indices(&self) -> Vec<EdgeIndex> {
        // Each node's rank in ID order stands for its ID. Edges are put in buckets by their
        // source's rank (a counting sort: 4 bytes an edge and 12 a node, when the graph is at
        // its largest), then each bucket, a few edges, is sorted by target rank, kind and
        // title. Counts fit in `u32`, as offsets do.
        let mut by_id: Vec<NodeIndex> = self.graph.node_indices().collect();
        by_id.par_sort_unstable_by(|&a, &b| self.graph[a].id().cmp(self.graph[b].id()));
        let bound = by_id.iter().map(|n| n.index() + 1).max().unwrap_or(0);
        let mut rank = vec![0u32; bound];
        for (r, &n) in by_id.iter().enumerate() {
            rank[n.index()] = r as u32;
        }
        drop(by_id);
        let mut start = vec![0u32; rank.len() + 1];
        for e in self.graph.edge_references() {
            start[rank[e.source().index()] as usize + 1] += 1;
        }
        for r in 1..start.len() {
            start[r] += start[r - 1];
        }
        let mut out: Vec<EdgeIndex> = vec![EdgeIndex::end(); self.graph.edge_count()];
        let mut fill = start.clone();
        for e in self.graph.edge_references() {
            let f = &mut fill[rank[e.source().index()] as usize];
            out[*f as usize] = e.id();
            *f += 1;
        }
        drop(fill);
        let key = |e: EdgeIndex| {
            let t = self
                .graph
                .edge_endpoints(e)
                .map_or(0, |(_, t)| rank[t.index()]);
            let w = &self.graph[e];
            (t, w.kind, self.title(w))
        };
        // (ends, kind, title) is unique to an edge, so an unstable sort gives one order.
        for w in start.windows(2) {
            if w[1] - w[0] > 1 {
                out[w[0] as usize..w[1] as usize].sort_unstable_by(|&a, &b| key(a).cmp(&key(b)));
            }
        }
        out
    }

    /// An edge with its ends.
    pub(crate) fn edge_at(&self, i: EdgeIndex) -> (&Node, &Node, &Edge) {
        let (s, t) = self
            .graph
            .edge_endpoints(i)
            .expect("edge indices come from this graph");
        (&self.graph[s], &self.graph[t], &self.graph[i])
    }

    /// Edges leaving a node (by ID), sorted like [`edges`](Self::edges).
    pub fn edges_from(&self, id: &str) -> Vec<(&Node, &Node, &Edge)> {
        self.edges()
            .into_iter()
            .filter(|e| e.0.id() == id)
            .collect()
    }

    /// Edges entering a node (by ID), sorted like [`edges`](Self::edges).
    pub fn edges_to(&self, id: &str) -> Vec<(&Node, &Node, &Edge)> {
        self.edges()
            .into_iter()
            .filter(|e| e.1.id() == id)
            .collect()
    }

    /// The articles merged in, sorted by ID.
    pub fn documents(&self) -> impl ExactSizeIterator<Item = DocumentInfo> + '_ {
        self.documents.sorted()
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.graph.node_count()
    }

    /// Number of edges.
    pub fn edge_count(&self) -> usize {
        self.graph.edge_count()
    }

    /// The underlying petgraph graph, for algorithms.
    pub fn petgraph(&self) -> &StableDiGraph<Node, Edge> {
        &self.graph
    }
}

/// What tells a person apart from the other nodes of their name, for the people
/// [`KnowledgeGraph::settle_people`] told apart.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Namesake {
    /// The IDs of every node of the name, this one included, sorted (shared by them all).
    group: Arc<Ids>,
    /// The provinces of the context that sets it apart (canonical slugs, sorted; the same
    /// list shared by every namesake that has it).
    pub places: Arc<[String]>,
    /// The years of the articles naming it, sorted (shared as `places` is).
    pub years: Arc<[u16]>,
}

impl Namesake {
    /// What node `id` names in `same_name_as` (the outputs' field), sorted: the name's first
    /// node (the smallest ID, the plain one when there is one) names every other node of the
    /// name, and each other node names that first one. A star rather than every pair: a name
    /// of `n` people costs `2(n - 1)` IDs, not `n(n - 1)`, and an analyst still reaches every
    /// namesake in two steps (or from [`group`](Self::group)).
    ///
    /// ```
    /// use partygraph::{identity::Roster, Extractor, KnowledgeGraph};
    /// let ex = Extractor::new().unwrap();
    /// let mut g = KnowledgeGraph::new();
    /// for (doc, p) in [("a", "Nghệ An"), ("b", "Hà Tĩnh"), ("c", "Quảng Bình")] {
    ///     let text = format!("Tỉnh ủy {p} tổ chức hội nghị. Đồng chí Lê Văn Ân, Bí thư Tỉnh ủy {p}, chủ trì.");
    ///     g.add(ex.extract_str(doc, &text));
    /// }
    /// g.settle_people(&Roster::from_gazetteer(ex.gazetteer()));
    /// let first = g.node("person:le-van-an").unwrap();
    /// let x = g.namesake(first).unwrap();
    /// assert_eq!(x.group().len(), 3);
    /// assert_eq!(x.same_name_as(first.id()).count(), 2);
    /// let other = g.node(x.group().nth(1).unwrap()).unwrap();
    /// let named: Vec<&str> = g.namesake(other).unwrap().same_name_as(other.id()).collect();
    /// assert_eq!(named, ["person:le-van-an"]);
    /// ```
    pub fn same_name_as<'a>(&'a self, id: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        let first = self.group.iter().next();
        let all = first == Some(id);
        self.group
            .iter()
            .enumerate()
            .filter(move |&(k, x)| x != id && (all || k == 0))
            .map(|(_, x)| x)
    }

    /// The IDs of every node of the name, this one included, sorted.
    pub fn group(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.group.iter()
    }
}

/// A list of IDs in one allocation: their text end to end, and where each ends (a group of
/// namesakes; 4 bytes an ID and its text, where a list of strings took 24 and a block each).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Ids {
    text: Box<str>,
    ends: Box<[u32]>,
}

impl Ids {
    fn new<'a>(ids: impl IntoIterator<Item = &'a str>) -> Ids {
        let (mut text, mut ends) = (String::new(), Vec::new());
        for id in ids {
            text.push_str(id);
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        Ids {
            text: text.into_boxed_str(),
            ends: ends.into_boxed_slice(),
        }
    }

    fn get(&self, k: usize) -> &str {
        let start = k.checked_sub(1).map_or(0, |j| self.ends[j] as usize);
        let end = self.ends.get(k).map_or(start, |&e| e as usize);
        self.text.get(start..end).unwrap_or("")
    }

    fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        (0..self.ends.len()).map(|k| self.get(k))
    }
}

/// Organization types (`type=` in the gazetteers) of central bodies.
const CENTRAL_TYPES: [&str; 10] = [
    "ministry",
    "agency",
    "legislature",
    "executive",
    "court",
    "procuracy",
    "audit",
    "front",
    "military",
    "mass organization",
];

/// Central bodies known by slug alone.
const CENTRAL_SLUGS: [&str; 5] = [
    "chinh-phu",
    "quoc-hoi",
    "nha-nuoc",
    "bo-chinh-tri",
    "ban-bi-thu",
];

/// How a province's own bodies begin (slugs).
const PROVINCIAL_PREFIXES: [&str; 12] = [
    "tinh-uy-",
    "thanh-uy-",
    "ban-thuong-vu-tinh-uy-",
    "ban-thuong-vu-thanh-uy-",
    "uy-ban-nhan-dan-",
    "ubnd-",
    "hoi-dong-nhan-dan-",
    "hdnd-",
    "so-",
    "uy-ban-mat-tran-to-quoc-",
    "doan-dai-bieu-quoc-hoi-",
    "dang-bo-tinh-",
];

/// The level of a body from its slug, when its node says none.
fn level_by_slug(s: &str, in_province: bool) -> Level {
    let national = has_words(s, "trung-uong")
        || s == "viet-nam"
        || s.ends_with("-viet-nam")
        || has_words(s, "quoc-gia")
        || CENTRAL_SLUGS.contains(&s);
    if !in_province && national {
        return Level::Central;
    }
    if in_province
        && (PROVINCIAL_PREFIXES.iter().any(|p| s.starts_with(p))
            || (s.starts_with("ban-") && (has_words(s, "tinh-uy") || has_words(s, "thanh-uy"))))
    {
        return Level::Provincial;
    }
    Level::Local
}

fn slug_part(id: &str) -> &str {
    id.split_once(':').map_or(id, |(_, s)| s)
}

/// The year of an ISO date (`2019-03-12`, `2019`).
fn year_of(date: &str) -> Option<u16> {
    date.get(..4)?.parse().ok()
}

/// The bodies the people to decide hold offices in, as the identity rule sees them.
struct Bodies<'a> {
    of: &'a [Body],
    /// Where each body node is in `of`.
    at: &'a FxHashMap<NodeIndex, usize>,
}

impl KnowledgeGraph {
    /// Decides who is who among the people of the graph (see [`identity`] for the rule): each
    /// node of a name that stands for several people is split into one node per person, the
    /// listed or main one keeping the plain ID and the others `person:NAME--KEY`, each with its
    /// [`namesake`](Self::namesake) record. Decided on everything the graph holds, so the same
    /// articles give the same nodes whatever the order they were added or merged in. Nodes
    /// split before (by an earlier call, or read back from an output) are first put together
    /// again, so it can be called after more articles are added.
    ///
    /// ```
    /// use partygraph::{identity::Roster, Extractor, KnowledgeGraph};
    /// let ex = Extractor::new().unwrap();
    /// let mut g = KnowledgeGraph::new();
    /// let text = |d: &str, p: &str| {
    ///     format!("Ngày {d}, Tỉnh ủy {p} tổ chức hội nghị. Đồng chí Lê Văn Ân, Bí thư Tỉnh ủy {p}, chủ trì hội nghị.")
    /// };
    /// g.add(ex.extract_str("a", &text("2/3/2019", "Nghệ An")));
    /// g.add(ex.extract_str("b", &text("4/5/2019", "Hà Tĩnh")));
    /// g.settle_people(&Roster::from_gazetteer(ex.gazetteer()));
    /// let n = g.node("person:le-van-an--tinh-uy-nghe-an").unwrap();
    /// let others: Vec<&str> = g.namesake(n).unwrap().same_name_as(n.id()).collect();
    /// assert_eq!(others, ["person:le-van-an"]);
    /// ```
    pub fn settle_people(&mut self, roster: &Roster) {
        self.unsettle();
        let candidates: Vec<NodeIndex> = self
            .graph
            .node_indices()
            .filter(|&i| {
                let n = &self.graph[i];
                n.kind == EntityKind::Person
                    && self
                        .graph
                        .edges_directed(i, Direction::Outgoing)
                        .any(|e| e.weight().kind == RelationKind::HoldsPosition)
                    && (roster.listed(n.id()).is_some() || self.spans_documents(i))
            })
            .collect();
        if candidates.is_empty() {
            return;
        }
        let places = self.provinces_by_document(roster);
        // The bodies the candidates hold offices in, read once (in parallel: the graph is
        // only read until the rebuild).
        let mut held: Vec<NodeIndex> = candidates
            .iter()
            .flat_map(|&i| {
                self.graph
                    .edges_directed(i, Direction::Outgoing)
                    .filter(|e| e.weight().kind == RelationKind::HoldsPosition)
                    .map(|e| e.target())
            })
            .collect();
        held.sort_unstable();
        held.dedup();
        let bodies: Vec<Body> = held.par_iter().map(|&t| self.body_of(t, roster)).collect();
        let body_at: FxHashMap<NodeIndex, usize> =
            held.iter().enumerate().map(|(k, &t)| (t, k)).collect();
        let table = Bodies {
            of: &bodies,
            at: &body_at,
        };
        // Each name is decided on its own, in parallel.
        let lists = std::sync::Mutex::new(SharedLists::default());
        let routes: FxHashMap<NodeIndex, Route> = candidates
            .par_iter()
            .filter_map(|&i| {
                self.decide_node(i, roster, &places, &table, &lists)
                    .map(|route| (i, route))
            })
            .collect();
        drop(lists);
        if !routes.is_empty() {
            self.rebuild(routes);
        }
    }

    /// What tells a person apart from the other nodes of their name, when
    /// [`settle_people`](Self::settle_people) told them apart.
    pub fn namesake(&self, n: &Node) -> Option<&Namesake> {
        let i = self.lookup(n.id())?;
        self.namesakes.get(&i)
    }

    /// Records the groups of names as read back from an output: `same_name_as` is the field
    /// of each node (a star, see [`Namesake::same_name_as`]; every pair, as older outputs
    /// wrote it, reads the same). Each node's group is everything linked to it.
    pub(crate) fn set_same_name_as(&mut self, fields: Vec<(String, Vec<String>)>) {
        // Union of the lists: a node and the nodes it names are one group.
        let mut parent: FxHashMap<String, String> = FxHashMap::default();
        fn root(parent: &mut FxHashMap<String, String>, x: &str) -> String {
            let mut r = x.to_string();
            while let Some(p) = parent.get(&r).filter(|p| **p != r) {
                r = p.clone();
            }
            parent.insert(x.to_string(), r.clone());
            r
        }
        for (id, others) in &fields {
            for o in others {
                let (a, b) = (root(&mut parent, id), root(&mut parent, o));
                if a != b {
                    let (lo, hi) = if a < b { (a, b) } else { (b, a) };
                    parent.insert(hi, lo);
                }
            }
        }
        let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
        let ids: Vec<String> = parent.keys().cloned().collect();
        for id in ids {
            let r = root(&mut parent, &id);
            groups.entry(r).or_default().push(id);
        }
        for (_, mut group) in groups {
            group.retain(|id| self.lookup(id).is_some());
            if group.len() < 2 {
                continue;
            }
            group.sort();
            let shared = Arc::new(Ids::new(group.iter().map(String::as_str)));
            for id in &group {
                if let Some(i) = self.lookup(id) {
                    self.namesakes.entry(i).or_default().group = shared.clone();
                }
            }
        }
    }

    /// True when a node is named, or takes part in facts, in more than one document.
    fn spans_documents(&self, i: NodeIndex) -> bool {
        let n = &self.graph[i];
        let first = n.mentions.first().map(|m| m.doc);
        let mut docs = n.mentions.iter().map(|m| m.doc).chain(
            self.graph
                .edges_directed(i, Direction::Outgoing)
                .chain(self.graph.edges_directed(i, Direction::Incoming))
                .flat_map(|e| e.weight().evidence.as_slice().iter().map(|v| v.doc))
                .filter(|&d| d != Sym::NONE),
        );
        let Some(first) = first.or_else(|| docs.next()) else {
            return false;
        };
        docs.any(|d| d != first)
    }

    /// The provinces each document names (place nodes that are provinces), by document.
    fn provinces_by_document(&self, roster: &Roster) -> Places {
        let mut named: FxHashMap<Sym, Vec<&str>> = FxHashMap::default();
        for n in self.graph.node_weights() {
            if n.kind != EntityKind::Place {
                continue;
            }
            let Some(p) = roster.province(slug_part(n.id())) else {
                continue;
            };
            for m in &n.mentions {
                named.entry(m.doc).or_default().push(p);
            }
        }
        // Most articles name the same one or two provinces: each list is kept once.
        let mut sets: Vec<Vec<String>> = Vec::new();
        let mut set_of: FxHashMap<Vec<&str>, u32> = FxHashMap::default();
        let mut of_doc: FxHashMap<Sym, u32> = FxHashMap::default();
        of_doc.reserve(named.len());
        for (doc, mut v) in named {
            v.sort_unstable();
            v.dedup();
            let k = *set_of.entry(v).or_insert_with_key(|v| {
                sets.push(v.iter().map(|p| p.to_string()).collect());
                (sets.len() - 1) as u32
            });
            of_doc.insert(doc, k);
        }
        Places { sets, of_doc }
    }

    /// A body as the identity rule sees it.
    fn body_of(&self, t: NodeIndex, roster: &Roster) -> Body {
        let n = &self.graph[t];
        let s = slug_part(n.id());
        let parent: Option<String> = n
            .attribute("parent")
            .map(|p| crate::gazetteer::node_id(EntityKind::Committee, p))
            .or_else(|| {
                self.graph
                    .edges_directed(t, Direction::Outgoing)
                    .filter(|e| e.weight().kind == RelationKind::PartOf)
                    .map(|e| self.graph[e.target()].id().to_string())
                    .min()
            });
        let own = roster.provinces_in(s);
        let in_province = !own.is_empty();
        let of_parent = parent
            .as_deref()
            .map(|p| roster.provinces_in(slug_part(p)))
            .unwrap_or_default();
        let level = match (n.kind, n.attribute("level"), n.attribute("org_type")) {
            (EntityKind::Committee, Some("central"), _) => Level::Central,
            (EntityKind::Committee, Some("provincial"), _) => Level::Provincial,
            (EntityKind::Committee, Some(_), _) => Level::Local,
            (EntityKind::Organization, _, Some(t)) if CENTRAL_TYPES.contains(&t) => Level::Central,
            _ => level_by_slug(s, in_province),
        };
        let parent_central = parent.as_deref().is_none_or(|p| {
            match self.node(p).and_then(|pn| pn.attribute("level")) {
                Some(l) => l == "central",
                None => level_by_slug(slug_part(p), !of_parent.is_empty()) == Level::Central,
            }
        });
        let mut provinces = own;
        provinces.extend(of_parent);
        provinces.sort_unstable();
        provinces.dedup();
        Body {
            id: n.id().to_string(),
            level,
            parent,
            parent_central,
            provinces,
        }
    }

    /// What each document says of person `i`: its occurrences (sorted by document, their
    /// bodies indices into `bodies`), and each occurrence's document symbol.
    fn occurrences<'s>(
        &'s self,
        i: NodeIndex,
        places: &'s Places,
        bodies: &Bodies<'_>,
    ) -> (Vec<Occurrence<'s>>, Vec<Sym>) {
        let mut at: FxHashMap<Sym, usize> = FxHashMap::default();
        let mut occ: Vec<Occurrence<'s>> = Vec::new();
        let mut syms: Vec<Sym> = Vec::new();
        let mut slot = |doc: Sym, occ: &mut Vec<Occurrence<'s>>| -> usize {
            *at.entry(doc).or_insert_with(|| {
                occ.push(Occurrence {
                    doc: self.strings.get(doc),
                    places: places.of(doc),
                    ..Occurrence::default()
                });
                syms.push(doc);
                occ.len() - 1
            })
        };
        let n = &self.graph[i];
        // Distinct places named (an article merged twice counts once).
        let mut named: Vec<(Sym, u32, u32)> = n
            .mentions
            .iter()
            .map(|m| (m.doc, m.start, self.tails.get(m.tail).len))
            .collect();
        named.sort_unstable_by_key(|&(d, a, b)| (d.0, a, b));
        named.dedup();
        for (doc, _, _) in named {
            let k = slot(doc, &mut occ);
            occ[k].mentions += 1;
        }
        let mut years: Vec<Option<u16>> = Vec::new();
        for dir in [Direction::Outgoing, Direction::Incoming] {
            for e in self.graph.edges_directed(i, dir) {
                let w = e.weight();
                let holds = dir == Direction::Outgoing && w.kind == RelationKind::HoldsPosition;
                let b = holds.then(|| bodies.at[&e.target()]);
                for v in w.evidence.as_slice().iter().filter(|v| v.doc != Sym::NONE) {
                    let k = slot(v.doc, &mut occ);
                    if let Some(b) = b {
                        occ[k].bodies.push(b);
                        if years.len() <= k {
                            years.resize(k + 1, None);
                        }
                        if let Some(y) = self.strings.get_opt(v.date).and_then(year_of) {
                            years[k] = Some(years[k].map_or(y, |x: u16| x.min(y)));
                        }
                    }
                }
            }
        }
        for (k, o) in occ.iter_mut().enumerate() {
            o.bodies.sort_unstable();
            o.bodies.dedup();
            // The year matters only beside an office: the article's date, when the facts
            // have none, is looked up for those alone (once per article).
            o.year = years.get(k).copied().flatten();
            if o.year.is_none() && !o.bodies.is_empty() {
                o.year = self.documents.date(o.doc).as_deref().and_then(year_of);
            }
        }
        // In document order, so that nothing depends on the order facts were added in.
        let mut both: Vec<(Occurrence<'s>, Sym)> = occ.into_iter().zip(syms).collect();
        both.sort_unstable_by(|a, b| a.0.doc.cmp(b.0.doc));
        both.into_iter().unzip()
    }

    /// Decides who is who among the articles naming person `i`: the route of its facts when it
    /// stands for several people (or for another than the listed one), and what tells each
    /// apart (pushed on `told`).
    fn decide_node(
        &self,
        i: NodeIndex,
        roster: &Roster,
        places: &Places,
        bodies: &Bodies<'_>,
        lists: &std::sync::Mutex<SharedLists>,
    ) -> Option<Route> {
        let (occ, syms) = self.occurrences(i, places, bodies);
        let base = &self.graph[i].id();
        let clusters = identity::decide(base, &occ, bodies.of, roster.listed(base));
        if clusters.len() == 1 && clusters[0].id == *base {
            return None;
        }
        let syms = &syms;
        let by_doc = PartOfDoc::new(
            clusters
                .iter()
                .enumerate()
                .flat_map(|(c, cl)| cl.members.iter().map(move |&m| (syms[m], c))),
        );
        let mut sorted: Vec<&str> = clusters.iter().map(|c| c.id.as_str()).collect();
        sorted.sort_unstable();
        let group = Arc::new(Ids::new(sorted.iter().copied()));
        let id_at: Vec<u32> = clusters
            .iter()
            .map(|c| sorted.binary_search(&c.id.as_str()).unwrap_or(0) as u32)
            .collect();
        drop(sorted);
        // Aliases go with the mentions written so; the others with the first node.
        let node = &self.graph[i];
        let mut texts: Vec<BTreeSet<&str>> = vec![BTreeSet::new(); clusters.len()];
        for m in &node.mentions {
            texts[by_doc.get(m.doc)].insert(self.strings.get(m.text));
        }
        let mut aliases: Vec<Vec<&str>> = vec![Vec::new(); clusters.len()];
        for a in &node.aliases {
            let mut owned = false;
            for (k, t) in texts.iter().enumerate() {
                if t.contains(a) {
                    aliases[k].push(a);
                    owned = true;
                }
            }
            if !owned {
                aliases[0].push(a);
            }
        }
        let parts = clusters
            .into_iter()
            .zip(aliases)
            .zip(id_at)
            .map(|((cl, aliases), id_at)| {
                let places: BTreeSet<&str> = cl
                    .members
                    .iter()
                    .flat_map(|&m| occ[m].provinces(bodies.of))
                    .collect();
                let years: BTreeSet<u16> = cl.members.iter().filter_map(|&m| occ[m].year).collect();
                let places: Vec<&str> = places.into_iter().collect();
                let years: Vec<u16> = years.into_iter().collect();
                let (places, years) = match lists.lock() {
                    Ok(mut lists) => (lists.places(&places), lists.years(&years)),
                    Err(_) => (places.iter().map(|p| p.to_string()).collect(), years.into()),
                };
                Part {
                    id_at,
                    aliases: aliases.into_iter().collect(),
                    namesake: Namesake {
                        group: group.clone(),
                        places,
                        years,
                    },
                }
            })
            .collect();
        Some(Route::Split { parts, by_doc })
    }

    /// Puts together again the nodes of people split by [`settle_people`](Self::settle_people)
    /// (`person:NAME--KEY` into `person:NAME`), so that who is who is decided anew.
    fn unsettle(&mut self) {
        self.namesakes.clear();
        let routes: FxHashMap<NodeIndex, Route> = self
            .graph
            .node_indices()
            .filter_map(|i| {
                let id = &self.graph[i].id();
                let base = identity::base_id(id);
                (base.len() != id.len()).then(|| (i, Route::Into(base.to_string())))
            })
            .collect();
        if !routes.is_empty() {
            self.rebuild(routes);
        }
    }

    /// A node of the rebuilt graph: made, or merged into the one of that ID.
    fn place_node(&mut self, incoming: Node) -> NodeIndex {
        if let Some(j) = self.lookup(incoming.id()) {
            let attrs = incoming.attrs();
            let node = &mut self.graph[j];
            absorb_names(node, incoming.label(), &incoming.aliases);
            node.merge_attrs(&attrs);
            extend_tight(&mut node.mentions, incoming.mentions);
            return j;
        }
        let hash = hash_id(incoming.id());
        let j = self.graph.add_node(incoming);
        let graph = &self.graph;
        self.index
            .insert_unique(hash, j, |&k| hash_id(graph[k].id()));
        j
    }

    /// Moves the facts of the nodes in `routes` as they say, in place: the edges are taken out
    /// and put back (each to the nodes its evidence now belongs to), so that the routed nodes
    /// can go without walking edge lists (removing an edge from a graph costs the degree of
    /// its ends, and bodies have thousands of holders), and the other nodes stay as they are.
    fn rebuild(&mut self, mut routes: FxHashMap<NodeIndex, Route>) {
        // Taken out in chunks, each freed once its edges are back in the graph: the edges are
        // never all held twice.
        const CHUNK: usize = 1 << 16;
        let mut chunks: Vec<Vec<(NodeIndex, NodeIndex, Edge)>> = Vec::new();
        let mut edge_total = 0usize;
        for ei in self.graph.edge_indices().collect::<Vec<_>>() {
            let Some((s, t)) = self.graph.edge_endpoints(ei) else {
                continue;
            };
            let w = &mut self.graph[ei];
            let evidence = std::mem::take(&mut w.evidence);
            if chunks.last().is_none_or(|c| c.len() == CHUNK) {
                chunks.push(Vec::with_capacity(CHUNK));
            }
            edge_total += 1;
            let Some(edges) = chunks.last_mut() else {
                continue;
            };
            edges.push((
                s,
                t,
                Edge {
                    kind: w.kind,
                    title: w.title,
                    evidence,
                },
            ));
        }
        // Room for what comes: one node per person told apart, and at most one edge per
        // evidence of a split node's edges (reserved exactly: doubling a table of this size
        // would hold both copies at once).
        fn is_split(routes: &FxHashMap<NodeIndex, Route>, x: NodeIndex) -> bool {
            matches!(routes.get(&x), Some(Route::Split { .. }))
        }
        let more_edges: usize = chunks
            .iter()
            .flatten()
            .filter(|(s, t, _)| is_split(&routes, *s) || is_split(&routes, *t))
            .map(|(_, _, w)| w.evidence.len().saturating_sub(1))
            .sum();
        let more_nodes: usize = routes
            .values()
            .map(|r| match r {
                Route::Split { parts, .. } => parts.len().saturating_sub(1),
                Route::Into(_) => 0,
            })
            .sum();
        self.graph.clear_edges();
        self.graph.shrink_to_fit_edges();
        self.edge_index.clear();
        self.graph.reserve_exact_nodes(more_nodes);
        self.namesakes.reserve(more_nodes + routes.len());
        self.graph.reserve_exact_edges(edge_total + more_edges);
        self.index
            .reserve(more_nodes, |&k| hash_id(self.graph[k].id()));
        // The routed nodes go first (without edges, at no cost), then their facts are placed.
        let mut routed: Vec<NodeIndex> = routes.keys().copied().collect();
        routed.sort_unstable();
        let mut taken: Vec<(NodeIndex, Node)> = Vec::with_capacity(routed.len());
        for oi in routed {
            let hash = hash_id(self.graph[oi].id());
            if let Ok(entry) = self.index.find_entry(hash, |&k| k == oi) {
                entry.remove();
            }
            if let Some(n) = self.graph.remove_node(oi) {
                taken.push((oi, n));
            }
        }
        let mut new_of: FxHashMap<NodeIndex, Vec<NodeIndex>> = FxHashMap::default();
        for (oi, mut n) in taken {
            let Some(route) = routes.get_mut(&oi) else {
                continue;
            };
            let news = match route {
                Route::Into(base) => {
                    let label = n.label().to_string();
                    n.set_names(base, &label);
                    vec![self.place_node(n)]
                }
                Route::Split { parts, by_doc } => {
                    let Node {
                        kind,
                        attrs,
                        mentions,
                        ..
                    } = &mut n;
                    // Each part's list made to its size (the graph keeps them as they are).
                    let mut sizes = vec![0usize; parts.len()];
                    for m in mentions.iter() {
                        sizes[by_doc.get(m.doc)] += 1;
                    }
                    let mut mentions_of: Vec<Vec<StoredMention>> =
                        sizes.into_iter().map(Vec::with_capacity).collect();
                    for m in std::mem::take(mentions) {
                        mentions_of[by_doc.get(m.doc)].push(m);
                    }
                    let (kind, attrs) = (*kind, std::mem::take(attrs));
                    let label = n.label();
                    std::mem::take(parts)
                        .into_iter()
                        .zip(mentions_of)
                        .map(|(part, mentions)| {
                            let id = part.namesake.group.get(part.id_at as usize);
                            let mut node = Node::new(id, kind, label);
                            node.aliases = part.aliases;
                            node.attrs = attrs.clone();
                            node.mentions = mentions;
                            let j = self.place_node(node);
                            self.namesakes.insert(j, part.namesake);
                            j
                        })
                        .collect()
                }
            };
            new_of.insert(oi, news);
        }
        let pick = |x: NodeIndex, doc: Sym| -> NodeIndex {
            match (routes.get(&x), new_of.get(&x)) {
                (Some(Route::Split { by_doc, .. }), Some(news)) => news[by_doc.get(doc)],
                (_, Some(news)) => news[0],
                _ => x,
            }
        };
        for (s, t, w) in chunks.into_iter().flatten() {
            let Edge {
                kind,
                title,
                evidence,
            } = w;
            if !routes.contains_key(&s) && !routes.contains_key(&t) {
                // Untouched: it was the one edge of its key, and still is.
                let ei = self.graph.add_edge(
                    s,
                    t,
                    Edge {
                        kind,
                        title,
                        evidence,
                    },
                );
                let graph = &self.graph;
                self.edge_index
                    .insert_unique(hash_edge(s, t, kind, title), ei, |&ei| {
                        let (s, t) = graph.edge_endpoints(ei).unwrap_or((s, t));
                        hash_edge(s, t, graph[ei].kind, graph[ei].title)
                    });
                continue;
            }
            if !is_split(&routes, s) && !is_split(&routes, t) {
                let ej = self.ensure_edge(pick(s, Sym::NONE), pick(t, Sym::NONE), kind, title);
                let edge = &mut self.graph[ej];
                if edge.evidence.len() == 0 {
                    edge.evidence = evidence;
                } else {
                    for v in evidence.as_slice() {
                        edge.evidence.push(*v);
                    }
                }
                continue;
            }
            for v in evidence.as_slice() {
                let ej = self.ensure_edge(pick(s, v.doc), pick(t, v.doc), kind, title);
                self.graph[ej].evidence.push(*v);
            }
        }
        // The lists grown one evidence at a time keep no room they will not use.
        for w in self.graph.edge_weights_mut() {
            w.evidence.shrink_to_fit();
        }
    }
}

/// The lists of places and of years that tell namesakes apart, each distinct list once, shared
/// by every namesake that has it: the names of a generated or a national corpus are told apart
/// by a few provinces and years, and a list of its own for each of hundreds of thousands of
/// people is most of what telling them apart holds in memory.
#[derive(Default)]
struct SharedLists {
    places: HashTable<Arc<[String]>>,
    years: HashTable<Arc<[u16]>>,
}

impl SharedLists {
    fn places(&mut self, v: &[&str]) -> Arc<[String]> {
        let hash = |v: &mut dyn Iterator<Item = &str>| {
            use std::hash::{BuildHasher, Hasher};
            let mut h = rustc_hash::FxBuildHasher.build_hasher();
            for p in v {
                h.write(p.as_bytes());
                h.write_u8(0xff);
            }
            h.finish()
        };
        let key = hash(&mut v.iter().copied());
        let same = |x: &Arc<[String]>| x.len() == v.len() && x.iter().zip(v).all(|(a, b)| a == b);
        if let Some(x) = self.places.find(key, same) {
            return x.clone();
        }
        let x: Arc<[String]> = v.iter().map(|p| p.to_string()).collect();
        self.places
            .insert_unique(key, x.clone(), |x| hash(&mut x.iter().map(String::as_str)));
        x
    }

    fn years(&mut self, v: &[u16]) -> Arc<[u16]> {
        let key = std::hash::BuildHasher::hash_one(&rustc_hash::FxBuildHasher, v);
        if let Some(x) = self.years.find(key, |x| **x == *v) {
            return x.clone();
        }
        let x: Arc<[u16]> = v.into();
        self.years.insert_unique(key, x.clone(), |x| {
            std::hash::BuildHasher::hash_one(&rustc_hash::FxBuildHasher, &**x)
        });
        x
    }
}

/// Where the facts of a node go when the graph is rebuilt.
enum Route {
    /// Into the node of this ID (a namesake put together again with its name's node).
    Into(String),
    /// Into these nodes, by the document each mention and evidence is from (an index into
    /// `parts`; 0 for a document not listed).
    Split { parts: Vec<Part>, by_doc: PartOfDoc },
}

/// Which part of a split node each document's facts go to: (document, part) sorted by
/// document, 8 bytes each (a hash map took about 30).
struct PartOfDoc(Box<[(Sym, u32)]>);

impl PartOfDoc {
    fn new(pairs: impl Iterator<Item = (Sym, usize)>) -> PartOfDoc {
        let mut v: Vec<(Sym, u32)> = pairs.map(|(d, c)| (d, c as u32)).collect();
        v.sort_unstable_by_key(|&(d, _)| d.0);
        v.dedup_by_key(|&mut (d, _)| d.0);
        PartOfDoc(v.into_boxed_slice())
    }

    /// The part of `doc`'s facts; 0 for a document not listed.
    fn get(&self, doc: Sym) -> usize {
        self.0
            .binary_search_by_key(&doc.0, |&(d, _)| d.0)
            .map_or(0, |k| self.0[k].1 as usize)
    }
}

/// The provinces each document names (canonical slugs, sorted), each distinct list once.
struct Places {
    sets: Vec<Vec<String>>,
    of_doc: FxHashMap<Sym, u32>,
}

impl Places {
    fn of(&self, doc: Sym) -> &[String] {
        self.of_doc
            .get(&doc)
            .and_then(|&k| self.sets.get(k as usize))
            .map_or(&[][..], Vec::as_slice)
    }
}

/// One of the nodes a split node becomes.
struct Part {
    /// Its ID: where it is in its namesake's group.
    id_at: u32,
    /// Its aliases: those its mentions are written as (the others go with the first part).
    aliases: Aliases,
    namesake: Namesake,
}

/// The order of [`KnowledgeGraph::mentions`]: by place, then content (so that which of two
/// mentions of one place is kept does not depend on merge order).
fn mention_order(a: &MentionRef<'_>, b: &MentionRef<'_>) -> std::cmp::Ordering {
    (a.doc, a.start, a.end, a.text, a.recognizer)
        .cmp(&(b.doc, b.start, b.end, b.text, b.recognizer))
        .then(b.confidence.total_cmp(&a.confidence))
        .then(a.reference_only.cmp(&b.reference_only))
}

fn same_place(a: &MentionRef<'_>, b: &MentionRef<'_>) -> bool {
    a.doc == b.doc && a.start == b.start && a.end == b.end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::Recognizer;
    use proptest::prelude::*;

    fn ent(doc: &str, id: &str, label: &str, start: usize) -> EntityRecord {
        EntityRecord {
            id: id.into(),
            kind: EntityKind::Person,
            label: label.into(),
            aliases: BTreeSet::new(),
            attrs: Attributes::default(),
            mentions: vec![Mention {
                doc: doc.into(),
                start,
                end: start + label.len(),
                text: label.into(),
                recognizer: Recognizer::PersonContext,
                confidence: 0.9,
                reference_only: false,
            }],
        }
    }

    fn ex(doc: &str, people: &[(&str, &str)]) -> Extraction {
        let entities: Vec<EntityRecord> = people
            .iter()
            .enumerate()
            .map(|(i, (id, l))| ent(doc, id, l, i * 10))
            .collect();
        let relations = people
            .windows(2)
            .map(|w| RelationRecord {
                source: w[0].0.into(),
                target: w[1].0.into(),
                kind: RelationKind::Attends,
                title: None,
                date: None,
                evidence: Evidence {
                    doc: doc.into(),
                    start: 0,
                    end: 1,
                    text: "x".into(),
                },
            })
            .collect();
        Extraction {
            document: DocumentInfo {
                id: doc.into(),
                path: doc.into(),
                url: None,
                source: None,
                date: None,
                title: None,
                authors: vec![],
                bytes: 1,
            },
            entities,
            relations,
        }
    }

    fn snapshot(g: &KnowledgeGraph) -> String {
        let mut out = Vec::new();
        crate::export::write_json(g, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    proptest! {
        /// The counting sort of the writers gives the order of a plain sort of (source ID,
        /// target ID, kind, title), whatever the order nodes and edges were made in.
        #[test]
        fn edges_sorted_as_their_keys(
            facts in proptest::collection::vec((0usize..12, 0usize..12, 0usize..3, 0usize..4), 0..60)
        ) {
            const KINDS: [RelationKind; 3] =
                [RelationKind::Attends, RelationKind::Chairs, RelationKind::HoldsPosition];
            const TITLES: [Option<&str>; 4] = [None, Some("Bí thư"), Some("Ủy viên"), Some("Phó Bí thư")];
            // IDs whose order differs from the order they are made in.
            let id = |k: usize| format!("person:{}", (k * 7) % 12);
            let entities: Vec<EntityRecord> =
                (0..12).map(|k| ent("a", &id(k), &format!("Lê {k}"), k)).collect();
            let relations: Vec<RelationRecord> = facts
                .iter()
                .map(|&(s, t, k, title)| RelationRecord {
                    source: id(s),
                    target: id(t),
                    kind: KINDS[k],
                    title: TITLES[title].map(String::from),
                    date: None,
                    evidence: Evidence { doc: "a".into(), start: 0, end: 1, text: "x".into() },
                })
                .collect();
            let mut g = KnowledgeGraph::new();
            g.add_facts(entities, relations);
            let got: Vec<(String, String, RelationKind, Option<String>)> = g
                .edges()
                .into_iter()
                .map(|(s, t, e)| (s.id().to_string(), t.id().to_string(), e.kind, g.title(e).map(String::from)))
                .collect();
            let mut want = got.clone();
            want.sort();
            prop_assert_eq!(&got, &want);
            let distinct: BTreeSet<_> = facts.iter().map(|&(s, t, k, ti)| (s, t, k, ti)).collect();
            prop_assert_eq!(got.len(), distinct.len());
        }
    }

    proptest! {
        #[test]
        fn merge_order_does_not_matter(order in Just(vec![0usize, 1, 2, 3]).prop_shuffle()) {
            let exs = [
                ex("a", &[("person:x", "Lê X"), ("person:y", "Lê Y")]),
                ex("b", &[("person:x", "LÊ X"), ("person:z", "Lê Z")]),
                ex("c", &[("person:y", "Lê Y"), ("person:x", "Lê X")]),
                ex("d", &[("person:z", "Lê Zê"), ("person:y", "Lê Y")]),
            ];
            let mut a = KnowledgeGraph::new();
            for e in &exs { a.add(e.clone()); }
            let mut b = KnowledgeGraph::new();
            for &i in &order { b.add(exs[i].clone()); }
            prop_assert_eq!(snapshot(&a), snapshot(&b));
            prop_assert_eq!(a.node_count(), 3);
        }

        #[test]
        fn merging_graphs_equals_adding_all(split in 0usize..=4) {
            let exs = [
                ex("a", &[("person:x", "Lê X"), ("person:y", "Lê Y")]),
                ex("b", &[("person:x", "LÊ X"), ("person:z", "Lê Z")]),
                ex("c", &[("person:y", "Lê Y"), ("person:x", "Lê X")]),
                ex("d", &[("person:z", "Lê Zê"), ("person:y", "Lê Y")]),
            ];
            let mut all = KnowledgeGraph::new();
            for e in &exs { all.add(e.clone()); }
            let mut left = KnowledgeGraph::new();
            let mut right = KnowledgeGraph::new();
            for (i, e) in exs.iter().enumerate() {
                if i < split { left.add(e.clone()) } else { right.add(e.clone()) }
            }
            left.merge(right);
            prop_assert_eq!(snapshot(&all), snapshot(&left));
        }
    }

    #[test]
    fn spilled_sentences_read_back_the_same() {
        let exs: Vec<Extraction> = (0..300)
            .map(|i| {
                let mut e = ex(
                    &format!("d{i:03}"),
                    &[("person:x", "Lê X"), ("person:y", "Lê Y")],
                );
                e.relations[0].evidence.text = format!("câu số {i} có dấu: Nguyễn Thị Ánh");
                e
            })
            .collect();
        let mut mem = KnowledgeGraph::new();
        // Over the first block (in memory), then in the file and its pending block.
        let mut disk = KnowledgeGraph::with_sentences_in_memory(40);
        let mut parts = (
            KnowledgeGraph::with_sentences_in_memory(0),
            KnowledgeGraph::new(),
        );
        for (i, e) in exs.iter().enumerate() {
            mem.add(e.clone());
            disk.add(e.clone());
            if i % 2 == 0 {
                parts.0.add(e.clone())
            } else {
                parts.1.add(e.clone())
            }
        }
        assert!(disk.sentences.spill.is_some());
        let copy = disk.clone();
        parts.1.merge(parts.0);
        assert_eq!(snapshot(&mem), snapshot(&disk));
        assert_eq!(snapshot(&mem), snapshot(&copy));
        assert_eq!(snapshot(&mem), snapshot(&parts.1));
        let e = mem.edges()[0].2;
        assert_eq!(
            disk.evidence(disk.edges()[0].2).len(),
            mem.evidence(e).len()
        );
        assert!(snapshot(&disk).contains("câu số 299 có dấu: Nguyễn Thị Ánh"));
    }

    #[test]
    fn spilled_blocks_are_read_from_the_file() {
        let mut s = Sentences {
            budget: Some(0),
            ..Sentences::default()
        };
        let long = "ệ".repeat(SPILL_BLOCK / 3 + 7);
        let a = s.push("một");
        let b = s.push(&long);
        let c = s.push("hai");
        assert!(s.spill.as_ref().is_some_and(|f| f.written > 0));
        assert_eq!(
            (&*s.get(a), &*s.get(b), &*s.get(c)),
            ("một", long.as_str(), "hai")
        );
        assert!(matches!(s.get(a), Cow::Owned(_)), "read from the file");
        assert!(matches!(s.get(c), Cow::Borrowed(_)), "still pending");
    }

    #[test]
    fn documents_pack_and_unpack() {
        let d = DocumentInfo {
            id: "bài-1".into(),
            path: "tin/bài 1.txt".into(),
            url: Some("https://example.org/bài-1".into()),
            source: None,
            date: None,
            title: Some("Hội nghị \u{1f} Tỉnh ủy".into()),
            authors: vec!["Lê A".into(), String::new()],
            bytes: 1 << 40,
        };
        assert_eq!(unpack_document(&pack_document(&d)), d);
        let mut docs = Documents::default();
        docs.insert(&d);
        docs.insert(&DocumentInfo {
            id: "a".into(),
            ..d.clone()
        });
        docs.insert(&DocumentInfo {
            bytes: 7,
            ..d.clone()
        });
        let got: Vec<DocumentInfo> = docs.sorted().collect();
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].id.as_str(), got[1].bytes), ("a", 7));
    }

    #[test]
    fn parallel_facts_share_an_edge() {
        let mut g = KnowledgeGraph::new();
        g.add(ex("a", &[("person:x", "Lê X"), ("person:y", "Lê Y")]));
        g.add(ex("b", &[("person:x", "Lê X"), ("person:y", "Lê Y")]));
        assert_eq!(g.edge_count(), 1);
        assert_eq!(g.evidence(g.edges()[0].2).len(), 2);
    }

    #[test]
    fn ids_keep_each_id_in_order() {
        let ids = Ids::new(["person:le-a", "", "person:le-a--hà-tĩnh"]);
        assert_eq!(
            ids.iter().collect::<Vec<_>>(),
            ["person:le-a", "", "person:le-a--hà-tĩnh"]
        );
        assert_eq!((ids.get(2), ids.get(3)), ("person:le-a--hà-tĩnh", ""));
        assert_eq!(Ids::default().iter().len(), 0);
    }

    #[test]
    fn shared_lists_hand_out_one_copy_per_distinct_list() {
        let mut lists = SharedLists::default();
        let a = lists.places(&["ha-tinh", "nghe-an"]);
        let b = lists.places(&["ha-tinh", "nghe-an"]);
        let c = lists.places(&["ha-tinhnghe-an"]);
        assert!(Arc::ptr_eq(&a, &b) && !Arc::ptr_eq(&a, &c));
        assert_eq!(*c, ["ha-tinhnghe-an".to_string()]);
        let (x, y, z) = (
            lists.years(&[2019, 2020]),
            lists.years(&[2019, 2020]),
            lists.years(&[]),
        );
        assert!(Arc::ptr_eq(&x, &y) && !Arc::ptr_eq(&x, &z));
        assert!(z.is_empty());
    }

    #[test]
    fn attributes_pack_and_read_back_in_field_order() {
        let long = "x".repeat(300); // a length of two LEB128 bytes
        let a = Attrs::from_sorted([(0, "provincial"), (6, long.as_str()), (9, "")]);
        let got: Vec<(u8, &str)> = a.iter().collect();
        assert_eq!(got, [(0, "provincial"), (6, long.as_str()), (9, "")]);
        assert_eq!(
            (a.get(6), a.get(9), a.get(3)),
            (Some(long.as_str()), Some(""), None)
        );
        assert!(Attrs::default().iter().next().is_none());
        // Merging keeps the smaller value of a field, whichever comes first.
        let mut n = Node::new("meeting:m", EntityKind::Meeting, "Hội nghị");
        for date in ["2024-05-02", "2024-05-01", "2024-05-03"] {
            n.merge_attrs(&Attributes {
                date: Some(date.into()),
                place: Some("Vinh".into()),
                ..Attributes::default()
            });
        }
        assert_eq!(
            (n.attribute("date"), n.attribute("place")),
            (Some("2024-05-01"), Some("Vinh"))
        );
        assert_eq!(n.attrs().date.as_deref(), Some("2024-05-01"));
    }

    #[test]
    fn mentions_read_back_exactly_after_merging_graphs() {
        // Each combination of length, confidence, recognizer and flag is a row of the
        // graph's table; a graph merged into another keeps its own rows' values.
        let with = |doc: &str, start: usize, len: usize, conf: f32, rec, only: bool| {
            let mut e = ent(doc, "person:x", "Lê X", start);
            let m = &mut e.mentions[0];
            (m.end, m.confidence, m.recognizer, m.reference_only) = (start + len, conf, rec, only);
            Extraction {
                document: DocumentInfo {
                    id: doc.into(),
                    ..DocumentInfo::default()
                },
                entities: vec![e],
                relations: vec![],
            }
        };
        let mut a = KnowledgeGraph::new();
        a.add(with("a", 3, 5, 0.9, Recognizer::PersonContext, false));
        let mut b = KnowledgeGraph::new();
        b.add(with(
            "b",
            70_000,
            70_000,
            0.123_456_7,
            Recognizer::Byline,
            true,
        ));
        b.add(with("c", 0, 5, 0.9, Recognizer::PersonContext, true));
        a.merge(b);
        let n = a.node("person:x").unwrap();
        let got: Vec<(&str, usize, usize, f32, Recognizer, bool)> = a
            .mentions(n)
            .iter()
            .map(|m| {
                (
                    m.doc,
                    m.start,
                    m.end,
                    m.confidence,
                    m.recognizer,
                    m.reference_only,
                )
            })
            .collect();
        assert_eq!(
            got,
            [
                ("a", 3, 8, 0.9, Recognizer::PersonContext, false),
                ("b", 70_000, 140_000, 0.123_456_7, Recognizer::Byline, true),
                ("c", 0, 5, 0.9, Recognizer::PersonContext, true),
            ]
        );
        assert_eq!(a.tails.list.len(), 3);
    }

    #[test]
    fn same_name_as_reads_back_as_a_star_or_as_every_pair() {
        let ids = [
            "person:le-a",
            "person:le-a--x",
            "person:le-a--y",
            "person:le-a--z",
        ];
        let people: Vec<(&str, &str)> = ids.iter().map(|&id| (id, "Lê A")).collect();
        let group_of = |fields: Vec<(String, Vec<String>)>| {
            let mut g = KnowledgeGraph::new();
            g.add(ex("a", &people));
            g.set_same_name_as(fields);
            ids.map(|id| {
                let n = g.node(id).unwrap();
                let x = g.namesake(n).unwrap();
                let named: Vec<String> = x.same_name_as(id).map(String::from).collect();
                (x.group().map(String::from).collect::<Vec<String>>(), named)
            })
        };
        let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<String>>();
        // The star: the first lists the others, the others list the first.
        let star: Vec<(String, Vec<String>)> = ids
            .iter()
            .map(|&id| {
                let named = if id == ids[0] {
                    list(&ids[1..])
                } else {
                    list(&ids[..1])
                };
                (id.to_string(), named)
            })
            .collect();
        let pairs: Vec<(String, Vec<String>)> = ids
            .iter()
            .map(|&id| {
                (
                    id.to_string(),
                    list(&ids).into_iter().filter(|o| o != id).collect(),
                )
            })
            .collect();
        let got = group_of(star.clone());
        assert_eq!(got, group_of(pairs));
        for (k, (group, named)) in got.iter().enumerate() {
            assert_eq!(group, &list(&ids));
            assert_eq!((&ids[k], named), (&ids[k], &star[k].1));
        }
    }

    proptest! {
        /// `Aliases` is a sorted set: it agrees with a `BTreeSet` after any inserts and removes.
        #[test]
        fn aliases_are_a_sorted_set(ops in proptest::collection::vec((any::<bool>(), "[a-cẠ-ậ ]{0,3}"), 0..40)) {
            let mut a = Aliases::new();
            let mut b: BTreeSet<String> = BTreeSet::new();
            for (add, name) in ops {
                if add {
                    prop_assert_eq!(a.insert(name.clone()), b.insert(name));
                } else {
                    prop_assert_eq!(a.remove(&name), b.remove(&name));
                }
                prop_assert_eq!(a.len(), b.len());
            }
            prop_assert!(a.iter().eq(b.iter().map(String::as_str)));
            let collected: Aliases = b.iter().rev().cloned().collect();
            prop_assert_eq!(collected, a);
        }
    }

    #[test]
    fn part_of_doc_finds_each_document_and_defaults_to_the_first_part() {
        let parts = PartOfDoc::new([(Sym(9), 2), (Sym(3), 1), (Sym(5), 0)].into_iter());
        assert_eq!(parts.get(Sym(3)), 1);
        assert_eq!(parts.get(Sym(9)), 2);
        assert_eq!(parts.get(Sym(5)), 0);
        assert_eq!(
            parts.get(Sym(4)),
            0,
            "a document not listed goes to the first part"
        );
    }

    #[test]
    fn namesakes_with_the_same_places_share_one_list() {
        let ex = crate::Extractor::new().unwrap();
        let mut g = KnowledgeGraph::new();
        let text = |d: &str, commune: &str, province: &str| {
            format!(
                "Ngày {d}, Đảng ủy xã {commune} tổ chức hội nghị tại tỉnh {province}. Đồng chí Lê Văn Ân, Bí thư Đảng ủy xã {commune}, chủ trì hội nghị."
            )
        };
        // Three communes, two of one province: three people by the rule, two of them with the
        // same place and year.
        g.add(ex.extract_str("a", &text("2/3/2019", "Quỳnh Lập", "Nghệ An")));
        g.add(ex.extract_str("b", &text("4/5/2019", "Diễn Kỷ", "Nghệ An")));
        g.add(ex.extract_str("c", &text("6/7/2019", "Thạch Lạc", "Hà Tĩnh")));
        g.settle_people(&Roster::from_gazetteer(ex.gazetteer()));
        let told: Vec<&Namesake> = g
            .graph
            .node_indices()
            .filter_map(|i| g.namesakes.get(&i))
            .filter(|x| *x.places == ["nghe-an"])
            .collect();
        assert_eq!(told.len(), 2, "{:?}", g.namesakes);
        assert!(Arc::ptr_eq(&told[0].places, &told[1].places));
        assert!(Arc::ptr_eq(&told[0].years, &told[1].years));
    }
}
