//! Offset maps from a derived text (decoded, extracted from HTML) back to the bytes it came from.
//!
//! The extractor works on a `&str`. When that string is not byte for byte the file (invalid UTF-8
//! replaced by U+FFFD, UTF-16 re-encoded as UTF-8, the visible text of an HTML page), a
//! [`SourceMap`] records where each piece of it came from, and [`SourceMap::map_span`] turns a
//! span of the derived text into a span of the source, so that every offset partygraph writes
//! indexes the bytes of the input file.

use crate::extraction::Extraction;

/// One run of the derived text and the source bytes it came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seg {
    /// Start in the derived text.
    dst: usize,
    /// Length in the derived text.
    dlen: usize,
    /// Start in the source.
    src: usize,
    /// Length in the source.
    slen: usize,
    /// True when the derived bytes are the source bytes (then `dlen == slen` and offsets map one
    /// to one); false when the whole derived run stands for the whole source run (a character
    /// reference, a tag turned into a line break, a replaced bad sequence).
    verbatim: bool,
}

/// Maps byte offsets of a derived text back to byte offsets of its source.
///
/// ```
/// use partygraph::corpus::SourceMap;
/// // Derived "a&b" from the source "a&amp;b".
/// let mut m = SourceMap::new();
/// m.verbatim(1, 0);      // "a" is source byte 0
/// m.replaced(1, 1..6);   // "&" stands for "&amp;"
/// m.verbatim(1, 6);      // "b" is source byte 6
/// assert_eq!(m.map_span(1, 3), (1, 7));
/// assert_eq!(m.map_span(0, 1), (0, 1));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    segs: Vec<Seg>,
    dst_len: usize,
    src_len: usize,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// The length of the derived text mapped so far.
    pub fn derived_len(&self) -> usize {
        self.dst_len
    }

    /// Declares the length of the source (the end offset that the end of the derived text maps
    /// to when nothing follows it). Defaults to the end of the last mapped source run.
    pub fn set_source_len(&mut self, len: usize) {
        self.src_len = len;
    }

    /// Appends `len` derived bytes that are the source bytes starting at `src`.
    pub fn verbatim(&mut self, len: usize, src: usize) {
        if len == 0 {
            return;
        }
        if let Some(last) = self.segs.last_mut()
            && last.verbatim
            && last.dst + last.dlen == self.dst_len
            && last.src + last.slen == src
        {
            last.dlen += len;
            last.slen += len;
            self.dst_len += len;
            self.src_len = self.src_len.max(src + len);
            return;
        }
        self.segs.push(Seg {
            dst: self.dst_len,
            dlen: len,
            src,
            slen: len,
            verbatim: true,
        });
        self.dst_len += len;
        self.src_len = self.src_len.max(src + len);
    }

    /// Appends `len` derived bytes that stand, as a whole, for the source bytes `src`.
    pub fn replaced(&mut self, len: usize, src: std::ops::Range<usize>) {
        if len == 0 {
            return;
        }
        self.segs.push(Seg {
            dst: self.dst_len,
            dlen: len,
            src: src.start,
            slen: src.end.saturating_sub(src.start),
            verbatim: false,
        });
        self.dst_len += len;
        self.src_len = self.src_len.max(src.end);
    }

    /// The segment holding derived byte `d`, if any.
    fn seg(&self, d: usize) -> Option<&Seg> {
        let i = self.segs.partition_point(|s| s.dst + s.dlen <= d);
        self.segs.get(i).filter(|s| s.dst <= d)
    }

    /// The source offset where derived byte `d` begins (the source length at or past the end).
    fn map_start(&self, d: usize) -> usize {
        match self.seg(d) {
            Some(s) if s.verbatim => s.src + (d - s.dst),
            Some(s) => s.src,
            None => self.src_len,
        }
    }

    /// The source offset where derived byte `d - 1` ends.
    fn map_end(&self, d: usize) -> usize {
        if d == 0 {
            return self.map_start(0);
        }
        match self.seg(d - 1) {
            Some(s) if s.verbatim => s.src + (d - s.dst),
            Some(s) => s.src + s.slen,
            None => self.src_len,
        }
    }

    /// Maps the derived span `[start, end)` to the source span that produced it. An empty span
    /// maps to an empty span at the source offset of `start`.
    pub fn map_span(&self, start: usize, end: usize) -> (usize, usize) {
        let s = self.map_start(start);
        if end <= start {
            return (s, s);
        }
        let e = self.map_end(end).max(s);
        (s, e)
    }
}

/// Rewrites every offset of an extraction (mentions and evidence) through `maps`, innermost map
/// first, and sets the document's size to `source_len`.
pub fn remap_extraction(x: &mut Extraction, maps: &[SourceMap], source_len: usize) {
    x.document.bytes = source_len;
    if maps.is_empty() {
        return;
    }
    let map = |s: usize, e: usize| maps.iter().fold((s, e), |(s, e), m| m.map_span(s, e));
    for ent in &mut x.entities {
        for m in &mut ent.mentions {
            (m.start, m.end) = map(m.start, m.end);
        }
    }
    for r in &mut x.relations {
        (r.evidence.start, r.evidence.end) = map(r.evidence.start, r.evidence.end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbatim_runs_merge() {
        let mut m = SourceMap::new();
        m.verbatim(3, 10);
        m.verbatim(2, 13);
        assert_eq!(m.segs.len(), 1);
        assert_eq!(m.map_span(1, 4), (11, 14));
        assert_eq!(m.map_span(5, 5), (15, 15));
    }

    #[test]
    fn replaced_runs_map_whole() {
        let mut m = SourceMap::new();
        m.verbatim(2, 0);
        m.replaced(3, 2..9); // "ế" for "&#7871;"
        m.verbatim(1, 9);
        assert_eq!(m.map_span(0, 5), (0, 9));
        assert_eq!(m.map_span(2, 5), (2, 9));
        assert_eq!(m.map_span(2, 6), (2, 10));
        assert_eq!(m.map_span(5, 6), (9, 10));
    }

    #[test]
    fn past_the_end() {
        let mut m = SourceMap::new();
        m.verbatim(2, 0);
        m.set_source_len(7);
        assert_eq!(m.map_span(2, 2), (7, 7));
        assert_eq!(m.map_span(0, 9), (0, 7));
    }
}
