//! What officials do with survey points through the API, inside their scope: list an org's
//! points with the link their QR code encodes, add one, change its life situation and stage.

use otklik_shared::access::Action;
use otklik_shared::api::Point;
use serde::Deserialize;

use super::{add_point, check_situation, NewPoint};
use crate::auth::Caller;
use crate::catalog::Catalog;
use crate::db::points::PointRow;
use crate::db::Database;
use crate::orgs::manage::org_or_404;
use crate::patch::present;
use crate::service_error::{ServiceError, ServiceResult};

/// A point as the API shows it (the shared type the dashboard reads).
fn point_view(p: PointRow, public_url: &str) -> Point {
    Point {
        url: point_url(public_url, &p.code),
        code: p.code,
        org: p.org_code,
        questionnaire: p.questionnaire,
        life_situation: p.life_situation,
        stage: p.stage,
    }
}

/// The link a point's QR code and posters carry (`public_url` without a trailing slash).
pub fn point_url(public_url: &str, code: &str) -> String {
    format!("{public_url}/q/{code}")
}

/// The points of an org's subtree.
///
/// # Errors
/// 404 `unknown_org`, 403 for a role that lists no points or an org outside the scope.
pub async fn list_points(
    db: &Database,
    caller: &Caller,
    org: &str,
    public_url: &str,
) -> ServiceResult<Vec<Point>> {
    points_for(db, caller, org, public_url, Action::ListPoints).await
}

/// The points of an org's subtree at which the caller may record walk-throughs: what an
/// observer, who lists no points otherwise, needs to key one in (`GET /observations/points`).
///
/// # Errors
/// As [`list_points`], for a role that records no walk-throughs.
pub async fn observation_points(
    db: &Database,
    caller: &Caller,
    org: &str,
    public_url: &str,
) -> ServiceResult<Vec<Point>> {
    points_for(db, caller, org, public_url, Action::RecordObservations).await
}

/// The points of `org`'s subtree for a caller allowed `action` there.
async fn points_for(
    db: &Database,
    caller: &Caller,
    org: &str,
    public_url: &str,
    action: Action,
) -> ServiceResult<Vec<Point>> {
    caller.may(action)?;
    let org = org_or_404(db, org).await?;
    caller.require(action, &org)?;
    let rows = db.points_under(org.path.as_str()).await?;
    Ok(rows
        .into_iter()
        .map(|p| point_view(p, public_url))
        .collect())
}

/// Adds a point at an org in the caller's scope.
///
/// # Errors
/// 403 outside the scope, 422 `invalid_point` naming the field, 409 for an existing code.
pub async fn create_point(
    db: &Database,
    catalog: &Catalog,
    caller: &Caller,
    point: &NewPoint,
    public_url: &str,
) -> ServiceResult<Point> {
    caller.may(Action::ManagePoints)?;
    // An unknown org is add_point's 422 naming `org`.
    if let Some(org) = db.org_by_code(&point.org).await? {
        caller.require(Action::ManagePoints, &org)?;
    }
    let row = add_point(db, catalog, point).await?;
    tracing::info!(point = %row.code, "point added");
    Ok(point_view(row, public_url))
}

/// What `PATCH /points/{code}` may change; absent fields stay, `null` clears.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PointPatch {
    /// Life situation code or `null`.
    #[serde(default, deserialize_with = "present")]
    pub life_situation: Option<Option<String>>,
    /// Stage code or `null`.
    #[serde(default, deserialize_with = "present")]
    pub stage: Option<Option<String>>,
}

/// Changes a point's life situation and stage, checked as when a point is added.
///
/// # Errors
/// 404 `unknown_point`, 403 outside the scope, 422 `invalid_point` naming the field.
pub async fn update_point(
    db: &Database,
    caller: &Caller,
    code: &str,
    patch: &PointPatch,
    public_url: &str,
) -> ServiceResult<Point> {
    caller.may(Action::ManagePoints)?;
    let point = db
        .point_by_code(code)
        .await?
        .ok_or_else(|| ServiceError::not_found("unknown_point", format!("no point {code}")))?;
    caller.require(Action::ManagePoints, &point)?;
    let life_situation = patch
        .life_situation
        .clone()
        .unwrap_or_else(|| point.life_situation.clone());
    // A new life situation without a stage given drops the old stage, which belonged to the old one.
    let stage = match (&patch.stage, &patch.life_situation) {
        (Some(stage), _) => stage.clone(),
        (None, Some(_)) => None,
        (None, None) => point.stage.clone(),
    };
    check_situation(db, life_situation.as_deref(), stage.as_deref()).await?;
    db.update_point_situation(point.id, life_situation.as_deref(), stage.as_deref())
        .await?;
    tracing::info!(point = %point.code, "point updated");
    Ok(Point {
        life_situation,
        stage,
        ..point_view(point, public_url)
    })
}
