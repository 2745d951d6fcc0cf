//! Who is who: the rule that decides which articles' mentions of one name are one real person.
//!
//! Articles name people by name alone, and names repeat: the country has many officials called
//! Nguyễn Văn Bình. This module decides, from what each article says of a person, which of the
//! articles naming a name speak of the same person. It knows nothing of the graph: the graph
//! stage ([`KnowledgeGraph::settle_people`](crate::KnowledgeGraph::settle_people)) gathers the
//! evidence and applies the decision, always on the whole merged corpus, so the result does not
//! depend on the order articles came in.
//!
//! What one article says of a person is an [`Occurrence`]: the bodies it says they hold an
//! office in (each a [`Body`], with its level, its parent body and the provinces it belongs
//! to), the article's year and the provinces the article names. The rule:
//!
//! 1. **A person the gazetteer lists** ([`Listed`], from the `offices` of
//!    `people.entities.tsv`) is the one named in every article whose context
//!    [agrees](Verdict::Agrees) (an office in a body the gazetteer records for them, in a
//!    plausible year) or is [neutral](Verdict::Neutral) (no office named, offices only in central
//!    bodies, or a local office in a year before their recorded career). An article that
//!    [contradicts](Verdict::Contradicts) (an office in a provincial or local body the gazetteer
//!    does not record, in a year of their recorded career or an unknown year) names another
//!    person. The listed person keeps the plain ID (`person:nguyen-van-binh`), even when no
//!    article names them: the plain ID always means the listed person.
//! 2. **Everyone else** with that name is grouped by shared context ([`keys`]): two articles
//!    are one person when they name an office in the same body (a provincial or local body
//!    counts as the same only within the same province), or one's body is the other's parent
//!    body, or both name a body under the same provincial or local parent, or both name a
//!    provincial body of the same province (so offices that follow each other in one province
//!    stay one person). Groups linked through any article are one group.
//! 3. **Articles with no context** (no office named, or only offices in a body the article
//!    never names in full) join the listed person, or else the main group.
//! 4. **IDs**: the listed person, or else the main group (the most mentions, then the smallest
//!    context key), takes the plain ID; every other group is `person:NAME--KEY`, its key being
//!    the slug of the body it is named in most (then the most local, then the smallest), with
//!    the province added to a local body's slug that lacks it (`--benh-vien-da-khoa-dong-nai`).
//!    No ID depends on the order of files.

use crate::gazetteer::Gazetteer;
use crate::text::slug;
use crate::types::EntityKind;
use rustc_hash::FxHashMap;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// What separates a person's name from the context key in the ID of a namesake
/// (`person:nguyen-van-binh--so-y-te-dong-nai`).
pub const KEY_SEPARATOR: &str = "--";

/// The ID of the name a node's ID stands for: a namesake's ID without its context key
/// (`person:a--b` → `person:a`); every other ID unchanged.
///
/// ```
/// use partygraph::identity::base_id;
/// assert_eq!(base_id("person:nguyen-van-binh--so-y-te-dong-nai"), "person:nguyen-van-binh");
/// assert_eq!(base_id("person:nguyen-van-binh"), "person:nguyen-van-binh");
/// assert_eq!(base_id("resolution:08-kh-du--bai-1"), "resolution:08-kh-du--bai-1");
/// ```
pub fn base_id(id: &str) -> &str {
    match id.strip_prefix("person:") {
        Some(rest) => match rest.find(KEY_SEPARATOR) {
            Some(i) => &id[.."person:".len() + i],
            None => id,
        },
        None => id,
    }
}

/// One office a listed person held, as `people.entities.tsv` records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Office {
    /// The title ("Trưởng Ban").
    pub title: String,
    /// The slug of the body, without its term ("Bộ Chính trị khóa XII" → `bo-chinh-tri`).
    pub body: String,
    /// The year taken, when recorded.
    pub from: Option<u16>,
    /// The year left, when recorded (`None` with `from` set: not left, or not known).
    pub to: Option<u16>,
}

/// Years either side of a recorded term that still count as that term (the press writes of
/// an office shortly before and after the dates the gazetteer records).
const SLACK: u16 = 1;

impl Office {
    /// True when an article of `year` can speak of this office as held: within its years, one
    /// year of slack either side; always when either is unknown.
    pub fn plausible(&self, year: Option<u16>) -> bool {
        let Some(y) = year else { return true };
        let from_ok = self.from.is_none_or(|f| y + SLACK >= f);
        let to_ok = self.to.is_none_or(|t| y <= t + SLACK);
        from_ok && to_ok
    }
}

/// A person the gazetteer lists, with the offices it records.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Listed {
    /// The name.
    pub name: String,
    /// The offices, as recorded.
    pub offices: Vec<Office>,
}

/// The slug of a body without a trailing term (`-khoa-xii`).
fn without_term(s: &str) -> &str {
    if let Some(i) = s.rfind("-khoa-") {
        let term = &s[i + "-khoa-".len()..];
        if !term.is_empty() && term.bytes().all(|b| b"ivxlcdm".contains(&b)) {
            return &s[..i];
        }
    }
    s
}

impl Listed {
    /// Reads the `offices` attribute: notes `title, body, years` separated by ` | `, years as
    /// `2016-2021`, `2021-` or `2024` (and may be left out).
    ///
    /// ```
    /// use partygraph::identity::Listed;
    /// let p = Listed::parse("Lê A", "Bí thư, Tỉnh ủy Nghệ An, 2015-2020 | Ủy viên, Bộ Chính trị khóa XIII, 2021-");
    /// assert_eq!(p.offices[0].body, "tinh-uy-nghe-an");
    /// assert_eq!((p.offices[0].from, p.offices[0].to), (Some(2015), Some(2020)));
    /// assert_eq!((p.offices[1].body.as_str(), p.offices[1].to), ("bo-chinh-tri", None));
    /// ```
    pub fn parse(name: &str, offices: &str) -> Listed {
        let mut out = Vec::new();
        for note in offices.split('|').map(str::trim).filter(|s| !s.is_empty()) {
            let mut parts: Vec<&str> = note.split(',').map(str::trim).collect();
            let (mut from, mut to) = (None, None);
            if let Some(last) = parts.last()
                && parts.len() >= 2
                && !last.is_empty()
                && last.bytes().all(|b| b.is_ascii_digit() || b == b'-')
            {
                let mut ys = last.splitn(2, '-');
                from = ys.next().and_then(|y| y.parse().ok());
                to = match ys.next() {
                    None => from,
                    Some(y) => y.parse().ok(),
                };
                parts.pop();
            }
            let Some(body) = parts.pop() else { continue };
            out.push(Office {
                title: parts.join(", "),
                body: without_term(&slug(body)).to_string(),
                from,
                to,
            });
        }
        Listed {
            name: name.to_string(),
            offices: out,
        }
    }

    /// The years of the recorded career: the first year taken and the last year left (`None`:
    /// an office not left or not known to be); `None` when no office has years.
    pub fn career(&self) -> Option<(u16, Option<u16>)> {
        let from = self.offices.iter().filter_map(|o| o.from).min()?;
        let open = self
            .offices
            .iter()
            .any(|o| o.from.is_some() && o.to.is_none());
        let to = if open {
            None
        } else {
            self.offices.iter().filter_map(|o| o.to).max()
        };
        Some((from, to))
    }

    /// True when `year` (unknown counts) falls in the recorded career, or no career is recorded.
    fn in_career(&self, year: Option<u16>) -> bool {
        let (Some(y), Some((from, to))) = (year, self.career()) else {
            return true;
        };
        y + SLACK >= from && to.is_none_or(|t| y <= t + SLACK)
    }

    /// True when `body` (or the body it belongs to) is one of the recorded offices' bodies,
    /// held in a plausible year.
    fn records(&self, body: &Body, year: Option<u16>) -> bool {
        let mine = |s: &str| {
            let s = without_term(s);
            self.offices.iter().any(|o| {
                o.plausible(year)
                    && (o.body == s
                        || ["dang-uy-", "ban-can-su-dang-", "ban-thuong-vu-"]
                            .iter()
                            .any(|p| s.strip_prefix(p) == Some(&o.body)))
            })
        };
        mine(body.slug()) || body.parent.as_deref().is_some_and(|p| mine(slug_of(p)))
    }
}

/// The part of a node ID after its kind.
fn slug_of(id: &str) -> &str {
    id.split_once(':').map_or(id, |(_, s)| s)
}

/// The listed people and the provinces: what the rule needs of the gazetteer.
#[derive(Debug, Clone, Default)]
pub struct Roster {
    listed: FxHashMap<String, Listed>,
    /// Slug of a province's name or alias → slugs of the canonical names it stands for, sorted.
    places: FxHashMap<String, Vec<String>>,
    /// The most words (between dashes) of a name in `places`.
    place_words: usize,
}

impl Roster {
    /// The listed people (persons with `offices`) and the provinces (places) of a gazetteer.
    ///
    /// ```
    /// let g = partygraph::Gazetteer::embedded().unwrap();
    /// let r = partygraph::identity::Roster::from_gazetteer(&g);
    /// assert!(r.listed("person:to-lam").is_some());
    /// assert_eq!(r.provinces_in("so-y-te-tinh-dong-nai"), ["dong-nai"]);
    /// ```
    pub fn from_gazetteer(g: &Gazetteer) -> Roster {
        let mut r = Roster::default();
        for e in g.entries() {
            match e.kind {
                EntityKind::Person => {
                    if let Some(o) = e.attr("offices") {
                        r.listed.insert(e.id(), Listed::parse(&e.name, o));
                    }
                }
                EntityKind::Place => {
                    let canonical = slug(&e.name);
                    for name in std::iter::once(&e.name).chain(&e.aliases) {
                        let s = slug(name);
                        // Two letters ("tp") would match inside other words' slugs.
                        if s.len() > 3 {
                            r.insert_place(s, canonical.clone());
                        }
                    }
                }
                _ => {}
            }
        }
        r
    }

    fn insert_place(&mut self, s: String, canonical: String) {
        self.place_words = self.place_words.max(s.split('-').count());
        let to = self.places.entry(s).or_default();
        if let Err(k) = to.binary_search(&canonical) {
            to.insert(k, canonical);
        }
    }

    /// Adds a listed person (for tests and programs that know more than the gazetteer).
    pub fn add_listed(&mut self, id: &str, person: Listed) {
        self.listed.insert(id.to_string(), person);
    }

    /// Adds a province by name (for tests and programs with their own places).
    pub fn add_place(&mut self, name: &str) {
        let s = slug(name);
        self.insert_place(s.clone(), s);
    }

    /// The listed person of a (plain) person ID.
    pub fn listed(&self, id: &str) -> Option<&Listed> {
        self.listed.get(id)
    }

    /// The canonical slugs of the provinces whose names stand in `s` (a slug) between dashes,
    /// sorted; a longer name found there hides the shorter ones inside it.
    pub fn provinces_in(&self, s: &str) -> Vec<String> {
        // Every run of up to `place_words` words that is a name: one lookup each.
        let starts: Vec<usize> = std::iter::once(0)
            .chain(s.match_indices('-').map(|(i, _)| i + 1))
            .collect();
        let mut runs: Vec<(usize, usize, &str)> = Vec::new();
        for (k, &a) in starts.iter().enumerate() {
            for w in 1..=self.place_words {
                let end = match starts.get(k + w) {
                    Some(&next) => next - 1,
                    None if k + w == starts.len() => s.len(),
                    None => break,
                };
                if let Some((name, _)) = self.places.get_key_value(&s[a..end]) {
                    runs.push((a, end, name));
                }
            }
        }
        // Longest first: a name inside a longer one found there is not another place.
        runs.sort_by(|x, y| (y.1 - y.0).cmp(&(x.1 - x.0)).then_with(|| x.2.cmp(y.2)));
        let mut kept: Vec<(usize, usize)> = Vec::new();
        let mut set: BTreeSet<&str> = BTreeSet::new();
        for (a, end, name) in runs {
            if kept.iter().any(|&(x, y)| x <= a && end <= y) {
                continue;
            }
            kept.push((a, end));
            if let Some(first) = self.places[name].first() {
                set.insert(first);
            }
        }
        set.into_iter().map(String::from).collect()
    }

    /// The canonical slug of a province named exactly `s` (a slug), if it is one.
    pub fn province(&self, s: &str) -> Option<&str> {
        self.places
            .get(s)
            .and_then(|c| c.first())
            .map(String::as_str)
    }
}

/// How far up a body stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// A body below a province: a district, a commune, an enterprise, a hospital, a school.
    Local,
    /// A body of a province: its party committee and boards, its people's committee, council,
    /// departments.
    Provincial,
    /// A central body: the Central Committee and its boards, the Politburo, the Secretariat,
    /// the National Assembly, the Government, the ministries.
    Central,
}

/// A body a person holds an office in, as the rule sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// Its node ID (`committee:tinh-uy-nghe-an`).
    pub id: String,
    /// Its level.
    pub level: Level,
    /// The node ID of the body it belongs to, when known.
    pub parent: Option<String>,
    /// Whether that parent is a central body (central parents are shared by too many bodies to
    /// say two people are one).
    pub parent_central: bool,
    /// The provinces it belongs to (canonical slugs, sorted).
    pub provinces: Vec<String>,
}

impl Body {
    /// The slug of its ID.
    pub fn slug(&self) -> &str {
        slug_of(&self.id)
    }

    /// True for a body scoped to one article ("Tỉnh ủy" in an article that never names the
    /// province: `committee:tinh-uy--bai-1`): it says nothing across articles.
    pub fn scoped(&self) -> bool {
        self.slug().contains(KEY_SEPARATOR)
    }
}

/// What one article says of a person of a given name (borrowing the article's ID and the
/// provinces it names from the graph it is read from).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Occurrence<'a> {
    /// The article's ID.
    pub doc: &'a str,
    /// The year the article (or its facts) is dated, when known.
    pub year: Option<u16>,
    /// The bodies it names the person holding an office in (indices into the body table).
    pub bodies: Vec<usize>,
    /// The provinces the article names (canonical slugs, sorted).
    pub places: &'a [String],
    /// How many times the article names the person.
    pub mentions: usize,
}

impl Occurrence<'_> {
    /// The bodies that say something across articles (not [scoped](Body::scoped)).
    fn context<'a>(&'a self, bodies: &'a [Body]) -> impl Iterator<Item = &'a Body> + 'a {
        self.bodies
            .iter()
            .filter_map(|&b| bodies.get(b))
            .filter(|b| !b.scoped())
    }

    /// True when the article says where the person works.
    pub fn has_context(&self, bodies: &[Body]) -> bool {
        self.context(bodies).next().is_some()
    }

    /// The first (smallest) of [`provinces`](Self::provinces), without gathering them.
    fn first_province<'b>(&'b self, bodies: &'b [Body]) -> Option<&'b str> {
        let own = self
            .context(bodies)
            .filter_map(|b| b.provinces.iter().map(String::as_str).min())
            .min();
        own.or_else(|| self.places.iter().map(String::as_str).min())
    }

    /// The provinces of the person's bodies; when they name none, the provinces the article
    /// names.
    pub fn provinces<'a>(&'a self, bodies: &'a [Body]) -> BTreeSet<&'a str> {
        let own: BTreeSet<&str> = self
            .context(bodies)
            .flat_map(|b| b.provinces.iter().map(String::as_str))
            .collect();
        if own.is_empty() {
            self.places.iter().map(String::as_str).collect()
        } else {
            own
        }
    }
}

/// What an article's context says of a listed person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// An office in a body the gazetteer records for them, in a plausible year.
    Agrees,
    /// Nothing against: no office, offices in central bodies only, or a local office outside
    /// their recorded career.
    Neutral,
    /// An office in a provincial or local body the gazetteer does not record, in a year of
    /// their recorded career (or an unknown year): another person.
    Contradicts,
}

/// What `o` says of the listed person `p`.
///
/// ```
/// use partygraph::identity::{verdict, Body, Level, Listed, Occurrence, Verdict};
/// let p = Listed::parse("Lê A", "Trưởng Ban, Ban Kinh tế Trung ương, 2016-2021");
/// let body = |id: &str, level| Body { id: id.into(), level, parent: None, parent_central: false, provinces: vec![] };
/// let bodies = [body("committee:ban-kinh-te-trung-uong", Level::Central), body("organization:benh-vien-x", Level::Local)];
/// let at = |b: usize, year| Occurrence { bodies: vec![b], year: Some(year), ..Default::default() };
/// assert_eq!(verdict(&at(0, 2018), &bodies, &p), Verdict::Agrees);
/// assert_eq!(verdict(&at(1, 2018), &bodies, &p), Verdict::Contradicts);
/// assert_eq!(verdict(&at(1, 2005), &bodies, &p), Verdict::Neutral);
/// ```
pub fn verdict(o: &Occurrence<'_>, bodies: &[Body], p: &Listed) -> Verdict {
    let mut local = false;
    for b in o.context(bodies) {
        if p.records(b, o.year) {
            return Verdict::Agrees;
        }
        local |= b.level != Level::Central;
    }
    if local && p.in_career(o.year) {
        Verdict::Contradicts
    } else {
        Verdict::Neutral
    }
}

/// The keys of an occurrence's context: two occurrences that share one are one person (rule 2
/// of the [module](self)). A central body is its ID; a provincial or local body is its ID in
/// each of the occurrence's provinces (`committee:x@nghe-an`), so that two hospitals both read
/// as "Bệnh viện Đa khoa" in two provinces stay apart; a provincial or local parent gives the
/// parent's key too (one's body is the other's parent, or both sit under it); a provincial body
/// gives its province (`province:nghe-an`).
///
/// ```
/// use partygraph::identity::{keys, Body, Level, Occurrence};
/// let b = Body { id: "committee:tinh-uy-nghe-an".into(), level: Level::Provincial, parent: None,
///     parent_central: true, provinces: vec!["nghe-an".into()] };
/// let o = Occurrence { bodies: vec![0], ..Default::default() };
/// assert_eq!(keys(&o, &[b]), ["committee:tinh-uy-nghe-an@nghe-an", "province:nghe-an"]);
/// ```
pub fn keys(o: &Occurrence<'_>, bodies: &[Body]) -> Vec<String> {
    let mut out = Vec::new();
    keys_with(
        o,
        bodies,
        &o.provinces(bodies),
        &FxHashMap::default(),
        &mut out,
    );
    let mut keys: Vec<String> = out.iter().map(Key::to_string).collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// A key of [`keys`], borrowed from the occurrence and its bodies (written out by `Display`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key<'a> {
    /// A central body: its ID.
    Central(&'a str),
    /// A provincial or local body (or parent) in a province (`""`: in none known).
    Local(&'a str, &'a str),
    /// A province of a provincial body.
    Province(&'a str),
}

impl fmt::Display for Key<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Key::Central(id) => f.write_str(id),
            Key::Local(id, p) => write!(f, "{id}@{p}"),
            Key::Province(p) => write!(f, "province:{p}"),
        }
    }
}

/// The provincial and local bodies (and parents) a key stands for, each with the provinces of
/// the occurrences that name it and know their province.
type Seen<'a> = FxHashMap<&'a str, BTreeSet<&'a str>>;

/// The bodies of an occurrence that give keys qualified by province (local bodies, local
/// parents).
fn local_ids<'a>(o: &'a Occurrence<'_>, bodies: &'a [Body]) -> impl Iterator<Item = &'a str> + 'a {
    o.context(bodies).flat_map(|b| {
        let own = (b.level != Level::Central).then_some(b.id.as_str());
        let parent = b.parent.as_deref().filter(|_| !b.parent_central);
        own.into_iter().chain(parent)
    })
}

/// [`keys`] (pushed on `out`, possibly repeated), where an occurrence that knows no province
/// takes, for a local body, the one province every other occurrence naming that body is in
/// (`seen`), when there is one.
fn keys_with<'a>(
    o: &'a Occurrence<'_>,
    bodies: &'a [Body],
    provinces: &BTreeSet<&'a str>,
    seen: &Seen<'a>,
    out: &mut Vec<Key<'a>>,
) {
    let local = |id: &'a str, out: &mut Vec<Key<'a>>| {
        if provinces.is_empty() {
            let only = seen
                .get(id)
                .filter(|s| s.len() == 1)
                .and_then(|s| s.first());
            out.push(Key::Local(id, only.copied().unwrap_or("")));
        }
        for p in provinces {
            out.push(Key::Local(id, p));
        }
    };
    for b in o.context(bodies) {
        match b.level {
            Level::Central => out.push(Key::Central(&b.id)),
            _ => local(&b.id, out),
        }
        if let Some(parent) = &b.parent
            && !b.parent_central
        {
            local(parent, out);
        }
        if b.level == Level::Provincial {
            out.extend(b.provinces.iter().map(|p| Key::Province(p)));
        }
    }
}

/// One person: an ID and the occurrences (indices) that name them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    /// The node ID.
    pub id: String,
    /// Indices into the occurrences, ascending.
    pub members: Vec<usize>,
}

/// Groups `members` of `occ` by shared [`keys`] (connected groups, whatever the order).
fn group(members: &[usize], occ: &[Occurrence<'_>], bodies: &[Body]) -> Vec<Vec<usize>> {
    let mut parent: Vec<usize> = (0..members.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let provinces: Vec<BTreeSet<&str>> =
        members.iter().map(|&m| occ[m].provinces(bodies)).collect();
    let mut seen: Seen<'_> = FxHashMap::default();
    for (&m, provinces) in members.iter().zip(&provinces) {
        if provinces.is_empty() {
            continue;
        }
        for id in local_ids(&occ[m], bodies) {
            seen.entry(id)
                .or_default()
                .extend(provinces.iter().copied());
        }
    }
    let mut first: FxHashMap<Key<'_>, usize> = FxHashMap::default();
    let mut keys = Vec::new();
    for (k, &m) in members.iter().enumerate() {
        keys_with(&occ[m], bodies, &provinces[k], &seen, &mut keys);
        for key in keys.drain(..) {
            match first.get(&key) {
                Some(&j) => {
                    let (a, b) = (root(&mut parent, k), root(&mut parent, j));
                    parent[a.max(b)] = a.min(b);
                }
                None => {
                    first.insert(key, k);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (k, &m) in members.iter().enumerate() {
        groups.entry(root(&mut parent, k)).or_default().push(m);
    }
    groups.into_values().collect()
}

/// The context key of a group: the slug of the body its occurrences name most, then the most
/// local, then the smallest; a local body's slug gets the province when it lacks it.
fn context_key(members: &[usize], occ: &[Occurrence<'_>], bodies: &[Body]) -> String {
    let mut count: FxHashMap<usize, usize> = FxHashMap::default();
    for &m in members {
        let mine = &occ[m].bodies;
        for (k, &b) in mine.iter().enumerate() {
            // Each body once per occurrence.
            if !mine[..k].contains(&b) && bodies.get(b).is_some_and(|b| !b.scoped()) {
                *count.entry(b).or_default() += 1;
            }
        }
    }
    let best = count
        .iter()
        .map(|(&b, &n)| (&bodies[b], n))
        .min_by(|(a, na), (b, nb)| {
            nb.cmp(na)
                .then(a.level.cmp(&b.level))
                .then(a.slug().cmp(b.slug()))
                .then(a.id.cmp(&b.id))
        });
    let Some((body, _)) = best else {
        return String::from("x");
    };
    let mut key = body.slug().to_string();
    if body.level != Level::Central
        && let Some(p) = members
            .iter()
            .filter_map(|&m| occ[m].first_province(bodies))
            .min()
        && !has_words(&key, p)
    {
        key.push('-');
        key.push_str(p);
    }
    key
}

/// True when `words` is a run of whole dash-separated words of slug `s` (`"nghe-an"` in
/// `"tinh-uy-nghe-an"`, not in `"tinh-uy-nghe-ann"`).
pub(crate) fn has_words(s: &str, words: &str) -> bool {
    let bytes = s.as_bytes();
    let mut from = 0;
    while let Some(k) = s.get(from..).and_then(|rest| rest.find(words)) {
        let i = from + k;
        let end = i + words.len();
        if (i == 0 || bytes[i - 1] == b'-') && (end == s.len() || bytes[end] == b'-') {
            return true;
        }
        from = i + 1;
        while from < s.len() && !s.is_char_boundary(from) {
            from += 1;
        }
    }
    false
}

/// Decides who is who among the occurrences of the name whose plain ID is `base`: the
/// clusters, the one with the plain ID first (when it has members), then the others by ID.
/// Every occurrence is in exactly one cluster. See the [module](self) for the rule.
///
/// ```
/// use partygraph::identity::{decide, Body, Level, Occurrence};
/// let body = |id: &str, p: &str| Body { id: id.into(), level: Level::Provincial, parent: None,
///     parent_central: true, provinces: vec![p.into()] };
/// let bodies = [body("committee:tinh-uy-nghe-an", "nghe-an"), body("committee:tinh-uy-ha-tinh", "ha-tinh")];
/// let at = |doc, b: usize| Occurrence { doc, bodies: vec![b], mentions: 1, ..Default::default() };
/// let c = decide("person:le-a", &[at("a", 0), at("b", 1), at("c", 0)], &bodies, None);
/// assert_eq!(c.len(), 2);
/// assert_eq!((c[0].id.as_str(), &c[0].members[..]), ("person:le-a", &[0, 2][..]));
/// assert_eq!(c[1].id, "person:le-a--tinh-uy-ha-tinh");
/// ```
pub fn decide(
    base: &str,
    occ: &[Occurrence<'_>],
    bodies: &[Body],
    listed: Option<&Listed>,
) -> Vec<Cluster> {
    let (quiet, speaking): (Vec<usize>, Vec<usize>) =
        (0..occ.len()).partition(|&i| !occ[i].has_context(bodies));
    // The other groups, each with its context key.
    let key = |g: Vec<usize>| (context_key(&g, occ, bodies), g);
    let (mut main, mut named): (Vec<usize>, Vec<(String, Vec<usize>)>) = match listed {
        Some(p) => {
            let (theirs, contra): (Vec<usize>, Vec<usize>) = speaking
                .iter()
                .partition(|&&i| verdict(&occ[i], bodies, p) != Verdict::Contradicts);
            let others = group(&contra, occ, bodies).into_iter().map(key).collect();
            (theirs, others)
        }
        None => {
            let mut groups = group(&speaking, occ, bodies);
            if groups.len() <= 1 {
                (groups.pop().unwrap_or_default(), Vec::new())
            } else {
                // The main group: the most mentions, then the smallest context key.
                let mut keyed: Vec<(String, Vec<usize>)> = groups.into_iter().map(key).collect();
                let mentions: Vec<usize> = keyed
                    .iter()
                    .map(|(_, g)| g.iter().map(|&i| occ[i].mentions).sum())
                    .collect();
                let best = (0..keyed.len())
                    .min_by(|&a, &b| {
                        (mentions[b].cmp(&mentions[a])).then_with(|| keyed[a].0.cmp(&keyed[b].0))
                    })
                    .unwrap_or(0);
                let (_, m) = keyed.swap_remove(best);
                (m, keyed)
            }
        }
    };
    main.extend(quiet);
    main.sort_unstable();
    named.sort();
    let mut out = Vec::new();
    if !main.is_empty() {
        out.push(Cluster {
            id: base.to_string(),
            members: main,
        });
    }
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut rest = Vec::new();
    for (key, members) in named {
        let mut id = format!("{base}{KEY_SEPARATOR}{key}");
        let mut n = 2;
        while seen.contains(&id) {
            id = format!("{base}{KEY_SEPARATOR}{key}-{n}");
            n += 1;
        }
        seen.insert(id.clone());
        rest.push(Cluster { id, members });
    }
    rest.sort_by(|a, b| a.id.cmp(&b.id));
    out.extend(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The provinces an article names, as an occurrence borrows them (leaked: tests only).
    fn places(p: &str) -> &'static [String] {
        Vec::leak(vec![p.to_string()])
    }

    fn body(id: &str, level: Level, provinces: &[&str]) -> Body {
        Body {
            id: id.into(),
            level,
            parent: None,
            parent_central: true,
            provinces: provinces.iter().map(|p| p.to_string()).collect(),
        }
    }

    fn at<'a>(doc: &'a str, year: u16, bodies: &[usize]) -> Occurrence<'a> {
        Occurrence {
            doc,
            year: Some(year),
            bodies: bodies.to_vec(),
            places: &[],
            mentions: 1,
        }
    }

    fn ids(c: &[Cluster]) -> Vec<(&str, Vec<usize>)> {
        c.iter()
            .map(|c| (c.id.as_str(), c.members.clone()))
            .collect()
    }

    fn binh() -> Listed {
        Listed::parse(
            "Lê Văn Bình",
            "Thống đốc, Ngân hàng Nhà nước Việt Nam, 2011-2016 | Trưởng Ban, Ban Kinh tế Trung ương, 2016-2021 | Ủy viên, Bộ Chính trị khóa XII, 2016-2021",
        )
    }

    #[test]
    fn base_ids_fold_namesakes_only() {
        assert_eq!(base_id("person:le-a--so-y-te"), "person:le-a");
        assert_eq!(base_id("person:le-a"), "person:le-a");
        assert_eq!(
            base_id("committee:tinh-uy--bai-1"),
            "committee:tinh-uy--bai-1"
        );
    }

    #[test]
    fn offices_parse_with_and_without_years() {
        let p = Listed::parse(
            "X",
            "Thứ trưởng, Bộ Công an | Thường trực Ban Bí thư, Ban Bí thư, 2024 | Ủy viên, Ban Bí thư khóa XIII",
        );
        assert_eq!(p.offices.len(), 3);
        assert_eq!(
            (p.offices[0].body.as_str(), p.offices[0].from),
            ("bo-cong-an", None)
        );
        assert_eq!(
            (p.offices[1].from, p.offices[1].to),
            (Some(2024), Some(2024))
        );
        assert_eq!(p.offices[1].title, "Thường trực Ban Bí thư");
        assert_eq!(p.offices[2].body, "ban-bi-thu");
        assert_eq!(binh().career(), Some((2011, Some(2021))));
    }

    #[test]
    fn a_recorded_office_in_a_plausible_year_agrees() {
        let bodies = [
            body("committee:ban-kinh-te-trung-uong", Level::Central, &[]),
            body("committee:bo-chinh-tri", Level::Central, &[]),
        ];
        assert_eq!(
            verdict(&at("a", 2017, &[0]), &bodies, &binh()),
            Verdict::Agrees
        );
        assert_eq!(
            verdict(&at("a", 2021, &[1]), &bodies, &binh()),
            Verdict::Agrees
        );
        // Long after the office: no longer agreeing, but a central body does not contradict.
        assert_eq!(
            verdict(&at("a", 2030, &[0]), &bodies, &binh()),
            Verdict::Neutral
        );
    }

    #[test]
    fn a_recorded_body_s_sub_body_agrees() {
        let mut b = body(
            "committee:ban-thuong-vu-tinh-uy-nghe-an",
            Level::Provincial,
            &["nghe-an"],
        );
        b.parent = Some("committee:tinh-uy-nghe-an".into());
        let p = Listed::parse(
            "X",
            "Bí thư, Tỉnh ủy Nghệ An, 2010-2015 | Ủy viên, Bộ Chính trị khóa XII, 2016-2021",
        );
        assert_eq!(
            verdict(&at("a", 2012, &[0]), &[b.clone()], &p),
            Verdict::Agrees
        );
        // The same body years after: another secretary of the province.
        assert_eq!(
            verdict(&at("a", 2019, &[0]), &[b], &p),
            Verdict::Contradicts
        );
    }

    #[test]
    fn a_local_office_in_the_career_contradicts_and_before_it_does_not() {
        let bodies = [body(
            "organization:benh-vien-da-khoa",
            Level::Local,
            &["dong-nai"],
        )];
        assert_eq!(
            verdict(&at("a", 2019, &[0]), &bodies, &binh()),
            Verdict::Contradicts
        );
        assert_eq!(
            verdict(&at("a", 2001, &[0]), &bodies, &binh()),
            Verdict::Neutral
        );
        let undated = Occurrence {
            year: None,
            ..at("a", 0, &[0])
        };
        assert_eq!(verdict(&undated, &bodies, &binh()), Verdict::Contradicts);
        // A recorded office beside it wins.
        let both = [
            bodies[0].clone(),
            body("committee:bo-chinh-tri", Level::Central, &[]),
        ];
        assert_eq!(
            verdict(&at("a", 2019, &[0, 1]), &both, &binh()),
            Verdict::Agrees
        );
    }

    #[test]
    fn no_context_is_neutral_and_joins_the_listed_person() {
        let bodies = [body(
            "organization:benh-vien-da-khoa",
            Level::Local,
            &["dong-nai"],
        )];
        let occ = [at("a", 2019, &[]), at("b", 2019, &[0]), at("c", 2018, &[])];
        assert_eq!(verdict(&occ[0], &bodies, &binh()), Verdict::Neutral);
        let c = decide("person:le-van-binh", &occ, &bodies, Some(&binh()));
        assert_eq!(
            ids(&c),
            [
                ("person:le-van-binh", vec![0, 2]),
                ("person:le-van-binh--benh-vien-da-khoa-dong-nai", vec![1])
            ]
        );
    }

    #[test]
    fn the_plain_id_stays_with_the_listed_person_even_when_absent() {
        let bodies = [body(
            "committee:so-y-te-dong-nai",
            Level::Provincial,
            &["dong-nai"],
        )];
        let c = decide(
            "person:le-van-binh",
            &[at("a", 2019, &[0])],
            &bodies,
            Some(&binh()),
        );
        assert_eq!(ids(&c), [("person:le-van-binh--so-y-te-dong-nai", vec![0])]);
    }

    #[test]
    fn two_provinces_two_people() {
        let bodies = [
            body("committee:tinh-uy-nghe-an", Level::Provincial, &["nghe-an"]),
            body("committee:tinh-uy-ha-tinh", Level::Provincial, &["ha-tinh"]),
        ];
        let occ = [at("a", 2019, &[0]), at("b", 2019, &[1])];
        let c = decide("person:le-a", &occ, &bodies, None);
        // Equal mentions: the smaller context key is the main one.
        assert_eq!(
            ids(&c),
            [
                ("person:le-a", vec![1]),
                ("person:le-a--tinh-uy-nghe-an", vec![0])
            ]
        );
    }

    #[test]
    fn provincial_offices_of_one_province_are_one_person() {
        let bodies = [
            body(
                "organization:uy-ban-nhan-dan-tinh-nghe-an",
                Level::Provincial,
                &["nghe-an"],
            ),
            body("committee:tinh-uy-nghe-an", Level::Provincial, &["nghe-an"]),
        ];
        let occ = [at("a", 2015, &[0]), at("b", 2020, &[1])];
        assert_eq!(decide("person:le-a", &occ, &bodies, None).len(), 1);
    }

    #[test]
    fn a_body_and_its_parent_are_one_person_a_central_parent_is_not() {
        let mut commune = body("committee:dang-uy-xa-x", Level::Local, &["nghe-an"]);
        commune.parent = Some("committee:huyen-uy-y".into());
        commune.parent_central = false;
        let district = body("committee:huyen-uy-y", Level::Local, &["nghe-an"]);
        let mut board_a = body("committee:ban-a-trung-uong", Level::Central, &[]);
        board_a.parent = Some("committee:ban-chap-hanh-trung-uong-dang".into());
        let mut board_b = body("committee:ban-b-trung-uong", Level::Central, &[]);
        board_b.parent = board_a.parent.clone();
        let bodies = [commune, district, board_a, board_b];
        let one = decide(
            "person:le-a",
            &[at("a", 2015, &[0]), at("b", 2020, &[1])],
            &bodies,
            None,
        );
        assert_eq!(one.len(), 1);
        let two = decide(
            "person:le-a",
            &[at("a", 2015, &[2]), at("b", 2020, &[3])],
            &bodies,
            None,
        );
        assert_eq!(two.len(), 2);
    }

    #[test]
    fn a_generic_local_body_is_one_person_only_within_a_province() {
        let bodies = [body("organization:benh-vien-da-khoa", Level::Local, &[])];
        let mut a = at("a", 2019, &[0]);
        a.places = places("dong-nai");
        let mut b = at("b", 2019, &[0]);
        b.places = places("nghe-an");
        let mut c = at("c", 2020, &[0]);
        c.places = places("dong-nai");
        let got = decide("person:le-a", &[a, b, c], &bodies, None);
        assert_eq!(
            ids(&got),
            [
                ("person:le-a", vec![0, 2]),
                ("person:le-a--benh-vien-da-khoa-nghe-an", vec![1])
            ]
        );
    }

    #[test]
    fn an_article_that_names_no_province_joins_the_one_province_of_its_body() {
        let bodies = [body("organization:vien-x", Level::Local, &[])];
        let mut a = at("a", 2019, &[0]);
        a.places = places("ha-noi");
        let b = at("b", 2020, &[0]);
        assert_eq!(
            decide("person:le-a", &[a.clone(), b.clone()], &bodies, None).len(),
            1
        );
        // Two provinces name the body: the article that names none stays apart.
        let mut c = at("c", 2020, &[0]);
        c.places = places("hue");
        assert_eq!(decide("person:le-a", &[a, b, c], &bodies, None).len(), 3);
    }

    #[test]
    fn the_main_group_has_the_most_mentions_and_no_context_joins_it() {
        let bodies = [
            body("committee:tinh-uy-nghe-an", Level::Provincial, &["nghe-an"]),
            body("committee:tinh-uy-ha-tinh", Level::Provincial, &["ha-tinh"]),
        ];
        let mut big = at("b", 2019, &[0]);
        big.mentions = 3;
        let occ = [at("a", 2019, &[1]), big, at("c", 2019, &[])];
        let c = decide("person:le-a", &occ, &bodies, None);
        assert_eq!(
            ids(&c),
            [
                ("person:le-a", vec![1, 2]),
                ("person:le-a--tinh-uy-ha-tinh", vec![0])
            ]
        );
    }

    #[test]
    fn decisions_do_not_depend_on_the_order_of_occurrences() {
        let bodies = [
            body("committee:tinh-uy-nghe-an", Level::Provincial, &["nghe-an"]),
            body("committee:tinh-uy-ha-tinh", Level::Provincial, &["ha-tinh"]),
            body("organization:benh-vien-x", Level::Local, &["ha-tinh"]),
        ];
        let occ = vec![
            at("a", 2019, &[0]),
            at("b", 2019, &[1]),
            at("c", 2019, &[2]),
            at("d", 2019, &[]),
            at("e", 2019, &[0, 1]),
        ];
        let named = |occ: &[Occurrence<'_>]| -> BTreeSet<(String, BTreeSet<String>)> {
            decide("person:le-a", occ, &bodies, None)
                .into_iter()
                .map(|c| {
                    (
                        c.id,
                        c.members.iter().map(|&i| occ[i].doc.to_string()).collect(),
                    )
                })
                .collect()
        };
        let want = named(&occ);
        let mut rev = occ.clone();
        rev.reverse();
        assert_eq!(named(&rev), want);
        rev.rotate_left(2);
        assert_eq!(named(&rev), want);
    }

    #[test]
    fn colliding_keys_are_numbered() {
        let bodies = [
            body("organization:benh-vien", Level::Local, &[]),
            body("organization:benh-vien-ha-tinh", Level::Central, &[]),
            body("committee:tinh-uy-nghe-an", Level::Provincial, &["nghe-an"]),
        ];
        let mut a = at("a", 2019, &[0]);
        a.places = places("ha-tinh");
        let mut main = at("c", 2019, &[2]);
        main.mentions = 5;
        let got = decide(
            "person:le-a",
            &[a, at("b", 2019, &[1]), main],
            &bodies,
            None,
        );
        assert_eq!(
            ids(&got),
            [
                ("person:le-a", vec![2]),
                ("person:le-a--benh-vien-ha-tinh", vec![0]),
                ("person:le-a--benh-vien-ha-tinh-2", vec![1])
            ]
        );
    }

    #[test]
    fn has_words_takes_whole_dash_separated_words() {
        assert!(has_words("tinh-uy-nghe-an", "nghe-an"));
        assert!(has_words("nghe-an", "nghe-an"));
        assert!(has_words("so-y-te-ha-noi", "so"));
        assert!(!has_words("tinh-uy-nghe-ann", "nghe-an"));
        assert!(!has_words("tinh-uy-xnghe-an", "nghe-an"));
        // A first match cut short does not hide a later whole one.
        assert!(has_words("xa-a-a", "a-a"));
    }

    #[test]
    fn provinces_are_found_between_dashes_longest_first() {
        let mut r = Roster::default();
        for p in ["Hà Nam", "Nam Định", "Quảng Nam", "Hà Nội"] {
            r.add_place(p);
        }
        assert_eq!(r.provinces_in("tinh-uy-quang-nam"), ["quang-nam"]);
        assert_eq!(
            r.provinces_in("so-y-te-ha-noi-nam-dinh"),
            ["ha-noi", "nam-dinh"]
        );
        assert!(r.provinces_in("tinh-uy-hanam").is_empty());
    }
}
