//! What officials do with orgs through the API, inside their scope: list a subtree, add one org
//! or a CSV file of them strictly below their scope, correct an org's name, settlement and
//! bus.gov.ru id.

use std::collections::HashSet;

use otklik_shared::access::Action;
use otklik_shared::api::Org;
use otklik_shared::org::Settlement;
use serde::Deserialize;
use serde_json::json;

use super::csv::{decode, parse_csv};
use super::{add_orgs, checked_bus_gov_id, checked_name, optional, NewOrg};
use crate::auth::Caller;
use crate::db::orgs::OrgRow;
use crate::db::Database;
use crate::patch::present;
use crate::service_error::{ServiceError, ServiceResult};

/// An org as the API shows it (`contract.md` §5 «Org»; the shared type the dashboard reads).
impl From<OrgRow> for Org {
    fn from(o: OrgRow) -> Self {
        Self {
            tz: o.tz.to_string(),
            code: o.code,
            name: o.name,
            kind: o.kind,
            parent: o.parent,
            sector: o.sector,
            settlement: o.settlement,
            bus_gov_id: o.bus_gov_id,
        }
    }
}

/// The org with this code, or 404 `unknown_org`.
///
/// # Errors
/// 404, or a database failure.
pub async fn org_or_404(db: &Database, code: &str) -> ServiceResult<OrgRow> {
    db.org_by_code(code)
        .await?
        .ok_or_else(|| ServiceError::not_found("unknown_org", format!("no org {code}")))
}

/// The org `code` after the caller's check for `action` on it (none from the command line,
/// run by the server's administrator).
///
/// # Errors
/// 404 `unknown_org`, 403 when the caller may not, or a database failure.
pub async fn checked_org(
    db: &Database,
    caller: Option<&Caller>,
    action: Action,
    code: &str,
) -> ServiceResult<OrgRow> {
    let org = org_or_404(db, code).await?;
    if let Some(caller) = caller {
        caller.require(action, &org)?;
    }
    Ok(org)
}

/// The orgs in the caller's scope, by path: the whole subtree of their scope, or only the
/// direct children of `parent` (which must be in scope).
///
/// # Errors
/// 403 for a role that lists no orgs or a parent outside the scope, 404 for an unknown parent.
pub async fn list_orgs(
    db: &Database,
    caller: &Caller,
    parent: Option<&str>,
) -> ServiceResult<Vec<Org>> {
    caller.may(Action::ListOrgs)?;
    let rows = match parent {
        Some(code) => {
            let parent = org_or_404(db, code).await?;
            caller.require(Action::ListOrgs, &parent)?;
            db.list_orgs(parent.path.as_str(), Some(parent.id)).await?
        }
        None => db.list_orgs(caller.scope_root(), None).await?,
    };
    Ok(rows.into_iter().map(Org::from).collect())
}

/// May the caller add an org under `parent`: strictly below their scope, so a scoped caller
/// needs a parent inside it, and a root org (a region) needs the whole tree. An unknown parent
/// passes here and is refused by [`add_orgs`] with the line that names it.
async fn require_parent(db: &Database, caller: &Caller, parent: Option<&str>) -> ServiceResult<()> {
    match parent.filter(|p| !p.is_empty()) {
        None => caller.require_everywhere(Action::ManageOrgs, "the root of the org tree"),
        Some(code) => match db.org_by_code(code).await? {
            Some(parent) => caller.require(Action::ManageOrgs, &parent),
            None => Ok(()),
        },
    }
}

/// Adds one org below the caller's scope.
///
/// # Errors
/// 403 outside the scope, 422 `invalid_org` naming the field, 409 for an existing code.
pub async fn create_org(db: &Database, caller: &Caller, org: &NewOrg) -> ServiceResult<Org> {
    caller.may(Action::ManageOrgs)?;
    require_parent(db, caller, org.parent.as_deref()).await?;
    let mut added = add_orgs(db, std::slice::from_ref(org), |_| "org".to_owned()).await?;
    let row = added
        .pop()
        .ok_or_else(|| ServiceError::Internal(anyhow::anyhow!("one org added, none returned")))?;
    tracing::info!(org = %row.code, "org added");
    Ok(row.into())
}

/// Imports a CSV file (any encoding and separator [`decode`] and [`parse_csv`] accept) below
/// the caller's scope, all or nothing.
///
/// # Errors
/// 403 when a row's parent lies outside the scope; 422 `invalid_org` whose details list every
/// error with its line number (`{"errors": [{"line", "field", "message", …}]}`).
pub async fn import_orgs(db: &Database, caller: &Caller, bytes: &[u8]) -> ServiceResult<Vec<Org>> {
    caller.may(Action::ManageOrgs)?;
    let rows = parse_csv(&decode(bytes)).map_err(|e| line_error(e.line, None, e.message))?;
    let (lines, orgs): (Vec<usize>, Vec<NewOrg>) = rows.into_iter().unzip();
    // Rows under rows of the same file lie wherever their parent does: check the others.
    let in_file: HashSet<&str> = orgs.iter().map(|o| o.code.as_str()).collect();
    for org in &orgs {
        let parent = org.parent.as_deref();
        if !parent.is_some_and(|p| in_file.contains(p)) {
            require_parent(db, caller, parent).await?;
        }
    }
    let added = add_orgs(db, &orgs, |i| format!("line {}", lines[i]))
        .await
        .map_err(|e| match e {
            ServiceError::Invalid {
                code,
                field,
                message,
                details: Some(mut details),
            } => {
                // Index → line, for people and programs alike.
                for error in details["errors"].as_array_mut().into_iter().flatten() {
                    let index = error["index"]
                        .as_u64()
                        .and_then(|i| usize::try_from(i).ok());
                    if let Some(line) = index.and_then(|i| lines.get(i)) {
                        error["line"] = json!(line);
                    }
                }
                ServiceError::Invalid {
                    code,
                    field,
                    message,
                    details: Some(details),
                }
            }
            other => other,
        })?;
    tracing::info!(orgs = added.len(), "orgs imported");
    Ok(added.into_iter().map(Org::from).collect())
}

/// A 422 about a line of an import file that does not parse.
fn line_error(line: u64, field: Option<&'static str>, message: String) -> ServiceError {
    let message = format!("line {line}: {message}");
    ServiceError::Invalid {
        code: "invalid_org",
        field,
        details: Some(json!({"errors": [{"line": line, "field": field, "message": message}]})),
        message,
    }
}

/// What `PATCH /orgs/{code}` may change; absent fields stay, `null` clears an optional one.
/// Code, kind, parent, time zone and sector stay: paths, dated figures and the questionnaires
/// allowed at the org's points hang on them.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgPatch {
    /// New name.
    pub name: Option<String>,
    /// `urban`, `rural` or `null`.
    #[serde(default, deserialize_with = "present")]
    pub settlement: Option<Option<String>>,
    /// bus.gov.ru id or `null`.
    #[serde(default, deserialize_with = "present")]
    pub bus_gov_id: Option<Option<String>>,
}

/// Corrects an org's name, settlement or bus.gov.ru id.
///
/// # Errors
/// 404 `unknown_org`, 403 outside the scope, 422 `invalid_org` naming the field.
pub async fn update_org(
    db: &Database,
    caller: &Caller,
    code: &str,
    patch: &OrgPatch,
) -> ServiceResult<Org> {
    caller.may(Action::ManageOrgs)?;
    let org = org_or_404(db, code).await?;
    caller.require(Action::ManageOrgs, &org)?;
    let invalid =
        |field: &'static str| move |m: String| ServiceError::invalid_field("invalid_org", field, m);
    let name = match &patch.name {
        Some(name) => checked_name(name).map_err(invalid("name"))?,
        None => org.name.clone(),
    };
    let settlement = match &patch.settlement {
        Some(value) => optional(
            value,
            Settlement::parse,
            "settlement",
            &Settlement::choices(),
        )
        .map_err(invalid("settlement"))?,
        None => org.settlement,
    };
    let bus_gov_id = match &patch.bus_gov_id {
        Some(value) => checked_bus_gov_id(value.as_deref()).map_err(invalid("bus_gov_id"))?,
        None => org.bus_gov_id.clone(),
    };
    db.update_org(org.id, &name, settlement, bus_gov_id.as_deref())
        .await?;
    tracing::info!(org = %org.code, "org updated");
    Ok(Org {
        name,
        settlement,
        bus_gov_id,
        ..org.into()
    })
}
