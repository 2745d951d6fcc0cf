//! Stage 5: relations.
use crate::extraction::RelationRecord;
use crate::extractor::Analysis;
use crate::gazetteer::Gazetteer;
use crate::lexicon::Lexicon;
use crate::resolve::Resolved;

pub(crate) fn relate(_an: &Analysis<'_>, _r: &Resolved, _g: &Gazetteer, _lx: &Lexicon) -> Vec<RelationRecord> {
    Vec::new()
}
