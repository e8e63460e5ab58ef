//! The officials' downloads (contract §5 «Exports»): the `/stats` figures as a table
//! ([`stats_table`]) written as CSV ([`stats_csv`]) or an XLSX workbook ([`stats_xlsx`]), and
//! the stored responses row by row ([`responses`]) as a streamed CSV or a SQLite database
//! ([`responses_sqlite`]).
//!
//! Every export names what produced it ([`ExportMeta`]): the questionnaire versions pooled and
//! the methodology version — in HTTP headers, the workbook's «Методика» sheet and the SQLite
//! file's `meta` table. Free text leaves only through [`crate::masking`].

pub mod nsi_xlsx;
pub mod responses;
pub mod responses_sqlite;
pub mod stats_csv;
pub mod stats_table;
pub mod stats_xlsx;

use chrono::{DateTime, Utc};

/// What produced an export, named in every one of them.
#[derive(Debug, Clone)]
pub struct ExportMeta {
    /// The root of the exported subtree: code and name.
    pub org: (String, String),
    /// Questionnaire id.
    pub questionnaire: String,
    /// The published versions pooled, oldest first.
    pub versions: Vec<u32>,
    /// The methodology version (the НОК calculation table in force).
    pub methodology: String,
    /// First day, inclusive, if any.
    pub from: Option<String>,
    /// Last day, inclusive, if any.
    pub to: Option<String>,
    /// When the export was made.
    pub exported_at: DateTime<Utc>,
}

impl ExportMeta {
    /// The versions as one header value: `1,2`.
    pub fn versions_list(&self) -> String {
        self.versions
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The period in words: «2026-01-01 — 2026-03-31», «с 2026-01-01», «за всё время».
    pub fn period(&self) -> String {
        match (&self.from, &self.to) {
            (Some(f), Some(t)) => format!("{f} — {t}"),
            (Some(f), None) => format!("с {f}"),
            (None, Some(t)) => format!("по {t}"),
            (None, None) => "за всё время".to_owned(),
        }
    }
}
