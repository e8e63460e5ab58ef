//! What «Ввод анкет» reads: the survey points a role may key in for.

use otklik_shared::access::{allows, Action};
use otklik_shared::api::{Point, PointsReply};
use otklik_shared::org::Role;

use super::encode;
use crate::api::{self, ApiError};

/// The points of `org`'s subtree, by code: `GET /points` for a role that lists points,
/// else (an observer) `GET /observations/points`, the points to record walk-throughs at.
///
/// # Errors
/// As [`api::get_with_token`].
pub async fn points(token: &str, org: &str, role: Role) -> Result<Vec<Point>, ApiError> {
    let list = if allows(role, Action::ListPoints) {
        "/points"
    } else {
        "/observations/points"
    };
    let reply: PointsReply =
        api::get_with_token(&format!("{list}?org={}", encode(org)), token).await?;
    let mut points = reply.points;
    points.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(points)
}
