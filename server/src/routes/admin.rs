//! Orgs, points and users (`contract.md` §5 «Orgs, points, users»): lists in the caller's
//! scope, additions, corrections, a CSV import of orgs, disabling accounts.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::body::{read_body, read_json};
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::orgs::manage::{self as orgs, OrgPatch};
use crate::orgs::NewOrg;
use crate::points::manage::{self as points, PointPatch};
use crate::points::NewPoint;
use crate::state::AppState;
use crate::users::{self, NewUser, UserPatch};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/orgs", web::get().to(list_orgs))
        .route("/orgs", web::post().to(create_org))
        .route("/orgs/import", web::post().to(import_orgs))
        .route("/orgs/{code}", web::patch().to(update_org))
        .route("/points", web::get().to(list_points))
        .route(
            "/observations/points",
            web::get().to(list_observation_points),
        )
        .route("/points", web::post().to(create_point))
        .route("/points/{code}", web::patch().to(update_point))
        .route("/users", web::get().to(list_users))
        .route("/users", web::post().to(create_user))
        .route("/users/{login}", web::patch().to(update_user));
}

#[derive(Deserialize)]
struct OrgsQuery {
    parent: Option<String>,
}

async fn list_orgs(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<OrgsQuery>,
) -> ApiResult<HttpResponse> {
    let list = orgs::list_orgs(&state.db, &caller, query.parent.as_deref()).await?;
    Ok(HttpResponse::Ok().json(json!({ "orgs": list })))
}

async fn create_org(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let new: NewOrg = read_json(&req, payload).await?;
    let org = orgs::create_org(&state.db, &caller, &new).await?;
    Ok(HttpResponse::Created().json(json!({ "org": org })))
}

async fn import_orgs(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let body = read_body(&req, payload).await?;
    let added = orgs::import_orgs(&state.db, &caller, &body).await?;
    Ok(HttpResponse::Created().json(json!({ "orgs": added })))
}

async fn update_org(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    code: web::Path<String>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let patch: OrgPatch = read_json(&req, payload).await?;
    let org = orgs::update_org(&state.db, &caller, &code, &patch).await?;
    Ok(HttpResponse::Ok().json(json!({ "org": org })))
}

#[derive(Deserialize)]
struct PointsQuery {
    org: String,
}

async fn list_points(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PointsQuery>,
) -> ApiResult<HttpResponse> {
    let list = points::list_points(&state.db, &caller, &query.org, &state.public_url).await?;
    Ok(HttpResponse::Ok().json(json!({ "points": list })))
}

/// The points an observer (or an official, an admin) may record walk-throughs at.
async fn list_observation_points(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<PointsQuery>,
) -> ApiResult<HttpResponse> {
    let list =
        points::observation_points(&state.db, &caller, &query.org, &state.public_url).await?;
    Ok(HttpResponse::Ok().json(json!({ "points": list })))
}

async fn create_point(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let new: NewPoint = read_json(&req, payload).await?;
    let point =
        points::create_point(&state.db, &state.catalog, &caller, &new, &state.public_url).await?;
    Ok(HttpResponse::Created().json(json!({ "point": point })))
}

async fn update_point(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    code: web::Path<String>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let patch: PointPatch = read_json(&req, payload).await?;
    let point = points::update_point(&state.db, &caller, &code, &patch, &state.public_url).await?;
    Ok(HttpResponse::Ok().json(json!({ "point": point })))
}

async fn list_users(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    let list = users::list_users(&state.db, &caller).await?;
    Ok(HttpResponse::Ok().json(json!({ "users": list })))
}

async fn create_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let new: NewUser = read_json(&req, payload).await?;
    let user = users::create_user(&state.db, &caller, &new).await?;
    Ok(HttpResponse::Created().json(json!({ "user": user })))
}

async fn update_user(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    login: web::Path<String>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let patch: UserPatch = read_json(&req, payload).await?;
    let user = users::update_user(&state.db, &caller, &login, &patch).await?;
    Ok(HttpResponse::Ok().json(json!({ "user": user })))
}
