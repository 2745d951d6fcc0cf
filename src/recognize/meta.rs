//! The article's dateline, headline and byline.
use crate::extractor::Analysis;
use crate::lexicon::FoldedLexicon;

pub(crate) fn dateline(_an: &mut Analysis<'_>) {}
pub(crate) fn byline(_an: &mut Analysis<'_>, _lx: &FoldedLexicon) {}
