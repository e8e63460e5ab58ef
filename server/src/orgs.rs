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
/// Every row is checked, so one answer names every broken row.
///
/// # Errors
/// `invalid_org` naming the first broken row, with every one in `details.errors`
/// (`{"index", "code", "field", "message"}`; `details.field` is the first's); a conflict when a
/// code exists.
#[tracing::instrument(skip_all, fields(orgs = rows.len()))]
pub async fn add_orgs(
    db: &Database,
    rows: &[NewOrg],
    label: impl Fn(usize) -> String,
) -> ServiceResult<Vec<OrgRow>> {
    // Kinds and time zones of the parents: stored orgs first, then earlier rows of this batch.
    let mut known: HashMap<String, (OrgKind, Tz)> = HashMap::new();
    let mut checked = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        match check_row(db, row, &mut known).await? {
            Ok(new) => {
                known.insert(new.code.clone(), (new.kind, new.tz));
                checked.push(new);
            }
            Err((field, msg)) => errors.push(json!({
                "index": i, "code": row.code, "field": field,
                "message": format!("{}: {msg}", label(i)),
            })),
        }
    }
    if let Some(first) = errors.first() {
        let field = first["field"]
            .as_str()
            .and_then(|f| FIELDS.iter().find(|&&k| k == f));
        let mut message = first["message"].as_str().unwrap_or_default().to_owned();
        if errors.len() > 1 {
            message = format!("{message} (and {} more)", errors.len() - 1);
        }
        return Err(ServiceError::Invalid {
            code: "invalid_org",
            field: field.copied(),
            message,
            details: Some(json!({"field": field, "errors": errors})),
        });
    }
    db.insert_orgs(&checked).await.map_err(|e| match e {
        DbError::Conflict { .. } => ServiceError::Conflict {
            message: "an org with one of these codes already exists".into(),
        },
        other => other.into(),
    })
}

/// The fields of an org, as errors name them.
const FIELDS: [&str; 8] = otklik_shared::api::ORG_FIELDS;

/// What is wrong with a row: the field and why.
type RowError = (&'static str, String);

/// Checks one row against the stored orgs and the rows `known` before it.
async fn check_row(
    db: &Database,
    row: &NewOrg,
    known: &mut HashMap<String, (OrgKind, Tz)>,
) -> ServiceResult<Result<NewOrgRow, RowError>> {
    macro_rules! bail {
        ($field:literal, $msg:expr) => {
            return Ok(Err(($field, $msg)))
        };
    }
    if let Err(e) = Code::parse(&row.code) {
        bail!("code", format!("code {e}"));
    }
    if known.contains_key(&row.code) || db.org_by_code(&row.code).await?.is_some() {
        bail!("code", format!("org {} already exists", row.code));
    }
    let name = match checked_name(&row.name) {
        Ok(name) => name,
        Err(m) => bail!("name", m),
    };
    let Some(kind) = OrgKind::parse(&row.kind) else {
        bail!(
            "kind",
            format!("kind must be one of {}", OrgKind::choices())
        );
    };
    let parent = match row.parent.as_deref().filter(|p| !p.is_empty()) {
        None => None,
        Some(code) => {
            if !known.contains_key(code) {
                if let Some(org) = db.org_by_code(code).await? {
                    known.insert(org.code, (org.kind, org.tz));
                }
            }
            match known.get(code) {
                Some(found) => Some((code.to_owned(), *found)),
                None => bail!(
                    "parent",
                    format!("parent {code} does not exist (or is refused above)")
                ),
            }
        }
    };
    let parent_kind = parent.as_ref().map(|(_, (k, _))| *k);
    if !kind.may_sit_under(parent_kind) {
        let under = parent_kind.map_or("the root".to_owned(), |k| format!("a {}", k.as_str()));
        let msg = format!("a {} cannot sit under {under}", kind.as_str());
        if parent.is_some() {
            bail!("parent", msg);
        }
        bail!("kind", msg);
    }
    let sector = match optional(&row.sector, Sector::parse, "sector", &Sector::choices()) {
        Ok(sector) => sector,
        Err(m) => bail!("sector", m),
    };
    let settlement = match optional(
        &row.settlement,
        Settlement::parse,
        "settlement",
        &Settlement::choices(),
    ) {
        Ok(settlement) => settlement,
        Err(m) => bail!("settlement", m),
    };
    let inherited = parent.as_ref().map_or(DEFAULT_TZ, |(_, (_, tz))| *tz);
    let tz = match row.tz.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        Some(tz) => match Tz::parse(tz) {
            Ok(tz) => tz,
            Err(e) => bail!("tz", e.to_string()),
        },
        None => inherited,
    };
    // Figures are dated in the institution's zone; a department's own would be ignored.
    if kind == OrgKind::Department && tz != inherited {
        bail!(
            "tz",
            format!(
                "a department reports in its institution's time zone ({inherited}); leave tz empty"
            )
        );
    }
    let bus_gov_id = match checked_bus_gov_id(row.bus_gov_id.as_deref()) {
        Ok(id) => id,
        Err(m) => bail!("bus_gov_id", m),
    };
    Ok(Ok(NewOrgRow {
        code: row.code.clone(),
        name,
        kind,
        parent: parent.map(|(code, _)| code),
        sector,
        tz,
        settlement,
        bus_gov_id,
    }))
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
