//! What every figure is computed from — `/stats`, НОК scores and their bootstrap, trends,
//! rankings, the stats exports: the narrow handles those services take, in one bundle. It
//! stands apart from any of them so that they can use one another without a circle.

use otklik_shared::nok::NokMethodology;

use crate::catalog::Catalog;
use crate::db::Database;

/// What the figures are computed from.
#[derive(Clone, Copy)]
pub struct StatsDeps<'a> {
    /// Storage (rollups, orgs, checklists).
    pub db: &'a Database,
    /// Published questionnaires.
    pub catalog: &'a Catalog,
    /// The НОК methodology in force.
    pub methodology: &'a NokMethodology,
    /// Below this many answers a figure is flagged `low_n`.
    pub min_n: u64,
}
