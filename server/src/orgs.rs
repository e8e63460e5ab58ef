//! Adding orgs, one by one (`otklik org add`, the demo data, `POST /orgs`) or in bulk from CSV
//! (`org import`, `POST /orgs/import`), with the nesting, code and time-zone rules checked before
//! anything is written; [`manage`] holds what officials do through the API (in their scope),
//! [`csv`] reads import files as spreadsheet programs save them.

pub mod csv;
pub mod manage;

pub use self::csv::{parse_csv, CsvError};

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

/// An org as given by a person or a file, before checking (missing fields are empty, and
/// refused by name).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
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
        let invalid = |field: &'static str, msg: String| ServiceError::Invalid {
            code: "invalid_org",
            field: Some(field),
            message: format!("{}: {msg}", label(i)),
            details: Some(json!({"index": i, "code": row.code, "field": field})),
        };
        Code::parse(&row.code).map_err(|e| invalid("code", format!("code {e}")))?;
        if known.contains_key(&row.code) || db.org_by_code(&row.code).await?.is_some() {
            return Err(invalid("code", format!("org {} already exists", row.code)));
        }
        let name = checked_name(&row.name).map_err(|m| invalid("name", m))?;
        let kind = OrgKind::parse(&row.kind).ok_or_else(|| {
            invalid(
                "kind",
                format!("kind must be one of {}", OrgKind::choices()),
            )
        })?;
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
                    .ok_or_else(|| invalid("parent", format!("parent {code} does not exist")))?;
                Some((code.to_owned(), found))
            }
        };
        let parent_kind = parent.as_ref().map(|(_, (k, _))| *k);
        if !kind.may_sit_under(parent_kind) {
            let under = parent_kind.map_or("the root".to_owned(), |k| format!("a {}", k.as_str()));
            return Err(invalid(
                if parent.is_some() { "parent" } else { "kind" },
                format!("a {} cannot sit under {under}", kind.as_str()),
            ));
        }
        let sector = optional(&row.sector, Sector::parse, "sector", &Sector::choices())
            .map_err(|m| invalid("sector", m))?;
        let settlement = optional(
            &row.settlement,
            Settlement::parse,
            "settlement",
            &Settlement::choices(),
        )
        .map_err(|m| invalid("settlement", m))?;
        let inherited = parent.as_ref().map_or(DEFAULT_TZ, |(_, (_, tz))| *tz);
        let tz = match row.tz.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(tz) => Tz::parse(tz).map_err(|e| invalid("tz", e.to_string()))?,
            None => inherited,
        };
        // Figures are dated in the institution's zone; a department's own would be ignored.
        if kind == OrgKind::Department && tz != inherited {
            return Err(invalid(
                "tz",
                format!(
                    "a department reports in its institution's time zone ({inherited}); leave tz empty"
                ),
            ));
        }
        let bus_gov_id =
            checked_bus_gov_id(row.bus_gov_id.as_deref()).map_err(|m| invalid("bus_gov_id", m))?;
        known.insert(row.code.clone(), (kind, tz));
        checked.push(NewOrgRow {
            code: row.code.clone(),
            name,
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

/// An optional enum field: absent or blank is `None`; otherwise it must parse, or the error
/// says what it may be.
pub(crate) fn optional<T>(
    value: &Option<String>,
    parse: fn(&str) -> Option<T>,
    name: &str,
    choices: &str,
) -> Result<Option<T>, String> {
    match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => parse(v)
            .map(Some)
            .ok_or_else(|| format!("{name} must be one of {choices}, got {v:?}")),
    }
}

/// An org's name, trimmed: 1–500 characters.
pub(crate) fn checked_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 500 {
        return Err("name must be 1–500 characters".into());
    }
    Ok(name.to_owned())
}

/// A bus.gov.ru id, trimmed; blank is none; at most 64 characters.
pub(crate) fn checked_bus_gov_id(id: Option<&str>) -> Result<Option<String>, String> {
    match id.map(str::trim).filter(|b| !b.is_empty()) {
        Some(b) if b.len() > 64 => Err("bus_gov_id is longer than 64 characters".into()),
        other => Ok(other.map(str::to_owned)),
    }
}
