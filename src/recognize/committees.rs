//! Committees by template: a body word (Tỉnh ủy, Đảng ủy, Chi bộ...) with a place or name.
use crate::extractor::Analysis;
use crate::gazetteer::Gazetteer;
use crate::lexicon::FoldedLexicon;

pub(crate) fn recognize(_an: &mut Analysis<'_>, _g: &Gazetteer, _lx: &FoldedLexicon) {}
