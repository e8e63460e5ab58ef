//! Bulk entry from CSV (`otklik nsi targets|baselines|time-measurements FILE.csv`): the files
//! as spreadsheet programs save them ([`crate::orgs::csv`]: UTF-8 with or without a byte-order
//! mark or Windows-1251, `;` or `,`), every row checked exactly as the API checks it, then all
//! stored in one transaction, or nothing with every bad line named.
//!
//! Headers (a decimal comma is accepted in numbers):
//! - targets: `org,life_situation,kpi,year,value,method,source,approved_by,approved_at[,unit]`
//! - baselines: `org,life_situation,kpi,value,period,source[,unit]`
//! - time measurements: `org,life_situation,stage,value,unit,measured_at` (`stage` may be empty)

use serde_json::json;

use super::{
    check_baseline, check_measurement, check_target, now, BaselineInput, MeasurementInput,
    TargetInput, CLI_LOGIN,
};
use crate::db::nsi::NsiBatch;
use crate::db::Database;
use crate::orgs::csv::{decode, read_table};
use crate::service_error::{ServiceError, ServiceResult};

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// Approved targets.
    Targets,
    /// Baselines.
    Baselines,
    /// Process-time measurements.
    Measurements,
}

impl ImportKind {
    fn columns(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            ImportKind::Targets => (
                &[
                    "org",
                    "life_situation",
                    "kpi",
                    "year",
                    "value",
                    "method",
                    "source",
                    "approved_by",
                    "approved_at",
                ],
                &["unit"],
            ),
            ImportKind::Baselines => (
                &["org", "life_situation", "kpi", "value", "period", "source"],
                &["unit"],
            ),
            ImportKind::Measurements => (
                &[
                    "org",
                    "life_situation",
                    "stage",
                    "value",
                    "unit",
                    "measured_at",
                ],
                &[],
            ),
        }
    }
}

/// One bad line.
struct LineError {
    line: usize,
    field: Option<&'static str>,
    message: String,
}

/// A number cell: `57.5` or `57,5`.
fn number(cell: &str) -> Option<f64> {
    cell.replace(',', ".").parse::<f64>().ok()
}

/// The row's input, or the cell that does not parse.
fn cell_error(field: &'static str, cell: &str) -> (Option<&'static str>, String) {
    (Some(field), format!("{field} is not a number: {cell:?}"))
}

/// Checks every row of a file and, when all pass, stores them in one transaction.
///
/// # Errors
/// 422 `invalid_csv` for a header or line that does not parse, 422 `invalid_nsi` whose
/// details list every bad line (`{"errors": [{"line", "field", "message"}]}`) and whose
/// message names them; internal on a database failure. Nothing is stored on any error.
pub async fn import(db: &Database, kind: ImportKind, bytes: &[u8]) -> ServiceResult<usize> {
    let (required, optional) = kind.columns();
    let rows =
        read_table(&decode(bytes), required, optional).map_err(|e| ServiceError::Invalid {
            code: "invalid_csv",
            field: None,
            message: e.to_string(),
            details: Some(json!({"errors": [{"line": e.line, "message": e.message}]})),
        })?;
    let mut errors = Vec::new();
    let mut targets = Vec::new();
    let mut baselines = Vec::new();
    let mut measurements = Vec::new();
    for (line, cells) in rows {
        let cell = |i: usize| cells.get(i).cloned().flatten().unwrap_or_default();
        let opt = |i: usize| cells.get(i).cloned().flatten();
        let checked: Result<(), (Option<&'static str>, String)> = async {
            let refusal = |e: ServiceError| match e {
                ServiceError::Invalid { field, message, .. } => (field, message),
                other => (None, other.to_string()),
            };
            match kind {
                ImportKind::Targets => {
                    let year = cell(3)
                        .parse::<i32>()
                        .map_err(|_| cell_error("year", &cell(3)))?;
                    let value = number(&cell(4)).ok_or_else(|| cell_error("value", &cell(4)))?;
                    let input = TargetInput {
                        org: cell(0),
                        life_situation: cell(1),
                        kpi: cell(2),
                        year,
                        value,
                        method: cell(5),
                        source: cell(6),
                        approved_by: cell(7),
                        approved_at: cell(8),
                        unit: opt(9),
                    };
                    targets.push(check_target(db, None, &input).await.map_err(refusal)?);
                }
                ImportKind::Baselines => {
                    let value = number(&cell(3)).ok_or_else(|| cell_error("value", &cell(3)))?;
                    let input = BaselineInput {
                        org: cell(0),
                        life_situation: cell(1),
                        kpi: cell(2),
                        value,
                        period: cell(4),
                        source: cell(5),
                        unit: opt(6),
                    };
                    baselines.push(check_baseline(db, None, &input).await.map_err(refusal)?);
                }
                ImportKind::Measurements => {
                    let value = number(&cell(3)).ok_or_else(|| cell_error("value", &cell(3)))?;
                    let input = MeasurementInput {
                        org: cell(0),
                        life_situation: cell(1),
                        stage: opt(2),
                        value,
                        unit: cell(4),
                        measured_at: cell(5),
                    };
                    measurements.push(check_measurement(db, None, &input).await.map_err(refusal)?);
                }
            }
            Ok(())
        }
        .await;
        if let Err((field, message)) = checked {
            errors.push(LineError {
                line,
                field,
                message,
            });
        }
    }
    if !errors.is_empty() {
        let lines: Vec<String> = errors
            .iter()
            .take(20)
            .map(|e| format!("line {}: {}", e.line, e.message))
            .collect();
        let more = errors.len().saturating_sub(20);
        let tail = if more > 0 {
            format!("; and {more} more")
        } else {
            String::new()
        };
        return Err(ServiceError::Invalid {
            code: "invalid_nsi",
            field: None,
            message: format!("nothing imported: {}{tail}", lines.join("; ")),
            details: Some(json!({"errors": errors
                .iter()
                .map(|e| json!({"line": e.line, "field": e.field, "message": e.message}))
                .collect::<Vec<_>>()})),
        });
    }
    let entered_at = now();
    let batch = NsiBatch {
        targets: targets
            .iter()
            .map(|t| t.row(CLI_LOGIN, &entered_at))
            .collect(),
        baselines: baselines
            .iter()
            .map(|b| b.row(CLI_LOGIN, &entered_at))
            .collect(),
        measurements: measurements
            .iter()
            .map(|m| m.row(CLI_LOGIN, &entered_at))
            .collect(),
    };
    db.store_nsi_batch(&batch).await?;
    let n = targets.len() + baselines.len() + measurements.len();
    tracing::info!(rows = n, ?kind, "nsi import stored");
    Ok(n)
}
