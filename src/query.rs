//! Asking the graph questions: focus filters, one entity's record ([`show`]), corpus figures
//! ([`stats`]) and the person–person co-attendance projection ([`co_attendance`]).
//!
//! ```
//! use partygraph::{query, KnowledgeGraph};
//! # use partygraph::*;
//! # fn ent(id: &str, kind: EntityKind, label: &str) -> EntityRecord {
//! #     EntityRecord { id: id.into(), kind, label: label.into(), aliases: Default::default(),
//! #                    attrs: Default::default(), mentions: vec![] } }
//! # fn rel(s: &str, t: &str, kind: RelationKind) -> RelationRecord {
//! #     RelationRecord { source: s.into(), target: t.into(), kind, title: None, date: None,
//! #                      evidence: Evidence { doc: "a".into(), start: 0, end: 1, text: "x".into() } } }
//! let mut g = KnowledgeGraph::new();
//! g.add_facts(
//!     vec![ent("person:le-a", EntityKind::Person, "Lê A"),
//!          ent("person:tran-b", EntityKind::Person, "Trần B"),
//!          ent("meeting:hoi-nghi", EntityKind::Meeting, "Hội nghị")],
//!     vec![rel("person:le-a", "meeting:hoi-nghi", RelationKind::Chairs),
//!          rel("person:tran-b", "meeting:hoi-nghi", RelationKind::Attends)],
//! );
//! // Everything within one hop of Lê A: the meeting, not Trần B.
//! let f = query::Filter { focus: Some("le a".into()), depth: 1, ..Default::default() };
//! let small = query::filter(&g, &f).unwrap();
//! assert_eq!(small.node_count(), 2);
//! // Who met whom.
//! let co = query::co_attendance(&g);
//! assert_eq!(co.edges[0].weight, 1);
//! ```

use crate::export::json::from_own_node_link;
use crate::export::node_link;
use crate::extraction::{Attributes, DocumentInfo};
use crate::graph::{Edge, KnowledgeGraph, Node};
use crate::text::{Fold, fold};
use crate::types::{EntityKind, Evidence, RelationKind};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::fmt::{self, Write as _};

/// Why a question could not be answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum QueryError {
    /// No node goes by that name.
    NotFound {
        /// The name asked for.
        name: String,
        /// Nodes whose names contain it, as `label (id)`.
        suggestions: Vec<String>,
    },
    /// Several nodes go by that name.
    Ambiguous {
        /// The name asked for.
        name: String,
        /// The candidates, as `label (id)`.
        candidates: Vec<String>,
    },
}

impl fmt::Display for QueryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            QueryError::NotFound { name, suggestions } if suggestions.is_empty() => {
                write!(
                    f,
                    "{name:?}: no person, committee, resolution or meeting by that name or alias"
                )
            }
            QueryError::NotFound { name, suggestions } => write!(
                f,
                "{name:?}: no node by that exact name or alias; did you mean {}?",
                suggestions.join(", ")
            ),
            QueryError::Ambiguous { name, candidates } => write!(
                f,
                "{name:?} names {} nodes: {}; give the ID to choose",
                candidates.len(),
                candidates.join(", ")
            ),
        }
    }
}

impl std::error::Error for QueryError {}

/// Which part of the graph to keep. The default keeps everything.
///
/// Applied in this order: `since`/`until` drop meetings outside the dates (and undated meetings),
/// with the edges to them and any node whose every edge led to a dropped meeting; `focus` keeps
/// the nodes within `depth` hops (either direction) of one entity; `kinds` keeps the nodes of the
/// listed kinds. Edges are kept when both their ends are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// A person, committee, resolution or meeting by ID, name, alias or document code.
    pub focus: Option<String>,
    /// Hops around `focus` to keep (default 1).
    pub depth: usize,
    /// Node kinds to keep (all when `None`).
    pub kinds: Option<BTreeSet<EntityKind>>,
    /// Earliest meeting date (ISO `YYYY`, `YYYY-MM` or `YYYY-MM-DD`), inclusive.
    pub since: Option<String>,
    /// Latest meeting date (ISO `YYYY`, `YYYY-MM` or `YYYY-MM-DD`), inclusive.
    pub until: Option<String>,
}

impl Default for Filter {
    fn default() -> Self {
        Filter {
            focus: None,
            depth: 1,
            kinds: None,
            since: None,
            until: None,
        }
    }
}

impl Filter {
    /// True when the filter keeps everything.
    ///
    /// ```
    /// assert!(partygraph::query::Filter::default().is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.focus.is_none() && self.kinds.is_none() && self.since.is_none() && self.until.is_none()
    }
}

/// Checks a date bound (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) and returns it as given.
///
/// ```
/// use partygraph::query::parse_date;
/// assert_eq!(parse_date("2024-03").unwrap(), "2024-03");
/// assert!(parse_date("03/2024").is_err());
/// ```
pub fn parse_date(s: &str) -> Result<String, String> {
    let s = s.trim();
    let parts: Vec<&str> = s.split('-').collect();
    let ok_digits = |p: &str, n: usize| p.len() == n && p.bytes().all(|b| b.is_ascii_digit());
    let valid = match parts.as_slice() {
        [y] => ok_digits(y, 4),
        [y, m] => ok_digits(y, 4) && ok_digits(m, 2) && in_range(m, 1, 12),
        [y, m, d] => {
            ok_digits(y, 4)
                && ok_digits(m, 2)
                && ok_digits(d, 2)
                && in_range(m, 1, 12)
                && in_range(d, 1, 31)
        }
        _ => false,
    };
    if valid {
        Ok(s.to_string())
    } else {
        Err(format!(
            "{s:?} is not a date; use YYYY, YYYY-MM or YYYY-MM-DD"
        ))
    }
}

fn in_range(p: &str, lo: u32, hi: u32) -> bool {
    p.parse::<u32>().is_ok_and(|v| (lo..=hi).contains(&v))
}

/// The first and last day a possibly partial ISO date covers, as comparable strings.
fn date_bounds(d: &str) -> (String, String) {
    let d = d.trim();
    match d.len() {
        4 => (format!("{d}-01-01"), format!("{d}-12-31")),
        7 => (format!("{d}-01"), format!("{d}-31")),
        _ => (d.to_string(), d.to_string()),
    }
}

/// True when a meeting dated `date` (possibly partial) may fall within `[since, until]`.
fn date_in_range(date: &str, since: Option<&str>, until: Option<&str>) -> bool {
    let (lo, hi) = date_bounds(date);
    since.is_none_or(|s| hi >= date_bounds(s).0) && until.is_none_or(|u| lo <= date_bounds(u).1)
}

/// Folds a name for comparison: case, tone placement, whitespace.
fn key(s: &str, f: Fold) -> String {
    fold(s, f)
}

fn describe(n: &Node) -> String {
    format!("{} ({})", clip(n.label(), 60), n.id())
}

/// One line of at most `max` characters, with `…` when cut.
fn clip(s: &str, max: usize) -> String {
    let flat = flat(s);
    if flat.chars().count() <= max {
        flat
    } else {
        let mut t: String = flat.chars().take(max).collect();
        t.push('…');
        t
    }
}

/// The order sections are shown in: positions first, then meetings, then documents.
fn section_rank(r: RelationKind) -> u8 {
    match r {
        RelationKind::HoldsPosition => 0,
        RelationKind::Chairs => 1,
        RelationKind::Attends => 2,
        RelationKind::SpeaksAt => 3,
        RelationKind::Organizes => 4,
        RelationKind::References => 5,
        RelationKind::IssuedBy => 6,
        RelationKind::PartOf => 7,
        RelationKind::Authored => 8,
    }
}

/// Finds one node by ID, canonical name, alias or (for resolutions) code; names compare without
/// regard to case, tone-mark placement or spacing, and, when nothing matches with diacritics,
/// without diacritics.
///
/// ```
/// use partygraph::{query, KnowledgeGraph, EntityKind, EntityRecord};
/// let mut g = KnowledgeGraph::new();
/// g.add_facts(vec![EntityRecord { id: "committee:dang-uy-tkv".into(), kind: EntityKind::Committee,
///     label: "Đảng uỷ TKV".into(), aliases: Default::default(), attrs: Default::default(),
///     mentions: vec![] }], vec![]);
/// assert_eq!(query::find(&g, "ĐẢNG ỦY TKV").unwrap().id(), "committee:dang-uy-tkv");
/// assert_eq!(query::find(&g, "dang uy tkv").unwrap().id(), "committee:dang-uy-tkv");
/// assert!(query::find(&g, "TKV").is_err());
/// ```
pub fn find<'g>(graph: &'g KnowledgeGraph, name: &str) -> Result<&'g Node, QueryError> {
    let name = name.trim();
    if let Some(n) = graph.node(name) {
        return Ok(n);
    }
    let nodes = graph.nodes();
    for f in [Fold::Accents, Fold::Ascii] {
        let want = key(name, f);
        if want.is_empty() {
            break;
        }
        let hits: Vec<&Node> = nodes
            .iter()
            .copied()
            .filter(|n| {
                key(n.label(), f) == want
                    || n.aliases.iter().any(|a| key(a, f) == want)
                    || n.attrs().code.as_deref().is_some_and(|c| key(c, f) == want)
            })
            .collect();
        // A name may be shared by an entity and e.g. a place; prefer the main kinds.
        let main: Vec<&Node> = hits
            .iter()
            .copied()
            .filter(|n| {
                matches!(
                    n.kind,
                    EntityKind::Person
                        | EntityKind::Committee
                        | EntityKind::Resolution
                        | EntityKind::Meeting
                )
            })
            .collect();
        let hits = if main.is_empty() { hits } else { main };
        match hits.len() {
            0 => continue,
            1 => return Ok(hits[0]),
            _ => {
                return Err(QueryError::Ambiguous {
                    name: name.to_string(),
                    candidates: hits.iter().map(|n| describe(n)).collect(),
                });
            }
        }
    }
    let want = key(name, Fold::Ascii);
    let suggestions = if want.chars().count() < 2 {
        Vec::new()
    } else {
        nodes
            .iter()
            .filter(|n| {
                key(n.label(), Fold::Ascii).contains(&want)
                    || n.aliases
                        .iter()
                        .any(|a| key(a, Fold::Ascii).contains(&want))
            })
            .take(5)
            .map(|n| describe(n))
            .collect()
    };
    Err(QueryError::NotFound {
        name: name.to_string(),
        suggestions,
    })
}

/// Applies a [`Filter`]: the kept nodes with all their attributes, mentions and evidence, and
/// the edges between them. Fails only when `focus` names no node or several.
pub fn filter(graph: &KnowledgeGraph, f: &Filter) -> Result<KnowledgeGraph, QueryError> {
    if f.is_empty() {
        return Ok(graph.clone());
    }
    let mut nl = node_link(graph);
    // 1. dates on meetings
    if f.since.is_some() || f.until.is_some() {
        let dropped: BTreeSet<String> = nl
            .nodes
            .iter()
            .filter(|n| n.kind == EntityKind::Meeting)
            .filter(|n| {
                !n.attrs
                    .date
                    .as_deref()
                    .is_some_and(|d| date_in_range(d, f.since.as_deref(), f.until.as_deref()))
            })
            .map(|n| n.id.clone())
            .collect();
        let mut had_edges: BTreeSet<String> = BTreeSet::new();
        for e in &nl.edges {
            had_edges.insert(e.source.clone());
            had_edges.insert(e.target.clone());
        }
        nl.edges
            .retain(|e| !dropped.contains(&e.source) && !dropped.contains(&e.target));
        let mut has_edges: BTreeSet<&str> = BTreeSet::new();
        for e in &nl.edges {
            has_edges.insert(&e.source);
            has_edges.insert(&e.target);
        }
        let orphaned: BTreeSet<String> = had_edges
            .iter()
            .filter(|id| !has_edges.contains(id.as_str()))
            .cloned()
            .collect();
        nl.nodes
            .retain(|n| !dropped.contains(&n.id) && !orphaned.contains(&n.id));
    }
    // 2. focus and depth
    if let Some(name) = &f.focus {
        let g = from_own_node_link(nl.clone());
        let start = find(&g, name)?.id().to_string();
        let mut adj: HashMap<&str, Vec<&str>> = HashMap::new();
        for e in &nl.edges {
            adj.entry(&e.source).or_default().push(&e.target);
            adj.entry(&e.target).or_default().push(&e.source);
        }
        let mut seen: BTreeSet<String> = BTreeSet::new();
        seen.insert(start.clone());
        let mut queue = VecDeque::from([(start.as_str(), 0usize)]);
        while let Some((id, d)) = queue.pop_front() {
            if d >= f.depth {
                continue;
            }
            for &next in adj.get(id).map(|v| v.as_slice()).unwrap_or(&[]) {
                if seen.insert(next.to_string()) {
                    queue.push_back((next, d + 1));
                }
            }
        }
        nl.nodes.retain(|n| seen.contains(&n.id));
    }
    // 3. kinds
    if let Some(kinds) = &f.kinds {
        nl.nodes.retain(|n| kinds.contains(&n.kind));
    }
    let kept: BTreeSet<&str> = nl.nodes.iter().map(|n| n.id.as_str()).collect();
    let edges = std::mem::take(&mut nl.edges)
        .into_iter()
        .filter(|e| kept.contains(e.source.as_str()) && kept.contains(e.target.as_str()))
        .collect();
    nl.edges = edges;
    Ok(from_own_node_link(nl))
}

// ---------------------------------------------------------------------------------------------
// Co-attendance projection
// ---------------------------------------------------------------------------------------------

/// A person in the co-attendance projection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoPerson {
    /// The person's node ID.
    pub id: String,
    /// Always [`EntityKind::Person`].
    pub kind: EntityKind,
    /// Display name.
    pub label: String,
    /// Other names.
    #[serde(default)]
    pub aliases: BTreeSet<String>,
    /// Number of meetings the person took part in (chaired, attended or spoke at).
    pub meetings: usize,
}

/// An edge of the co-attendance projection: two people who took part in the same meetings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoEdge {
    /// One person's ID (the smaller).
    pub source: String,
    /// The other person's ID.
    pub target: String,
    /// The number of meetings both took part in.
    pub weight: usize,
    /// Those meetings' IDs, sorted.
    pub meetings: Vec<String>,
    /// Those meetings' dates, sorted, where known.
    #[serde(default)]
    pub dates: Vec<String>,
}

/// The person–person graph: an undirected edge between two people who took part (chaired,
/// attended or spoke) in the same meeting, weighted by the number of such meetings.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CoAttendance {
    /// The articles the graph was built from.
    pub documents: Vec<DocumentInfo>,
    /// Every person who took part in at least one meeting, sorted by ID.
    pub people: Vec<CoPerson>,
    /// The edges, sorted by source and target.
    pub edges: Vec<CoEdge>,
}

impl CoAttendance {
    /// The kind written on every edge.
    pub const EDGE_KIND: &'static str = "co_attends";
}

fn takes_part(k: RelationKind) -> bool {
    matches!(
        k,
        RelationKind::Chairs | RelationKind::Attends | RelationKind::SpeaksAt
    )
}

/// Projects the graph onto people (see [`CoAttendance`]).
pub fn co_attendance(graph: &KnowledgeGraph) -> CoAttendance {
    // meeting id -> people who took part
    let mut by_meeting: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut people: BTreeMap<&str, (&Node, BTreeSet<&str>)> = BTreeMap::new();
    let mut meeting_date: HashMap<&str, Option<&str>> = HashMap::new();
    for (s, t, e) in graph.edges() {
        if takes_part(e.kind) && s.kind == EntityKind::Person && t.kind == EntityKind::Meeting {
            by_meeting.entry(t.id()).or_default().insert(s.id());
            people
                .entry(s.id())
                .or_insert((s, BTreeSet::new()))
                .1
                .insert(t.id());
            meeting_date.insert(t.id(), t.attribute("date"));
        }
    }
    let mut pairs: BTreeMap<(&str, &str), BTreeSet<&str>> = BTreeMap::new();
    for (m, ps) in &by_meeting {
        let ps: Vec<&str> = ps.iter().copied().collect();
        for i in 0..ps.len() {
            for j in i + 1..ps.len() {
                pairs.entry((ps[i], ps[j])).or_default().insert(m);
            }
        }
    }
    let edges = pairs
        .into_iter()
        .map(|((a, b), ms)| {
            let dates: BTreeSet<&str> = ms
                .iter()
                .filter_map(|m| meeting_date.get(m).copied().flatten())
                .collect();
            CoEdge {
                source: a.to_string(),
                target: b.to_string(),
                weight: ms.len(),
                meetings: ms.iter().map(|m| m.to_string()).collect(),
                dates: dates.into_iter().map(String::from).collect(),
            }
        })
        .collect();
    CoAttendance {
        documents: graph.documents().collect(),
        people: people
            .into_values()
            .map(|(n, ms)| CoPerson {
                id: n.id().to_string(),
                kind: n.kind,
                label: n.label().to_string(),
                aliases: n.other_names().map(String::from).collect(),
                meetings: ms.len(),
            })
            .collect(),
        edges,
    }
}

// ---------------------------------------------------------------------------------------------
// show
// ---------------------------------------------------------------------------------------------

/// A node as referred to from a [`Report`].
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct NodeRef {
    /// Node ID.
    pub id: String,
    /// Its kind.
    pub kind: EntityKind,
    /// Display name.
    pub label: String,
    /// Its date (meetings, resolutions), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

impl NodeRef {
    fn of(n: &Node) -> NodeRef {
        NodeRef {
            id: n.id().to_string(),
            kind: n.kind,
            label: n.label().to_string(),
            date: n.attrs().date.clone(),
        }
    }
}

/// Which way an edge points, seen from the entity shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From the entity (it chairs, it holds a position...).
    Out,
    /// To the entity (it is chaired by, it is referenced by...).
    In,
}

/// One fact about the entity shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fact {
    /// The relation.
    pub relation: RelationKind,
    /// Whether the entity is its source (`out`) or target (`in`).
    pub direction: Direction,
    /// The node at the other end.
    pub other: NodeRef,
    /// For `holds_position`: the office.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Dates the fact holds at.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dates: Vec<String>,
    /// The sentences it was read from.
    pub evidence: Vec<Evidence>,
}

/// A document referenced at a meeting the entity took part in or organized.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct MeetingReference {
    /// The resolution or other document.
    pub document: NodeRef,
    /// The meeting that referenced it.
    pub meeting: NodeRef,
}

/// What the corpus says about one entity ([`show`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Node ID.
    pub id: String,
    /// Its kind.
    pub kind: EntityKind,
    /// Display name.
    pub label: String,
    /// Other names.
    pub aliases: Vec<String>,
    /// Kind-specific attributes.
    #[serde(flatten)]
    pub attrs: Attributes,
    /// Number of places it is named.
    pub mentions: usize,
    /// IDs of the articles that name it.
    pub documents: Vec<String>,
    /// Every edge it is an end of: positions, meetings chaired / attended / spoken at,
    /// documents referenced, issuers, parents...
    pub facts: Vec<Fact>,
    /// Documents referenced at the meetings it took part in (people) or organized (committees).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub referenced_at_meetings: Vec<MeetingReference>,
    /// People: every node of its name when the name is shared by several people told apart,
    /// itself included, with what tells them apart.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub namesakes: Vec<Namesake>,
}

/// One of the nodes of a name shared by several people, with the context that tells it apart
/// (see [`crate::identity`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Namesake {
    /// Node ID.
    pub id: String,
    /// The offices it is named with, as `title, body`.
    pub offices: Vec<String>,
    /// The provinces of its context (slugs).
    pub places: Vec<String>,
    /// The years of the articles naming it.
    pub years: Vec<u16>,
    /// How many articles name it.
    pub articles: usize,
}

/// The namesakes of a person node, itself included, sorted by ID (the plain ID first); empty
/// when the name is one person's.
fn namesakes(g: &KnowledgeGraph, n: &Node) -> Vec<Namesake> {
    let Some(x) = g.namesake(n) else {
        return Vec::new();
    };
    x.group()
        .filter_map(|id| g.node(id))
        .map(|m| {
            let mut offices: Vec<String> = g
                .edges_from(m.id())
                .into_iter()
                .filter(|(_, _, e)| e.kind == RelationKind::HoldsPosition)
                .map(|(_, t, e)| match g.title(e) {
                    Some(title) => format!("{}, {}", flat(title), flat(t.label())),
                    None => flat(t.label()),
                })
                .collect();
            offices.sort();
            offices.dedup();
            let docs: BTreeSet<&str> = g.mentions(m).iter().map(|v| v.doc).collect();
            let (places, years) = g
                .namesake(m)
                .map(|x| (x.places.clone(), x.years.clone()))
                .unwrap_or_default();
            Namesake {
                id: m.id().to_string(),
                offices,
                places: places.to_vec(),
                years: years.to_vec(),
                articles: docs.len(),
            }
        })
        .collect()
}

/// When `name` is the name of several people told apart (nodes of one name), the one with the
/// plain ID, or else the first by ID.
fn pick_namesake<'g>(g: &'g KnowledgeGraph, name: &str) -> Option<&'g Node> {
    let want = key(name.trim(), Fold::Accents);
    let hits: Vec<&Node> = g
        .nodes()
        .into_iter()
        .filter(|n| n.kind == EntityKind::Person && key(n.label(), Fold::Accents) == want)
        .collect();
    let base = crate::identity::base_id(hits.first()?.id());
    if hits
        .iter()
        .any(|n| crate::identity::base_id(n.id()) != base)
    {
        return None;
    }
    hits.into_iter().next()
}

fn fact(g: &KnowledgeGraph, dir: Direction, other: &Node, e: &Edge) -> Fact {
    Fact {
        relation: e.kind,
        direction: dir,
        other: NodeRef::of(other),
        title: g.title(e).map(String::from),
        dates: g.dates(e).into_iter().map(String::from).collect(),
        evidence: g.evidence(e).iter().map(|v| v.to_evidence()).collect(),
    }
}

/// Collects what the graph says about the entity `name` (see [`find`] for how names match).
///
/// ```
/// use partygraph::{query, KnowledgeGraph, EntityKind, EntityRecord};
/// let mut g = KnowledgeGraph::new();
/// g.add_facts(vec![EntityRecord { id: "person:le-a".into(), kind: EntityKind::Person,
///     label: "Lê A".into(), aliases: Default::default(), attrs: Default::default(),
///     mentions: vec![] }], vec![]);
/// let r = query::show(&g, "Lê A").unwrap();
/// assert_eq!(r.id, "person:le-a");
/// assert!(r.to_text().starts_with("Lê A"));
/// ```
pub fn show(graph: &KnowledgeGraph, name: &str) -> Result<Report, QueryError> {
    let g = graph;
    let n = match find(g, name) {
        Ok(n) => n,
        Err(e @ QueryError::Ambiguous { .. }) => pick_namesake(g, name).ok_or(e)?,
        Err(e) => return Err(e),
    };
    let mut facts: Vec<Fact> = Vec::new();
    for (_, t, e) in g.edges_from(n.id()) {
        facts.push(fact(g, Direction::Out, t, e));
    }
    for (s, _, e) in g.edges_to(n.id()) {
        facts.push(fact(g, Direction::In, s, e));
    }
    facts.sort_by(|a, b| {
        (
            section_rank(a.relation),
            a.direction,
            &a.other.date,
            &a.other.label,
            &a.other.id,
            &a.title,
        )
            .cmp(&(
                section_rank(b.relation),
                b.direction,
                &b.other.date,
                &b.other.label,
                &b.other.id,
                &b.title,
            ))
    });
    // Documents referenced at the meetings it took part in or organized.
    let mut refs: BTreeSet<MeetingReference> = BTreeSet::new();
    if n.kind != EntityKind::Meeting {
        for f in &facts {
            let via = f.direction == Direction::Out
                && f.other.kind == EntityKind::Meeting
                && (takes_part(f.relation) || f.relation == RelationKind::Organizes);
            if !via {
                continue;
            }
            for (_, t, e) in g.edges_from(&f.other.id) {
                if e.kind == RelationKind::References {
                    refs.insert(MeetingReference {
                        document: NodeRef::of(t),
                        meeting: f.other.clone(),
                    });
                }
            }
        }
    }
    let mentions = g.mentions(n);
    let documents: BTreeSet<String> = mentions.iter().map(|m| m.doc.to_string()).collect();
    Ok(Report {
        id: n.id().to_string(),
        kind: n.kind,
        label: n.label().to_string(),
        aliases: n.other_names().map(String::from).collect(),
        attrs: n.attrs().clone(),
        mentions: mentions.len(),
        documents: documents.into_iter().collect(),
        facts,
        referenced_at_meetings: refs.into_iter().collect(),
        namesakes: namesakes(g, n),
    })
}

fn heading(rel: RelationKind, dir: Direction) -> &'static str {
    use Direction::*;
    use RelationKind::*;
    match (rel, dir) {
        (HoldsPosition, Out) => "Positions",
        (HoldsPosition, In) => "Office holders",
        (Chairs, Out) => "Meetings chaired",
        (Chairs, In) => "Chaired by",
        (Attends, Out) => "Meetings attended",
        (Attends, In) => "Attended by",
        (SpeaksAt, Out) => "Meetings spoken at",
        (SpeaksAt, In) => "Speakers",
        (Organizes, Out) => "Meetings organized",
        (Organizes, In) => "Organized by",
        (References, Out) => "Documents referenced",
        (References, In) => "Referenced at",
        (IssuedBy, Out) => "Issued by",
        (IssuedBy, In) => "Documents issued",
        (PartOf, Out) => "Part of",
        (PartOf, In) => "Bodies within it",
        (Authored, Out) => "Articles written",
        (Authored, In) => "Written by",
    }
}

/// One line of text: control characters and line breaks turned into spaces.
fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn node_ref_text(r: &NodeRef) -> String {
    match &r.date {
        Some(d) => format!("{} ({d})", flat(&r.label)),
        None => flat(&r.label),
    }
}

/// Evidence sentences shown per fact in text output.
const TEXT_EVIDENCE: usize = 3;
/// Characters of an evidence sentence shown in text output.
const TEXT_SENTENCE: usize = 300;

impl Report {
    /// The report as text for people: name, kind and aliases, then one section per relation
    /// (positions, meetings chaired, attended, spoken at...) with dates and evidence sentences
    /// (at most three per fact, each cut at 300 characters; the JSON has them all, whole).
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "{} ({})", flat(&self.label), self.id);
        let _ = writeln!(out, "  kind: {}", self.kind);
        if !self.aliases.is_empty() {
            let a: Vec<String> = self.aliases.iter().map(|a| flat(a)).collect();
            let _ = writeln!(out, "  also: {}", a.join("; "));
        }
        let a = &self.attrs;
        for (k, v) in [
            ("code", &a.code),
            ("type", &a.doc_type),
            ("meeting type", &a.meeting_type),
            ("date", &a.date),
            ("place", &a.place),
            ("issuer", &a.issuer),
            ("subject", &a.subject),
            ("level", &a.level),
            ("parent", &a.parent),
            ("org type", &a.org_type),
        ] {
            if let Some(v) = v {
                let _ = writeln!(out, "  {k}: {}", flat(v));
            }
        }
        let _ = writeln!(
            out,
            "  named {} time{} in {} article{}{}",
            self.mentions,
            if self.mentions == 1 { "" } else { "s" },
            self.documents.len(),
            if self.documents.len() == 1 { "" } else { "s" },
            if self.documents.is_empty() {
                String::new()
            } else {
                format!(": {}", self.documents.join(", "))
            }
        );
        if !self.namesakes.is_empty() {
            let _ = writeln!(
                out,
                "\nPeople of this name ({} nodes, told apart by their context)",
                self.namesakes.len()
            );
            for x in &self.namesakes {
                let shown = if x.id == self.id {
                    " (shown below)"
                } else {
                    ""
                };
                let _ = writeln!(out, "  - {}{shown}", x.id);
                if !x.offices.is_empty() {
                    let _ = writeln!(out, "      offices: {}", x.offices.join("; "));
                }
                if !x.places.is_empty() {
                    let _ = writeln!(out, "      places: {}", x.places.join(", "));
                }
                if !x.years.is_empty() {
                    let y: Vec<String> = x.years.iter().map(u16::to_string).collect();
                    let _ = writeln!(out, "      years: {}", y.join(", "));
                }
                let _ = writeln!(
                    out,
                    "      {} article{}",
                    x.articles,
                    if x.articles == 1 { "" } else { "s" }
                );
            }
        }
        let mut last: Option<(RelationKind, Direction)> = None;
        for f in &self.facts {
            if last != Some((f.relation, f.direction)) {
                let _ = writeln!(out, "\n{}", heading(f.relation, f.direction));
                last = Some((f.relation, f.direction));
            }
            let mut line = String::from("  - ");
            if let Some(t) = &f.title {
                let _ = write!(line, "{}, ", flat(t));
            }
            line.push_str(&node_ref_text(&f.other));
            if !f.dates.is_empty() && f.other.date.as_ref().is_none_or(|d| f.dates != [d.clone()]) {
                let _ = write!(line, " [{}]", f.dates.join(", "));
            }
            let _ = writeln!(out, "{line}");
            for e in f.evidence.iter().take(TEXT_EVIDENCE) {
                let _ = match e.text.is_empty() {
                    // Written with offsets only, and the article was not at hand.
                    true => writeln!(out, "      (no text) ({}:{}-{})", e.doc, e.start, e.end),
                    false => writeln!(
                        out,
                        "      \"{}\" ({}:{}-{})",
                        clip(&e.text, TEXT_SENTENCE),
                        e.doc,
                        e.start,
                        e.end
                    ),
                };
            }
            if f.evidence.len() > TEXT_EVIDENCE {
                let _ = writeln!(out, "      (+{} more)", f.evidence.len() - TEXT_EVIDENCE);
            }
        }
        if !self.referenced_at_meetings.is_empty() {
            let _ = writeln!(out, "\nDocuments referenced at its meetings");
            for r in &self.referenced_at_meetings {
                let _ = writeln!(
                    out,
                    "  - {} at {}",
                    node_ref_text(&r.document),
                    node_ref_text(&r.meeting)
                );
            }
        }
        if self.facts.is_empty() {
            let _ = writeln!(out, "\nNo relations found yet.");
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// stats
// ---------------------------------------------------------------------------------------------

/// A ranked entity in [`Stats`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranked {
    /// Node ID.
    pub id: String,
    /// Display name.
    pub label: String,
    /// The measure ranked by (meetings chaired, attended, organized, or that referenced it).
    pub count: usize,
    /// Number of articles that name it (the tie-breaker).
    pub articles: usize,
}

/// Corpus figures ([`stats`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Number of articles.
    pub documents: usize,
    /// Number of nodes.
    pub nodes: usize,
    /// Number of edges (one per distinct fact; see `evidence` for how often facts are stated).
    pub edges: usize,
    /// Number of evidence sentences over all edges.
    pub evidence: usize,
    /// Nodes by kind.
    pub nodes_by_kind: BTreeMap<EntityKind, usize>,
    /// Edges by kind.
    pub edges_by_kind: BTreeMap<RelationKind, usize>,
    /// People by number of meetings chaired.
    pub top_chairs: Vec<Ranked>,
    /// People by number of meetings taken part in (chaired, attended or spoke at).
    pub top_attendees: Vec<Ranked>,
    /// Resolutions by number of meetings that referenced them, then by articles naming them.
    pub most_referenced: Vec<Ranked>,
    /// Committees by number of meetings organized.
    pub top_organizers: Vec<Ranked>,
}

fn articles(graph: &KnowledgeGraph, n: &Node) -> usize {
    graph
        .mentions(n)
        .iter()
        .map(|m| m.doc)
        .collect::<BTreeSet<_>>()
        .len()
}

fn rank(
    graph: &KnowledgeGraph,
    counts: BTreeMap<&str, BTreeSet<&str>>,
    top: usize,
    keep_zero: bool,
    kind: EntityKind,
) -> Vec<Ranked> {
    let mut v: Vec<Ranked> = graph
        .nodes()
        .into_iter()
        .filter(|n| n.kind == kind)
        .map(|n| Ranked {
            id: n.id().to_string(),
            label: n.label().to_string(),
            count: counts.get(n.id()).map_or(0, |s| s.len()),
            articles: articles(graph, n),
        })
        .filter(|r| r.count > 0 || (keep_zero && r.articles > 0))
        .collect();
    v.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(b.articles.cmp(&a.articles))
            .then(a.id.cmp(&b.id))
    });
    v.truncate(top);
    v
}

/// Counts by kind and the top `top` entities of each ranking.
///
/// ```
/// let s = partygraph::query::stats(&partygraph::KnowledgeGraph::new(), 10);
/// assert_eq!(s.nodes, 0);
/// assert!(s.to_text().contains("0 articles"));
/// ```
pub fn stats(graph: &KnowledgeGraph, top: usize) -> Stats {
    let mut nodes_by_kind = BTreeMap::new();
    for n in graph.nodes() {
        *nodes_by_kind.entry(n.kind).or_insert(0) += 1;
    }
    let mut edges_by_kind = BTreeMap::new();
    let mut evidence = 0;
    let mut chaired: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut attended: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut referenced: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    let mut organized: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (s, t, e) in graph.edges() {
        *edges_by_kind.entry(e.kind).or_insert(0) += 1;
        evidence += e.evidence_count();
        let (s, t) = (s.id(), t.id());
        match e.kind {
            RelationKind::Chairs => {
                chaired.entry(s).or_default().insert(t);
                attended.entry(s).or_default().insert(t);
            }
            RelationKind::Attends | RelationKind::SpeaksAt => {
                attended.entry(s).or_default().insert(t);
            }
            RelationKind::References => {
                referenced.entry(t).or_default().insert(s);
            }
            RelationKind::Organizes => {
                organized.entry(s).or_default().insert(t);
            }
            _ => {}
        }
    }
    Stats {
        documents: graph.documents().count(),
        nodes: graph.node_count(),
        edges: graph.edge_count(),
        evidence,
        nodes_by_kind,
        edges_by_kind,
        top_chairs: rank(graph, chaired, top, false, EntityKind::Person),
        top_attendees: rank(graph, attended, top, false, EntityKind::Person),
        most_referenced: rank(graph, referenced, top, true, EntityKind::Resolution),
        top_organizers: rank(graph, organized, top, false, EntityKind::Committee),
    }
}

impl Stats {
    /// The figures as text for people.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} articles, {} nodes, {} edges ({} evidence sentences)",
            self.documents, self.nodes, self.edges, self.evidence
        );
        let _ = writeln!(out, "\nNodes by kind");
        for k in EntityKind::ALL {
            if let Some(n) = self.nodes_by_kind.get(&k) {
                let _ = writeln!(out, "  {:<14}{n:>7}", k.as_str());
            }
        }
        if !self.edges_by_kind.is_empty() {
            let _ = writeln!(out, "\nEdges by kind");
            for (k, n) in &self.edges_by_kind {
                let _ = writeln!(out, "  {:<14}{n:>7}", k.as_str());
            }
        }
        let sections: [(&str, &Vec<Ranked>, &str); 4] = [
            (
                "Top people by meetings chaired",
                &self.top_chairs,
                "meeting",
            ),
            (
                "Top people by meetings attended (any role)",
                &self.top_attendees,
                "meeting",
            ),
            (
                "Most referenced resolutions",
                &self.most_referenced,
                "meeting",
            ),
            (
                "Committees by meetings organized",
                &self.top_organizers,
                "meeting",
            ),
        ];
        for (title, list, unit) in sections {
            if list.is_empty() {
                continue;
            }
            let _ = writeln!(out, "\n{title}");
            for (i, r) in list.iter().enumerate() {
                let _ = writeln!(
                    out,
                    "  {:>2}. {} ({}): {} {unit}{}, {} article{}",
                    i + 1,
                    clip(&r.label, 80),
                    r.id,
                    r.count,
                    if r.count == 1 { "" } else { "s" },
                    r.articles,
                    if r.articles == 1 { "" } else { "s" }
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(date_in_range("2017-03", Some("2017-03-15"), None));
        assert!(!date_in_range("2017-02-28", Some("2017-03"), None));
        assert!(date_in_range("2017", None, Some("2017-01-01")));
        assert!(!date_in_range("2018-01-01", None, Some("2017")));
        assert!(date_in_range("2017-12-31", Some("2017"), Some("2017")));
        assert!(parse_date("2017-13").is_err());
        assert!(parse_date("2017-1-1").is_err());
        assert!(parse_date("x").is_err());
    }
}
