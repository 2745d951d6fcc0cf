//! Word lists the recognizers look up token by token: titles, honorifics, document types and
//! trigger phrases, in both folds.

use crate::gazetteer::{Gazetteer, TitleCategory, TriggerRole};
use crate::text::{fold, Fold, Normalized};
use crate::token::{tokenize, Token, TokenKind};
use std::collections::{HashMap, HashSet};

/// A trie over folded token sequences: finds the longest listed phrase starting at a token.
#[derive(Debug, Clone)]
pub struct PhraseTrie<T> {
    nodes: Vec<(HashMap<String, usize>, Option<T>)>,
}

impl<T: Clone> Default for PhraseTrie<T> {
    fn default() -> Self {
        PhraseTrie {
            nodes: vec![(HashMap::new(), None)],
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
    pub fn insert(&mut self, phrase: &str, f: Fold, value: T) {
        let toks = phrase_tokens(phrase, f);
        if toks.is_empty() {
            return;
        }
        let mut at = 0;
        for t in toks {
            at = match self.nodes[at].0.get(&t) {
                Some(&n) => n,
                None => {
                    self.nodes.push((HashMap::new(), None));
                    let n = self.nodes.len() - 1;
                    self.nodes[at].0.insert(t, n);
                    n
                }
            };
        }
        if self.nodes[at].1.is_none() {
            self.nodes[at].1 = Some(value);
        }
    }

    /// The longest phrase starting at token `i`: (end token, value). Line breaks stop a phrase.
    pub fn longest_at(&self, tokens: &[Token], n: &Normalized, i: usize) -> Option<(usize, &T)> {
        let mut at = 0;
        let mut best = None;
        let mut j = i;
        while j < tokens.len() && tokens[j].kind != TokenKind::Newline {
            match self.nodes[at].0.get(tokens[j].text(n)) {
                Some(&next) => {
                    at = next;
                    j += 1;
                    if let Some(v) = &self.nodes[at].1 {
                        best = Some((j, v));
                    }
                }
                None => break,
            }
        }
        best
    }

    /// True when some phrase starts with the token text `t`.
    pub fn starts_with(&self, t: &str) -> bool {
        self.nodes[0].0.contains_key(t)
    }
}

/// What a title phrase is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TitleInfo {
    /// The title as written in full in the gazetteer.
    pub canonical: String,
    /// Its category.
    pub category: TitleCategory,
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
    /// Trigger phrases → roles.
    pub triggers: PhraseTrie<Vec<TriggerRole>>,
    /// Family names, folded.
    pub surnames: HashSet<String>,
    /// Issuer code parts (folded) → (issuer, unambiguous).
    pub issuers: HashMap<String, (String, bool)>,
}

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
    fn new(g: &Gazetteer, f: Fold) -> FoldedLexicon {
        let mut lx = FoldedLexicon::default();
        for t in g.titles() {
            let info = TitleInfo {
                canonical: t.title.clone(),
                category: t.category,
            };
            lx.titles.insert(&t.title, f, info.clone());
            for a in &t.aliases {
                lx.titles.insert(a, f, info.clone());
            }
        }
        for d in g.doctypes() {
            let v = (d.name.clone(), d.code.clone());
            lx.doctypes.insert(&d.name, f, v.clone());
            for a in &d.aliases {
                // Short aliases ("NQ") are code parts, not words of running text.
                if a.chars().any(char::is_lowercase) {
                    lx.doctypes.insert(a, f, v.clone());
                }
            }
            lx.type_codes
                .entry(fold(&d.code, f))
                .or_insert_with(|| d.name.clone());
        }
        let mut triggers: HashMap<String, (String, Vec<TriggerRole>)> = HashMap::new();
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
            lx.triggers.insert(&phrase, f, roles);
        }
        lx.surnames = g.surnames().iter().map(|s| fold(s, f)).collect();
        for i in g.issuers() {
            lx.issuers
                .entry(fold(&i.code, f))
                .or_insert_with(|| (i.issuer.clone(), i.unambiguous));
        }
        lx
    }
}
