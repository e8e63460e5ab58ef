//! The `/stats` figures laid out as the stats exports' table: row 1 the header, then the total
//! for the org, then one row per institution with responses, by code; columns `org`, `name`,
//! `responses`, then per question in the questionnaire's order its n and, for likert4, nps and
//! yes_no, the headline figure and its 95 % interval. Numbers are `/stats`'s own, never
//! rounded here.

use std::collections::BTreeMap;

use chrono::Utc;
use otklik_shared::api::QuestionStats;
use otklik_shared::questionnaire::{Question, QuestionKind};

use super::ExportMeta;
use crate::auth::Caller;
use crate::service_error::ServiceResult;
use crate::stats::{breakdown, StatsDeps, StatsQuery};

/// How a column's numbers read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    /// A count of answers.
    Count,
    /// A share or an index in percent (0–100, NPS −100…100), or a bound of its interval.
    Percent,
}

/// One figure column.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Machine name: `process.n`, `process.satisfied_pct`, `nps.ci_low`…
    pub key: String,
    /// Russian header for the workbook.
    pub header: String,
    /// How its numbers read.
    pub measure: Measure,
}

/// One org's row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Org code.
    pub org: String,
    /// Org name.
    pub name: String,
    /// Responses counted.
    pub responses: u64,
    /// One cell per figure column; `None` where there is no figure.
    pub cells: Vec<Option<f64>>,
}

/// The whole table and what produced it.
#[derive(Debug, Clone)]
pub struct StatsTable {
    /// The figure columns, after `org`, `name` and `responses`.
    pub columns: Vec<Column>,
    /// The total first, then the institutions.
    pub rows: Vec<Row>,
    /// Versions, methodology, period.
    pub meta: ExportMeta,
    /// The minimum n of the figures.
    pub min_n: u64,
}

/// Builds the table from the same figures `/stats` computes, after the same access check.
///
/// # Errors
/// As [`crate::stats::compute`].
pub async fn build(
    deps: StatsDeps<'_>,
    caller: &Caller,
    q: &StatsQuery,
) -> ServiceResult<StatsTable> {
    let b = breakdown(deps, caller, q).await?;
    let columns = b.questions.iter().flat_map(columns_of).collect();
    let mut rows = vec![row(
        &b.questions,
        b.total.org.clone(),
        b.org_name.clone(),
        b.total.responses,
        &b.total.questions,
    )];
    rows.extend(
        b.institutions
            .into_iter()
            .map(|i| row(&b.questions, i.code, i.name, i.responses, &i.questions)),
    );
    Ok(StatsTable {
        columns,
        rows,
        meta: ExportMeta {
            org: (b.total.org.clone(), b.org_name),
            questionnaire: q.questionnaire.clone(),
            versions: deps
                .catalog
                .versions(&q.questionnaire)
                .iter()
                .map(|v| v.version)
                .collect(),
            methodology: deps.methodology.version.clone(),
            from: b.total.from.clone(),
            to: b.total.to.clone(),
            exported_at: Utc::now(),
        },
        min_n: b.total.min_n,
    })
}

/// The figure names of a question kind with their Russian headers, after the n.
fn figures(kind: QuestionKind) -> &'static [(&'static str, &'static str)] {
    const BOUNDS: [(&str, &str); 2] = [("ci_low", "ДИ 95 % нижн."), ("ci_high", "ДИ 95 % верхн.")];
    match kind {
        QuestionKind::Likert4 => &[("satisfied_pct", "доля удовл., %"), BOUNDS[0], BOUNDS[1]],
        QuestionKind::Nps => &[("nps", "NPS"), BOUNDS[0], BOUNDS[1]],
        QuestionKind::YesNo => &[("yes_pct", "доля «да», %"), BOUNDS[0], BOUNDS[1]],
        QuestionKind::Choice | QuestionKind::Number | QuestionKind::Text => &[],
    }
}

fn columns_of(q: &Question) -> Vec<Column> {
    let n = Column {
        key: format!("{}.n", q.id),
        header: format!("{} — n", q.text),
        measure: Measure::Count,
    };
    std::iter::once(n)
        .chain(figures(q.kind).iter().map(|(key, header)| Column {
            key: format!("{}.{key}", q.id),
            header: format!("{} — {header}", q.text),
            measure: Measure::Percent,
        }))
        .collect()
}

fn row(
    questions: &[Question],
    org: String,
    name: String,
    responses: u64,
    figures: &BTreeMap<String, QuestionStats>,
) -> Row {
    let cells = questions
        .iter()
        .flat_map(|q| cells_of(q, figures.get(&q.id)))
        .collect();
    Row {
        org,
        name,
        responses,
        cells,
    }
}

/// A question's cells in the order of [`columns_of`].
#[allow(clippy::cast_precision_loss)] // counts stay far below 2^53
fn cells_of(q: &Question, stats: Option<&QuestionStats>) -> Vec<Option<f64>> {
    let headline = |n: u64, value: Option<f64>, ci: Option<[f64; 2]>| {
        vec![Some(n as f64), value, ci.map(|c| c[0]), ci.map(|c| c[1])]
    };
    match stats {
        Some(QuestionStats::Likert4 {
            n,
            satisfied_pct,
            ci95,
            ..
        }) => headline(*n, *satisfied_pct, *ci95),
        Some(QuestionStats::Nps { n, nps, ci95, .. }) => headline(*n, *nps, *ci95),
        Some(QuestionStats::YesNo {
            n, yes_pct, ci95, ..
        }) => headline(*n, *yes_pct, *ci95),
        Some(
            QuestionStats::Choice { n, .. }
            | QuestionStats::Number { n, .. }
            | QuestionStats::Text { n },
        ) => vec![Some(*n as f64)],
        None => vec![None; 1 + figures(q.kind).len()],
    }
}
