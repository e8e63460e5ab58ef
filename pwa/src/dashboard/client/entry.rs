//! What «Ввод анкет» reads: the survey points an operator may key in for.

use otklik_shared::api::{Point, PointsReply};

use super::encode;
use crate::api::{self, ApiError};

/// `GET /points?org=`: the points of `org`'s subtree, by code.
///
/// # Errors
/// As [`api::get_with_token`].
pub async fn points(token: &str, org: &str) -> Result<Vec<Point>, ApiError> {
    let reply: PointsReply =
        api::get_with_token(&format!("/points?org={}", encode(org)), token).await?;
    let mut points = reply.points;
    points.sort_by(|a, b| a.code.cmp(&b.code));
    Ok(points)
}
