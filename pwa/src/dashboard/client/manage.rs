//! The management endpoints (`contract.md` §5 «Orgs, points, users»): adding, correcting and
//! importing orgs, listing, adding and disabling staff accounts.

use otklik_shared::api::{Org, OrgReply, OrgsReply, User, UserReply, UsersReply};
use serde::Serialize;

use super::encode;
use crate::api::{self, ApiError, Body};

/// A new org as `POST /orgs` takes it; `None` is «not set» (the time zone then inherited).
#[derive(Debug, Clone, Serialize)]
pub struct NewOrg {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind's wire name.
    pub kind: String,
    /// Parent's code.
    pub parent: String,
    /// Sector's wire name.
    pub sector: Option<String>,
    /// IANA time zone.
    pub tz: Option<String>,
    /// `urban` or `rural`.
    pub settlement: Option<String>,
    /// bus.gov.ru id.
    pub bus_gov_id: Option<String>,
}

/// What `PATCH /orgs/{code}` changes: every field the form shows, `None` clearing it.
#[derive(Debug, Clone, Serialize)]
pub struct OrgPatch {
    /// Name.
    pub name: String,
    /// `urban`, `rural` or `None`.
    pub settlement: Option<String>,
    /// bus.gov.ru id or `None`.
    pub bus_gov_id: Option<String>,
}

/// A new account as `POST /users` takes it.
#[derive(Debug, Clone, Serialize)]
pub struct NewUser {
    /// Login.
    pub login: String,
    /// Password.
    pub password: String,
    /// Role's wire name.
    pub role: String,
    /// Scope org code; `None` for an admin.
    pub scope: Option<String>,
}

/// `PATCH /users/{login}`'s body: the account's new state.
#[derive(Serialize)]
struct Active {
    active: bool,
}

async fn send<T: serde::de::DeserializeOwned>(
    method: &str,
    path: &str,
    body: &impl Serialize,
    token: &str,
) -> Result<T, ApiError> {
    let json = serde_json::to_string(body).map_err(|e| ApiError::Decode(e.to_string()))?;
    api::send_with_token(method, path, Some(Body::Json(json)), token).await
}

/// `POST /orgs`.
///
/// # Errors
/// 422 `invalid_org` naming the field, 409 for a taken code, 403 outside the scope.
pub async fn create_org(token: &str, org: &NewOrg) -> Result<Org, ApiError> {
    let reply: OrgReply = send("POST", "/orgs", org, token).await?;
    Ok(reply.org)
}

/// `PATCH /orgs/{code}`.
///
/// # Errors
/// 422 `invalid_org` naming the field, 403 outside the scope.
pub async fn update_org(token: &str, code: &str, patch: &OrgPatch) -> Result<Org, ApiError> {
    let path = format!("/orgs/{}", encode(code));
    let reply: OrgReply = send("PATCH", &path, patch, token).await?;
    Ok(reply.org)
}

/// `POST /orgs/import` with the bytes of `file` as picked (any encoding the server reads):
/// all its orgs or none.
///
/// # Errors
/// 422 `invalid_org` listing every broken line, 403 for a parent outside the scope.
pub async fn import_orgs(token: &str, file: &web_sys::File) -> Result<Vec<Org>, ApiError> {
    let reply: OrgsReply =
        api::send_with_token("POST", "/orgs/import", Some(Body::Csv(file.clone())), token).await?;
    Ok(reply.orgs)
}

/// `GET /users`: the accounts the caller may manage.
///
/// # Errors
/// As [`api::get_with_token`].
pub async fn users(token: &str) -> Result<Vec<User>, ApiError> {
    let reply: UsersReply = api::get_with_token("/users", token).await?;
    Ok(reply.users)
}

/// `POST /users`.
///
/// # Errors
/// 422 `invalid_user` naming the field, 409 for a taken login, 403 outside the scope.
pub async fn create_user(token: &str, user: &NewUser) -> Result<User, ApiError> {
    let reply: UserReply = send("POST", "/users", user, token).await?;
    Ok(reply.user)
}

/// `PATCH /users/{login}` `{"active": false}`: every token of the account is refused from
/// then on.
///
/// # Errors
/// 422 for one's own account, 403 outside the scope.
pub async fn disable_user(token: &str, login: &str) -> Result<User, ApiError> {
    let path = format!("/users/{}", encode(login));
    let reply: UserReply = send("PATCH", &path, &Active { active: false }, token).await?;
    Ok(reply.user)
}
