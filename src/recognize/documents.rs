//! Document codes and conventional titles.
use crate::extraction::Attributes;
use crate::extractor::Analysis;
use crate::gazetteer::Gazetteer;
use crate::lexicon::FoldedLexicon;
use crate::text::slug;

pub(crate) fn recognize(_an: &mut Analysis<'_>, _g: &Gazetteer, _lx: &FoldedLexicon) {}

/// The node ID of a resolution.
pub fn resolution_id(name: &str, attrs: &Attributes) -> String {
    match &attrs.code {
        Some(c) => format!("resolution:{}", slug(c)),
        None => format!("resolution:{}", slug(name)),
    }
}
