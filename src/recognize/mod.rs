//! Stage 3: recognizing what the gazetteers do not list — people by context, document codes and
//! conventional titles, committees built from a body word and a name — plus the article's
//! dateline and byline.

pub(crate) mod committees;
pub(crate) mod documents;
pub(crate) mod meta;
pub(crate) mod people;

use crate::article::Analysis;
use crate::gazetteer::Gazetteer;
use crate::lexicon::Lexicon;

/// Runs every recognizer over an analysis, in dependency order: committees (which people rules
/// use as context), documents, people, byline.
pub(crate) fn run(an: &mut Analysis<'_>, g: &Gazetteer, lx: &Lexicon) {
    let lx = lx.get(an.norm.fold());
    committees::recognize(an, g, lx);
    documents::recognize(an, g, lx);
    people::recognize(an, g, lx);
    meta::byline(an, lx);
}
