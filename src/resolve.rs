//! Stage 4: resolving aliases and short forms.
use crate::extraction::EntityRecord;
use crate::extractor::Analysis;
use crate::gazetteer::Gazetteer;

/// What resolution produces beyond the found mentions.
pub(crate) struct Resolved {
    pub meetings: Vec<EntityRecord>,
}

pub(crate) fn resolve(_an: &mut Analysis<'_>, _g: &Gazetteer) -> Resolved {
    Resolved { meetings: Vec::new() }
}
