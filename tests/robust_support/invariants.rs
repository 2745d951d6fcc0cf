//! The robustness invariants, shared by the fuzz target (`fuzz/fuzz_targets/pipeline.rs`), the
//! proptest file (`tests/prop_invariants.rs`) and the regression test
//! (`tests/robust_regressions.rs`).
//!
//! For any bytes, read as text or HTML:
//! - nothing panics;
//! - every mention and evidence span lies inside the input, on character boundaries of the input
//!   (for invalid UTF-8: on boundaries between decoded sequences), and its text is the input's
//!   text there (for a text file) or part of the extracted text (HTML, replaced bytes);
//! - the folded view maps every character back inside the input, on character boundaries;
//! - the JSON output parses and holds the same spans;
//! - the DOT output is accepted by the DOT grammar ([`dot_grammar::check`]).

#![allow(dead_code)]

use partygraph::corpus::{self, InputFormat};
use partygraph::export::{self, DotOptions};
use partygraph::text::{Fold, Normalized};
use partygraph::{DocumentInfo, Extraction, Extractor, KnowledgeGraph};
use std::sync::OnceLock;

/// One extractor for the whole process (building it takes a moment).
pub fn extractor() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| match Extractor::new() {
        Ok(ex) => ex,
        Err(e) => panic!("embedded gazetteers do not load: {e}"),
    })
}

/// For every byte offset of `raw` (and its length), whether a decoded character starts there:
/// the start of a valid UTF-8 character or of an invalid sequence (each of which reads as one
/// U+FFFD).
pub fn boundaries(raw: &[u8]) -> Vec<bool> {
    let mut b = vec![false; raw.len() + 1];
    let mut at = 0;
    for chunk in raw.utf8_chunks() {
        for (i, _) in chunk.valid().char_indices() {
            b[at + i] = true;
        }
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            b[at] = true;
            at += chunk.invalid().len();
        }
    }
    b[raw.len()] = true;
    b
}

fn doc_info(id: &str) -> DocumentInfo {
    corpus::document_info(id, id)
}

/// Checks one span of the input.
fn check_span(
    what: &str,
    raw: &[u8],
    bounds: &[bool],
    start: usize,
    end: usize,
) -> Result<(), String> {
    if start > end || end > raw.len() {
        return Err(format!(
            "{what}: span {start}..{end} outside the input (0..{})",
            raw.len()
        ));
    }
    if !bounds[start] || !bounds[end] {
        return Err(format!(
            "{what}: span {start}..{end} not on character boundaries"
        ));
    }
    Ok(())
}

/// Checks an extraction's spans against the input `raw` it was read from.
pub fn check_extraction(raw: &[u8], text: &corpus::Text, x: &Extraction) -> Result<(), String> {
    let bounds = boundaries(raw);
    let verbatim = text.maps().is_empty();
    let check_text = |what: &str, start: usize, end: usize, written: &str| -> Result<(), String> {
        if verbatim {
            let there =
                std::str::from_utf8(&raw[start..end]).map_err(|e| format!("{what}: {e}"))?;
            if there != written {
                return Err(format!(
                    "{what}: text {written:?} but the input has {there:?} at {start}..{end}"
                ));
            }
        } else if !text.text.contains(written) {
            return Err(format!(
                "{what}: text {written:?} is not in the extracted text"
            ));
        }
        Ok(())
    };
    for e in &x.entities {
        if e.id.is_empty() || !e.id.contains(':') {
            return Err(format!("entity with a bad ID {:?}", e.id));
        }
        for m in &e.mentions {
            let what = format!("mention of {} {:?}", e.id, m.text);
            check_span(&what, raw, &bounds, m.start, m.end)?;
            check_text(&what, m.start, m.end, &m.text)?;
            if m.doc != x.document.id {
                return Err(format!(
                    "{what}: document {:?} instead of {:?}",
                    m.doc, x.document.id
                ));
            }
            if !(0.0..=1.0).contains(&m.confidence) {
                return Err(format!("{what}: confidence {}", m.confidence));
            }
        }
    }
    for r in &x.relations {
        let what = format!("evidence of {} {} {}", r.source, r.kind, r.target);
        check_span(&what, raw, &bounds, r.evidence.start, r.evidence.end)?;
        check_text(&what, r.evidence.start, r.evidence.end, &r.evidence.text)?;
    }
    Ok(())
}

/// Checks the folded view of `s`: every character of it maps inside `s` on char boundaries.
pub fn check_normalized(s: &str) -> Result<(), String> {
    for fold in [Fold::Accents, Fold::Ascii] {
        let n = Normalized::new(s, fold);
        let v = n.as_str();
        let mut prev = 0;
        for (i, c) in v.char_indices().chain(std::iter::once((v.len(), ' '))) {
            if i > prev {
                let sp = n.original_span(prev..i);
                if sp.start > sp.end || sp.end > s.len() {
                    return Err(format!(
                        "{fold:?}: folded {prev}..{i} maps outside ({sp:?})"
                    ));
                }
                if !s.is_char_boundary(sp.start) || !s.is_char_boundary(sp.end) {
                    return Err(format!(
                        "{fold:?}: folded {prev}..{i} maps off char boundaries ({sp:?})"
                    ));
                }
            }
            prev = i;
            let _ = c;
        }
        if !v.is_empty() {
            let sp = n.original_span(0..v.len());
            if sp.end > s.len() || !s.is_char_boundary(sp.start) || !s.is_char_boundary(sp.end) {
                return Err(format!("{fold:?}: whole view maps to {sp:?}"));
            }
        }
    }
    Ok(())
}

/// Checks the JSON and DOT outputs of a graph: JSON parses and keeps every span inside the
/// input of its document (`lens`: document ID → input length); DOT is grammatical.
pub fn check_outputs(g: &KnowledgeGraph, lens: &[(String, usize)]) -> Result<(), String> {
    let mut json = Vec::new();
    export::write_json(g, &mut json).map_err(|e| format!("write_json: {e}"))?;
    let v: serde_json::Value =
        serde_json::from_slice(&json).map_err(|e| format!("JSON does not parse: {e}"))?;
    let len_of = |doc: &str| lens.iter().find(|(d, _)| d == doc).map(|(_, n)| *n);
    let spans = v["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|n| n["mentions"].as_array().into_iter().flatten())
        .chain(v["graph"]["sentences"].as_array().into_iter().flatten());
    // Every edge's evidence is a position in graph.sentences.
    let sentences = v["graph"]["sentences"].as_array().map_or(0, |s| s.len());
    for e in v["edges"].as_array().into_iter().flatten() {
        for id in e["evidence"].as_array().into_iter().flatten() {
            match id.as_u64() {
                Some(i) if (i as usize) < sentences => {}
                _ => return Err(format!("edge evidence {id} not in graph.sentences: {e}")),
            }
        }
    }
    for s in spans {
        let (Some(doc), Some(start), Some(end)) =
            (s["doc"].as_str(), s["start"].as_u64(), s["end"].as_u64())
        else {
            return Err(format!("JSON span without doc/start/end: {s}"));
        };
        match len_of(doc) {
            Some(n) if start <= end && end as usize <= n => {}
            _ => {
                return Err(format!(
                    "JSON span {start}..{end} of {doc:?} outside its input"
                ));
            }
        }
    }
    let dot = export::render_dot(g, &DotOptions::default());
    dot_grammar::check(&dot).map_err(|e| format!("DOT not grammatical: {e}\n{dot}"))?;
    Ok(())
}

/// Runs the whole pipeline on `raw` read as `format`, checking every invariant.
pub fn check_bytes(raw: &[u8], format: InputFormat) -> Result<(), String> {
    let name = match format {
        InputFormat::Html => "fuzz.html",
        _ => "fuzz.txt",
    };
    let text = match corpus::decode_as(name, raw.to_vec(), format) {
        Ok(t) => t,
        Err(e) if e.is_warning() => {
            // Skipped: must be binary (a NUL byte) or UTF-16.
            if raw.contains(&0) || raw.starts_with(&[0xFF, 0xFE]) || raw.starts_with(&[0xFE, 0xFF])
            {
                return Ok(());
            }
            return Err(format!("skipped without reason: {e}"));
        }
        Err(e) => return Err(format!("decode failed: {e}")),
    };
    if text.source_len != raw.len() {
        return Err(format!(
            "source_len {} for {} bytes",
            text.source_len,
            raw.len()
        ));
    }
    if text.warnings.len() > 1 {
        return Err(format!("more than one warning: {:?}", text.warnings));
    }
    if text.warnings.is_empty() != std::str::from_utf8(raw).is_ok() {
        return Err(format!(
            "warnings {:?} for valid={}",
            text.warnings,
            std::str::from_utf8(raw).is_ok()
        ));
    }
    check_normalized(&text.text)?;
    let x = text.extract(extractor(), doc_info("fuzz"));
    check_extraction(raw, &text, &x)?;
    if x.document.bytes != raw.len() {
        return Err(format!(
            "document bytes {} for {} bytes",
            x.document.bytes,
            raw.len()
        ));
    }
    let mut g = KnowledgeGraph::new();
    g.add(x);
    check_outputs(&g, &[("fuzz".to_string(), raw.len())])
}

/// A checker for the DOT language grammar (<https://graphviz.org/doc/info/lang.html>), strict
/// enough to catch what breaks Graphviz: unbalanced quotes or braces, unescaped quotes, bare
/// IDs with spaces or keywords, stray characters.
pub mod dot_grammar {
    /// A DOT token.
    #[derive(Debug, Clone, PartialEq)]
    enum Tok {
        Id(String, bool),
        Punct(char),
        EdgeOp(&'static str),
    }

    fn is_id_start(c: char) -> bool {
        c.is_ascii_alphabetic() || c == '_' || (c as u32) >= 0x80
    }

    fn is_id_char(c: char) -> bool {
        is_id_start(c) || c.is_ascii_digit()
    }

    fn lex(s: &str) -> Result<Vec<Tok>, String> {
        let cs: Vec<char> = s.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        let mut line_start = true;
        while i < cs.len() {
            let c = cs[i];
            if c == '\n' {
                line_start = true;
                i += 1;
                continue;
            }
            if c.is_whitespace() {
                i += 1;
                continue;
            }
            if line_start && c == '#' {
                while i < cs.len() && cs[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            line_start = false;
            if c == '/' && cs.get(i + 1) == Some(&'/') {
                while i < cs.len() && cs[i] != '\n' {
                    i += 1;
                }
                continue;
            }
            if c == '/' && cs.get(i + 1) == Some(&'*') {
                i += 2;
                while i + 1 < cs.len() && !(cs[i] == '*' && cs[i + 1] == '/') {
                    i += 1;
                }
                if i + 1 >= cs.len() {
                    return Err("unterminated comment".into());
                }
                i += 2;
                continue;
            }
            match c {
                '{' | '}' | '[' | ']' | ';' | ',' | '=' | ':' => {
                    out.push(Tok::Punct(c));
                    i += 1;
                }
                '-' if cs.get(i + 1) == Some(&'>') => {
                    out.push(Tok::EdgeOp("->"));
                    i += 2;
                }
                '-' if cs.get(i + 1) == Some(&'-') => {
                    out.push(Tok::EdgeOp("--"));
                    i += 2;
                }
                '"' => {
                    let mut v = String::new();
                    i += 1;
                    loop {
                        match cs.get(i) {
                            None => return Err("unterminated quoted string".into()),
                            Some('"') => {
                                i += 1;
                                break;
                            }
                            Some('\\') if cs.get(i + 1).is_some() => {
                                v.push('\\');
                                v.push(cs[i + 1]);
                                i += 2;
                            }
                            Some('\0') => return Err("NUL in a quoted string".into()),
                            Some(&ch) => {
                                v.push(ch);
                                i += 1;
                            }
                        }
                    }
                    // "a" + "b" concatenation
                    out.push(Tok::Id(v, true));
                }
                '<' => {
                    let mut depth = 0;
                    let start = i;
                    loop {
                        match cs.get(i) {
                            None => return Err("unterminated HTML string".into()),
                            Some('<') => depth += 1,
                            Some('>') => {
                                depth -= 1;
                                if depth == 0 {
                                    i += 1;
                                    break;
                                }
                            }
                            _ => {}
                        }
                        i += 1;
                    }
                    out.push(Tok::Id(cs[start..i].iter().collect(), true));
                }
                c if c == '-' || c == '.' || c.is_ascii_digit() => {
                    let start = i;
                    if c == '-' {
                        i += 1;
                    }
                    let digits_before = cs[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                    i += digits_before;
                    let mut digits_after = 0;
                    if cs.get(i) == Some(&'.') {
                        i += 1;
                        digits_after = cs[i..].iter().take_while(|c| c.is_ascii_digit()).count();
                        i += digits_after;
                    }
                    if digits_before + digits_after == 0 {
                        return Err(format!("stray {c:?}"));
                    }
                    if cs.get(i).is_some_and(|&c| is_id_start(c)) {
                        return Err("a number runs into a name (Graphviz splits it)".into());
                    }
                    out.push(Tok::Id(cs[start..i].iter().collect(), false));
                }
                c if is_id_start(c) => {
                    let start = i;
                    while i < cs.len() && is_id_char(cs[i]) {
                        i += 1;
                    }
                    out.push(Tok::Id(cs[start..i].iter().collect(), false));
                }
                c => return Err(format!("unexpected character {c:?}")),
            }
        }
        Ok(out)
    }

    const KEYWORDS: [&str; 6] = ["node", "edge", "graph", "digraph", "subgraph", "strict"];

    struct P {
        t: Vec<Tok>,
        i: usize,
        edge_op: &'static str,
    }

    impl P {
        fn peek(&self) -> Option<&Tok> {
            self.t.get(self.i)
        }
        fn peek2(&self) -> Option<&Tok> {
            self.t.get(self.i + 1)
        }
        fn kw(&self, k: &str) -> bool {
            matches!(self.peek(), Some(Tok::Id(s, false)) if s.eq_ignore_ascii_case(k))
        }
        fn punct(&self, c: char) -> bool {
            self.peek() == Some(&Tok::Punct(c))
        }
        fn expect(&mut self, c: char) -> Result<(), String> {
            if self.punct(c) {
                self.i += 1;
                Ok(())
            } else {
                Err(format!(
                    "expected {c:?} at token {} ({:?})",
                    self.i,
                    self.peek()
                ))
            }
        }
        fn is_id(&self) -> bool {
            match self.peek() {
                Some(Tok::Id(s, quoted)) => {
                    *quoted || !KEYWORDS.iter().any(|k| s.eq_ignore_ascii_case(k))
                }
                _ => false,
            }
        }
        fn id(&mut self) -> Result<(), String> {
            if self.is_id() {
                self.i += 1;
                Ok(())
            } else {
                Err(format!(
                    "expected an ID at token {} ({:?})",
                    self.i,
                    self.peek()
                ))
            }
        }
        fn graph(&mut self) -> Result<(), String> {
            if self.kw("strict") {
                self.i += 1;
            }
            if self.kw("digraph") {
                self.edge_op = "->";
            } else if self.kw("graph") {
                self.edge_op = "--";
            } else {
                return Err("expected graph or digraph".into());
            }
            self.i += 1;
            if self.is_id() {
                self.i += 1;
            }
            self.expect('{')?;
            self.stmt_list()?;
            self.expect('}')?;
            if self.i != self.t.len() {
                return Err(format!("tokens after the graph: {:?}", self.peek()));
            }
            Ok(())
        }
        fn stmt_list(&mut self) -> Result<(), String> {
            while !self.punct('}') {
                if self.peek().is_none() {
                    return Err("unexpected end (missing '}')".into());
                }
                self.stmt()?;
                if self.punct(';') {
                    self.i += 1;
                }
            }
            Ok(())
        }
        fn stmt(&mut self) -> Result<(), String> {
            if self.kw("graph") || self.kw("node") || self.kw("edge") {
                self.i += 1;
                if !self.punct('[') {
                    return Err("attribute statement without [".into());
                }
                return self.attr_list();
            }
            if self.is_id() && self.peek2() == Some(&Tok::Punct('=')) {
                self.i += 2;
                return self.id();
            }
            self.node_or_subgraph()?;
            let mut edge = false;
            while let Some(Tok::EdgeOp(op)) = self.peek() {
                if *op != self.edge_op {
                    return Err(format!(
                        "edge operator {op} in a graph using {}",
                        self.edge_op
                    ));
                }
                self.i += 1;
                self.node_or_subgraph()?;
                edge = true;
            }
            let _ = edge;
            if self.punct('[') {
                self.attr_list()?;
            }
            Ok(())
        }
        fn node_or_subgraph(&mut self) -> Result<(), String> {
            if self.kw("subgraph") || self.punct('{') {
                if self.kw("subgraph") {
                    self.i += 1;
                    if self.is_id() {
                        self.i += 1;
                    }
                }
                self.expect('{')?;
                self.stmt_list()?;
                return self.expect('}');
            }
            self.id()?;
            if self.punct(':') {
                self.i += 1;
                self.id()?;
                if self.punct(':') {
                    self.i += 1;
                    self.id()?;
                }
            }
            Ok(())
        }
        fn attr_list(&mut self) -> Result<(), String> {
            while self.punct('[') {
                self.i += 1;
                while !self.punct(']') {
                    self.id()?;
                    self.expect('=')?;
                    self.id()?;
                    if self.punct(';') || self.punct(',') {
                        self.i += 1;
                    }
                }
                self.i += 1;
            }
            Ok(())
        }
    }

    /// Ok when `s` is one DOT graph by the grammar.
    ///
    /// Quoted strings may hold any character but an unescaped `"`; bare IDs are names
    /// (letters, digits, `_`, non-ASCII) or numbers, and not keywords.
    pub fn check(s: &str) -> Result<(), String> {
        let t = lex(s)?;
        let mut p = P {
            t,
            i: 0,
            edge_op: "->",
        };
        p.graph()
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn accepts_and_rejects() {
            assert!(super::check("digraph { a -> b [label=\"x \\\" y\"]; }").is_ok());
            assert!(super::check("digraph G { graph [rankdir=LR]; \"Ban Bí thư\" -> \"x\"; subgraph cluster_0 { n1 } }").is_ok());
            assert!(super::check("digraph { a -> b [label=\"x\" y\"] }").is_err());
            assert!(super::check("digraph { a b = }").is_err());
            assert!(super::check("digraph { 1a -> b }").is_err());
            assert!(super::check("digraph { a -> b ").is_err());
            assert!(super::check("digraph { node -> b }").is_err());
            assert!(super::check("graph { a -> b }").is_err());
        }
    }
}
