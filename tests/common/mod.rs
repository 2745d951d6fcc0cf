//! Shared helpers for the integration tests: where the seeds are, and scoring against gold.
#![allow(dead_code)]

pub mod tools;

use partygraph::text::{Fold, fold};
use partygraph::{EntityKind, Extraction, Extractor, RelationKind};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// `../shared` beside the repository, when it is there. Panics when it is missing and the CI
/// variable is set; otherwise prints a notice and returns `None`.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.join("seeds").is_dir() && dir.join("gold").is_dir() {
        return Some(dir);
    }
    if std::env::var_os("CI").is_some() {
        panic!("CI is set but ../shared/seeds and ../shared/gold are missing");
    }
    eprintln!("notice: ../shared not found beside the repository; skipping the seed tests");
    None
}

/// A corpus of (text, gold) pairs: `dir/<articles>/*.txt` with `dir/<gold>/*.json`.
pub fn load_pairs(articles: &Path, gold: &Path) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(articles)
        .expect("articles folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    files.sort();
    for f in files {
        let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
        let g = gold.join(format!("{stem}.json"));
        let text = std::fs::read_to_string(&f).expect("article is UTF-8");
        let gold: Value = serde_json::from_str(&std::fs::read_to_string(&g).expect("gold file"))
            .expect("gold JSON");
        out.push((stem, text, gold));
    }
    out
}

/// Precision / recall counts.
#[derive(Default, Clone, Copy, Debug)]
pub struct Score {
    pub tp: usize,
    pub fp: usize,
    pub fn_: usize,
}

impl Score {
    pub fn add(&mut self, o: Score) {
        self.tp += o.tp;
        self.fp += o.fp;
        self.fn_ += o.fn_;
    }
    pub fn precision(&self) -> f64 {
        if self.tp + self.fp == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fp) as f64
        }
    }
    pub fn recall(&self) -> f64 {
        if self.tp + self.fn_ == 0 {
            1.0
        } else {
            self.tp as f64 / (self.tp + self.fn_) as f64
        }
    }
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn key(s: &str) -> String {
    fold(s, Fold::Ascii)
}

/// The body key of a committee name under the gold conventions: "Đảng ủy X", "Đảng bộ X",
/// "Ban Chấp hành Đảng bộ X", "BCH Đảng bộ X" and "Tỉnh ủy X" (for "Đảng bộ tỉnh X") are one body.
pub fn body_key(name: &str) -> String {
    let k = key(name).replace(['(', ')'], " ");
    let k = k.split_whitespace().collect::<Vec<_>>().join(" ");
    for p in [
        "ban chap hanh dang bo ",
        "bch dang bo ",
        "dang bo ",
        "dang uy ",
    ] {
        if let Some(rest) = k.strip_prefix(p) {
            return format!("E:{rest}");
        }
    }
    for (p, u) in [
        ("tinh uy ", "tinh "),
        ("thanh uy ", "thanh pho "),
        ("quan uy ", "quan "),
        ("huyen uy ", "huyen "),
        ("thi uy ", "thi xa "),
    ] {
        if let Some(rest) = k.strip_prefix(p) {
            return format!("E:{u}{rest}");
        }
    }
    k
}

fn code_key(s: &str) -> String {
    key(s).chars().filter(|c| !c.is_whitespace()).collect()
}

fn strs(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// Groups of keys that name one thing; two groups that share a key are one.
fn merge_groups(groups: Vec<BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    let mut out: Vec<BTreeSet<String>> = Vec::new();
    for g in groups {
        let mut g = g;
        let mut i = 0;
        while i < out.len() {
            if out[i].intersection(&g).next().is_some() {
                let o = out.remove(i);
                g.extend(o);
                i = 0;
            } else {
                i += 1;
            }
        }
        out.push(g);
    }
    out
}

fn debug() -> bool {
    std::env::var_os("PG_DEBUG").is_some()
}

fn match_groups(
    gold: &[BTreeSet<String>],
    pred: &[BTreeSet<String>],
    optional: &BTreeSet<String>,
) -> Score {
    let mut used = vec![false; pred.len()];
    let mut s = Score::default();
    for g in gold {
        match (0..pred.len()).find(|&i| !used[i] && pred[i].intersection(g).next().is_some()) {
            Some(i) => {
                used[i] = true;
                s.tp += 1;
            }
            None => {
                if debug() {
                    eprintln!("    FN {g:?}");
                }
                s.fn_ += 1
            }
        }
    }
    for (i, p) in pred.iter().enumerate() {
        if !used[i]
            && p.intersection(optional).next().is_none()
            && !gold.iter().any(|g| g.intersection(p).next().is_some())
        {
            if debug() {
                eprintln!("    FP {p:?}");
            }
            s.fp += 1;
        }
    }
    s
}

/// Scores of one document by category.
pub type Scores = BTreeMap<&'static str, Score>;

fn entity_keys(
    ex: &Extraction,
    kind: EntityKind,
    f: fn(&str) -> String,
) -> Vec<(String, BTreeSet<String>)> {
    ex.entities
        .iter()
        .filter(|e| e.kind == kind && !e.mentions.is_empty())
        .map(|e| {
            let mut ks: BTreeSet<String> = e.aliases.iter().map(|a| f(a)).collect();
            ks.insert(f(&e.label));
            if let Some(c) = &e.attrs.code {
                ks.insert(format!("code:{}", code_key(c)));
            }
            (e.id.clone(), ks)
        })
        .collect()
}

/// Scores one extraction against one gold annotation.
pub fn score(ex: &Extraction, gold: &Value) -> Scores {
    let mut out = Scores::new();
    // People: persons with at least one acting (not reference-only) mention.
    let pred_people: Vec<(String, BTreeSet<String>)> = ex
        .entities
        .iter()
        .filter(|e| e.kind == EntityKind::Person && e.mentions.iter().any(|m| !m.reference_only))
        .map(|e| (e.id.clone(), [key(&e.label)].into_iter().collect()))
        .collect();
    let gold_people: Vec<BTreeSet<String>> = gold["people"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| [key(p["name"].as_str().unwrap())].into_iter().collect())
        .collect();
    let opt_people: BTreeSet<String> = strs(&gold["optional"]["people"])
        .iter()
        .map(|s| key(s))
        .collect();
    let pp: Vec<BTreeSet<String>> = pred_people.iter().map(|p| p.1.clone()).collect();
    out.insert("people", match_groups(&gold_people, &pp, &opt_people));

    // Committees, under the body conventions.
    let pred_c: Vec<BTreeSet<String>> = merge_groups(
        entity_keys(ex, EntityKind::Committee, body_key)
            .into_iter()
            .map(|x| x.1)
            .collect(),
    );
    let gold_c: Vec<BTreeSet<String>> = merge_groups(
        gold["committees"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                let mut s: BTreeSet<String> =
                    strs(&c["aliases"]).iter().map(|a| body_key(a)).collect();
                s.insert(body_key(c["name"].as_str().unwrap()));
                s
            })
            .collect(),
    );
    let opt_c: BTreeSet<String> = strs(&gold["optional"]["committees"])
        .iter()
        .map(|s| body_key(s))
        .collect();
    out.insert("committees", match_groups(&gold_c, &pred_c, &opt_c));

    // Resolutions: by code, or by title.
    let res_key = |s: &str| {
        key(s)
            .replace(['(', ')'], "")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let pred_r = entity_keys(ex, EntityKind::Resolution, |s| {
        key(s)
            .replace(['(', ')'], "")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    });
    let gold_r: Vec<BTreeSet<String>> = gold["resolutions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let mut s = BTreeSet::new();
            if let Some(c) = r["code"].as_str() {
                s.insert(format!("code:{}", code_key(c)));
            }
            if let Some(t) = r["title"].as_str() {
                s.insert(res_key(t));
            }
            s
        })
        .collect();
    let opt_r: BTreeSet<String> = strs(&gold["optional"]["resolutions"])
        .iter()
        .map(|s| res_key(s))
        .collect();
    let pr: Vec<BTreeSet<String>> = pred_r.iter().map(|p| p.1.clone()).collect();
    out.insert("resolutions", match_groups(&gold_r, &pr, &opt_r));

    // Relations. Names of nodes by ID for this document.
    let label: BTreeMap<&str, &partygraph::EntityRecord> =
        ex.entities.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut pred_rel: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    for r in &ex.relations {
        let src = label.get(r.source.as_str());
        let dst = label.get(r.target.as_str());
        let (Some(src), Some(dst)) = (src, dst) else {
            continue;
        };
        let cat = match r.kind {
            RelationKind::Chairs => "chairs",
            RelationKind::Attends => "attends",
            RelationKind::SpeaksAt => "speaks",
            RelationKind::Organizes => "organizes",
            RelationKind::References => "references",
            RelationKind::HoldsPosition => "positions",
            _ => continue,
        };
        let k = match r.kind {
            RelationKind::Organizes => body_key(&src.label),
            RelationKind::References => dst.id.clone(),
            RelationKind::HoldsPosition => format!(
                "{}|{}",
                key(&src.label),
                key(r.title.as_deref().unwrap_or(""))
            ),
            _ => key(&src.label),
        };
        pred_rel.entry(cat).or_default().insert(k);
    }
    let mut gold_rel: BTreeMap<&'static str, BTreeSet<String>> = BTreeMap::new();
    for m in gold["meetings"].as_array().unwrap() {
        for (field, cat) in [
            ("chairs", "chairs"),
            ("attendees", "attends"),
            ("speakers", "speaks"),
        ] {
            for p in strs(&m[field]) {
                gold_rel.entry(cat).or_default().insert(key(&p));
            }
        }
        for o in strs(&m["organizers"]) {
            gold_rel
                .entry("organizes")
                .or_default()
                .insert(body_key(&o));
        }
        for r in strs(&m["references"]) {
            // The predicted resolution this reference names, if any.
            let rk = [format!("code:{}", code_key(&r)), res_key(&r)];
            let hit = pred_r
                .iter()
                .find(|(_, ks)| rk.iter().any(|k| ks.contains(k)));
            let k = hit
                .map(|h| h.0.clone())
                .unwrap_or_else(|| format!("missing:{r}"));
            gold_rel.entry("references").or_default().insert(k);
        }
    }
    for p in gold["people"].as_array().unwrap() {
        for pos in p["positions"].as_array().unwrap() {
            gold_rel.entry("positions").or_default().insert(format!(
                "{}|{}",
                key(p["name"].as_str().unwrap()),
                key(pos["title"].as_str().unwrap())
            ));
        }
    }
    for cat in ["chairs", "attends", "speaks", "organizes", "references"] {
        let g = gold_rel.remove(cat).unwrap_or_default();
        let p = pred_rel.remove(cat).unwrap_or_default();
        let organizer_ok = |x: &String| cat == "organizes" && g.iter().any(|y| y == x);
        let tp = g.iter().filter(|x| p.contains(*x)).count();
        if debug() {
            for x in g.iter().filter(|x| !p.contains(*x)) {
                eprintln!("    FN {cat} {x}");
            }
            for x in p.iter().filter(|x| !g.contains(*x) && !organizer_ok(x)) {
                eprintln!("    FP {cat} {x}");
            }
        }
        let fp = p
            .iter()
            .filter(|x| !g.contains(*x) && !organizer_ok(x))
            .count();
        out.insert(
            cat,
            Score {
                tp,
                fp,
                fn_: g.len() - tp,
            },
        );
    }
    // Positions: a title that contains, or is contained in, the gold title.
    let g = gold_rel.remove("positions").unwrap_or_default();
    let p = pred_rel.remove("positions").unwrap_or_default();
    let same = |a: &String, b: &String| {
        let (pa, ta) = a.split_once('|').unwrap();
        let (pb, tb) = b.split_once('|').unwrap();
        pa == pb && (ta.contains(tb) || tb.contains(ta))
    };
    let mut used = vec![false; p.len()];
    let pv: Vec<&String> = p.iter().collect();
    let mut s = Score::default();
    for x in &g {
        match (0..pv.len()).find(|&i| !used[i] && same(x, pv[i])) {
            Some(i) => {
                used[i] = true;
                s.tp += 1;
            }
            None => s.fn_ += 1,
        }
    }
    s.fp = (0..pv.len())
        .filter(|&i| !used[i] && !g.iter().any(|x| same(x, pv[i])))
        .count();
    if debug() {
        for x in &g {
            if !pv.iter().any(|p| same(x, p)) {
                eprintln!("    FN position {x}");
            }
        }
        for (i, p) in pv.iter().enumerate() {
            if !used[i] && !g.iter().any(|x| same(x, p)) {
                eprintln!("    FP position {p}");
            }
        }
    }
    out.insert("positions", s);
    out
}

/// Runs the extractor over pairs and sums the scores by category, printing a table.
pub fn evaluate(label: &str, pairs: &[(String, String, Value)], verbose: bool) -> Scores {
    let ex = Extractor::new().expect("embedded gazetteers load");
    let mut total = Scores::new();
    for (id, text, gold) in pairs {
        let out = ex.extract_str(id, text);
        if debug() {
            eprintln!("  -- {id}");
        }
        let s = score(&out, gold);
        if verbose {
            let line: Vec<String> = s
                .iter()
                .map(|(k, v)| format!("{k} {}/{}/{}", v.tp, v.fp, v.fn_))
                .collect();
            eprintln!("  {id}: {}", line.join(", "));
        }
        for (k, v) in s {
            total.entry(k).or_default().add(v);
        }
    }
    eprintln!("{label}: category      P      R      F1   (tp/fp/fn)");
    for (k, v) in &total {
        eprintln!(
            "{label}: {k:<12} {:.3}  {:.3}  {:.3}  ({}/{}/{})",
            v.precision(),
            v.recall(),
            v.f1(),
            v.tp,
            v.fp,
            v.fn_
        );
    }
    total
}

/// The relation categories summed.
pub fn relations_overall(s: &Scores) -> Score {
    let mut t = Score::default();
    for k in [
        "chairs",
        "attends",
        "speaks",
        "organizes",
        "references",
        "positions",
    ] {
        if let Some(v) = s.get(k) {
            t.add(*v);
        }
    }
    t
}
