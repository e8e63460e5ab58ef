//! Adding orgs, one by one (`otklik org add`, the demo data) or in bulk from CSV (`org import`),
//! with the nesting, code and time-zone rules checked before anything is written.

use std::collections::HashMap;

use otklik_shared::org::{Code, OrgKind, Sector, Settlement};
use serde::Deserialize;
use serde_json::json;

use crate::db::orgs::{NewOrgRow, OrgRow};
use crate::db::values::Tz;
use crate::db::{Database, DbError};
use crate::service_error::{ServiceError, ServiceResult};

/// Time zone of an org that names none and has no parent to inherit from.
pub const DEFAULT_TZ: Tz = Tz(chrono_tz::Europe::Moscow);

/// An org as given by a person or a file, before checking.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NewOrg {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind wire name.
    pub kind: String,
    /// Parent code.
    pub parent: Option<String>,
    /// Sector wire name.
    pub sector: Option<String>,
    /// IANA time zone; inherited from the parent when absent.
    pub tz: Option<String>,
    /// `urban` or `rural`.
    pub settlement: Option<String>,
    /// bus.gov.ru id.
    pub bus_gov_id: Option<String>,
}

/// Checks and inserts orgs, all or nothing. `label(i)` names row `i` in errors ("line 3").
///
/// # Errors
/// `invalid_org` naming the row and the rule it broke; a conflict when a code exists.
#[tracing::instrument(skip_all, fields(orgs = rows.len()))]
pub async fn add_orgs(
    db: &Database,
    rows: &[NewOrg],
    label: impl Fn(usize) -> String,
) -> ServiceResult<Vec<OrgRow>> {
    // Kinds and time zones of the parents: stored orgs first, then earlier rows of this batch.
    let mut known: HashMap<String, (OrgKind, Tz)> = HashMap::new();
    let mut checked = Vec::with_capacity(rows.len());
    for (i, row) in rows.iter().enumerate() {
        let invalid = |msg: String| ServiceError::Invalid {
            code: "invalid_org",
            field: None,
            message: format!("{}: {msg}", label(i)),
            details: Some(json!({"index": i, "code": row.code})),
        };
        Code::parse(&row.code).map_err(|e| invalid(format!("code {e}")))?;
        if known.contains_key(&row.code) || db.org_by_code(&row.code).await?.is_some() {
            return Err(invalid(format!("org {} already exists", row.code)));
        }
        let name = row.name.trim();
        if name.is_empty() || name.chars().count() > 500 {
            return Err(invalid("name must be 1–500 characters".into()));
        }
        let kind = OrgKind::parse(&row.kind)
            .ok_or_else(|| invalid(format!("kind must be one of {}", OrgKind::choices())))?;
        let parent = match row.parent.as_deref().filter(|p| !p.is_empty()) {
            None => None,
            Some(code) => {
                if !known.contains_key(code) {
                    if let Some(org) = db.org_by_code(code).await? {
                        known.insert(org.code, (org.kind, org.tz));
                    }
                }
                let found = known
                    .get(code)
                    .cloned()
                    .ok_or_else(|| invalid(format!("parent {code} does not exist")))?;
                Some((code.to_owned(), found))
            }
        };
        let parent_kind = parent.as_ref().map(|(_, (k, _))| *k);
        if !kind.may_sit_under(parent_kind) {
            let under = parent_kind.map_or("the root".to_owned(), |k| format!("a {}", k.as_str()));
            return Err(invalid(format!(
                "a {} cannot sit under {under}",
                kind.as_str()
            )));
        }
        let sector = optional(
            &row.sector,
            Sector::parse,
            "sector",
            &Sector::choices(),
            invalid,
        )?;
        let settlement = optional(
            &row.settlement,
            Settlement::parse,
            "settlement",
            &Settlement::choices(),
            invalid,
        )?;
        let tz = match row.tz.as_deref().filter(|t| !t.is_empty()) {
            Some(tz) => Tz::parse(tz).map_err(|e| invalid(e.to_string()))?,
            None => parent.as_ref().map_or(DEFAULT_TZ, |(_, (_, tz))| *tz),
        };
        let bus_gov_id = row
            .bus_gov_id
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty())
            .map(str::to_owned);
        if bus_gov_id.as_ref().is_some_and(|b| b.len() > 64) {
            return Err(invalid("bus_gov_id is longer than 64 characters".into()));
        }
        known.insert(row.code.clone(), (kind, tz));
        checked.push(NewOrgRow {
            code: row.code.clone(),
            name: name.to_owned(),
            kind,
            parent: parent.map(|(code, _)| code),
            sector,
            tz,
            settlement,
            bus_gov_id,
        });
    }
    db.insert_orgs(&checked).await.map_err(|e| match e {
        DbError::Conflict { .. } => ServiceError::Conflict {
            message: "an org with one of these codes already exists".into(),
        },
        other => other.into(),
    })
}

/// An optional enum field: absent or blank is `None`; otherwise it must parse, or `invalid`
/// (which names the row) says what it may be.
fn optional<T>(
    value: &Option<String>,
    parse: fn(&str) -> Option<T>,
    name: &str,
    choices: &str,
    invalid: impl Fn(String) -> ServiceError,
) -> ServiceResult<Option<T>> {
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => parse(v)
            .map(Some)
            .ok_or_else(|| invalid(format!("{name} must be one of {choices}, got {v:?}"))),
    }
}

/// A line of an import file that does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct CsvError {
    /// 1-based line number (0 when the reader cannot tell).
    pub line: u64,
    /// What is wrong with it.
    pub message: String,
}

/// Parses an import file: header `code,name,kind,parent,sector,tz`, optionally followed by
/// `settlement,bus_gov_id`; quoted fields may hold commas and quotes. Returns the rows with their
/// line numbers.
///
/// # Errors
/// [`CsvError`] naming the line that does not parse.
pub fn parse_csv(text: &str) -> Result<Vec<(usize, NewOrg)>, CsvError> {
    const REQUIRED: [&str; 6] = ["code", "name", "kind", "parent", "sector", "tz"];
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .map_err(|e| CsvError {
            line: 1,
            message: e.to_string(),
        })?
        .iter()
        .map(str::to_owned)
        .collect();
    let optional_cols = ["settlement", "bus_gov_id"];
    let header_ok = headers.len() >= REQUIRED.len()
        && headers
            .iter()
            .zip(REQUIRED.iter().chain(optional_cols.iter()))
            .all(|(h, want)| h == want)
        && headers.len() <= REQUIRED.len() + optional_cols.len();
    if !header_ok {
        return Err(CsvError {
            line: 1,
            message: format!(
                "the header must be {} (optionally followed by settlement,bus_gov_id)",
                REQUIRED.join(",")
            ),
        });
    }
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| CsvError {
            line: e.position().map_or(0, |p| p.line()),
            message: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| p.line()) as usize;
        let field = |i: usize| record.get(i).map(str::to_owned).filter(|s| !s.is_empty());
        rows.push((
            line,
            NewOrg {
                code: field(0).unwrap_or_default(),
                name: field(1).unwrap_or_default(),
                kind: field(2).unwrap_or_default(),
                parent: field(3),
                sector: field(4),
                tz: field(5),
                settlement: field(6),
                bus_gov_id: field(7),
            },
        ));
    }
    if rows.is_empty() {
        return Err(CsvError {
            line: 1,
            message: "the file has a header but no orgs".into(),
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_quoted_names_and_optional_columns_parses() {
        let text = "code,name,kind,parent,sector,tz,settlement,bus_gov_id\n\
                    reg,Область,region,,,Asia/Yekaterinburg,,\n\
                    k1,\"КЦСОН «Заречье», филиал\",institution,reg,social,,rural,123\n";
        let rows = parse_csv(text).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].0, 3);
        assert_eq!(rows[1].1.name, "КЦСОН «Заречье», филиал");
        assert_eq!(rows[1].1.settlement.as_deref(), Some("rural"));
        assert_eq!(rows[0].1.parent, None);
    }

    #[test]
    fn a_wrong_header_or_ragged_line_is_named() {
        assert!(parse_csv("code,name\nx,y\n")
            .unwrap_err()
            .to_string()
            .starts_with("line 1"));
        let err =
            parse_csv("code,name,kind,parent,sector,tz\nreg,R,region,,,\nbad,line\n").unwrap_err();
        assert_eq!(err.line, 3, "{err}");
    }
}
