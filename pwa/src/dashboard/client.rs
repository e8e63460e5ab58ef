//! The endpoints the dashboard reads (`contract.md` §4–§5), typed with the shared reply
//! shapes, and what their failures mean to the person looking at the screen.

use otklik_shared::api::{Org, OrgsReply, PointsReply, StatsReply};

use super::period::Quarter;
use super::session::SessionContext;
use crate::api::{self, ApiError};
use crate::i18n::{fill, DashboardStrings};

/// `GET /orgs`: every org in the caller's scope.
///
/// # Errors
/// As [`api::get_with_token`].
pub async fn orgs(token: &str) -> Result<Vec<Org>, ApiError> {
    let reply: OrgsReply = api::get_with_token("/orgs", token).await?;
    Ok(reply.orgs)
}

/// The questionnaires the points of `org`'s subtree run, each once, by id.
///
/// # Errors
/// As [`api::get_with_token`]; 403 for a role that lists no points.
pub async fn questionnaires(token: &str, org: &str) -> Result<Vec<String>, ApiError> {
    let reply: PointsReply =
        api::get_with_token(&format!("/points?org={}", encode(org)), token).await?;
    let mut ids: Vec<String> = reply.points.into_iter().map(|p| p.questionnaire).collect();
    ids.sort();
    ids.dedup();
    Ok(ids)
}

/// `GET /stats` of `org`'s subtree for `questionnaire` over the days of `quarter`.
///
/// # Errors
/// As [`api::get_with_token`].
pub async fn stats(
    token: &str,
    org: &str,
    questionnaire: &str,
    quarter: Quarter,
) -> Result<StatsReply, ApiError> {
    let (from, to) = quarter.days();
    let path = format!(
        "/stats?org={}&questionnaire={}&from={from}&to={to}",
        encode(org),
        encode(questionnaire)
    );
    api::get_with_token(&path, token).await
}

/// Whether the server refused the token (expired, revoked, the user disabled): the caller
/// then ends the session with [`SessionContext::expire`].
pub fn token_refused(error: &ApiError) -> bool {
    matches!(error, ApiError::Http { status: 401, .. })
}

/// Ends the session when `error` is a refused token; the sign-in screen then takes over.
pub fn expire_if_refused(error: &ApiError, session: SessionContext) {
    if token_refused(error) {
        session.expire();
    }
}

/// What a failed read shows on screen.
pub fn explain(error: &ApiError, t: &DashboardStrings) -> String {
    match error {
        ApiError::Http { status: 403, .. } => t.forbidden.to_owned(),
        ApiError::Http { status: 404, .. } => t.unknown_org.to_owned(),
        ApiError::Http { status, .. } => {
            fill(t.load_failed, &[("reason", &format!("HTTP {status}"))])
        }
        ApiError::Network(_) => t.no_connection.to_owned(),
        ApiError::Decode(reason) => fill(t.load_failed, &[("reason", reason)]),
    }
}

fn encode(value: &str) -> String {
    js_sys::encode_uri_component(value).into()
}
