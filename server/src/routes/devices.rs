//! Kiosk devices: enrolment codes, enrolment, the fleet list with sequence gaps, revocation.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use super::body::read_json;
use crate::auth::Caller;
use crate::devices::{self, NewCode};
use crate::error::ApiResult;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route(
        "/devices/enrolment-codes",
        web::post().to(create_enrolment_code),
    )
    .route("/devices/enrol", web::post().to(enrol_device))
    .route("/devices", web::get().to(list_devices))
    .route("/devices/{device}", web::delete().to(revoke_device));
}

async fn create_enrolment_code(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let new: NewCode = read_json(&req, payload).await?;
    let invite = devices::invite(&state.db, &state.public_url, &caller, &new).await?;
    Ok(HttpResponse::Created().json(invite))
}

#[derive(Deserialize)]
struct EnrolRequest {
    code: String,
    name: String,
}

async fn enrol_device(
    req: HttpRequest,
    state: web::Data<AppState>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let body: EnrolRequest = read_json(&req, payload).await?;
    Ok(HttpResponse::Created().json(devices::enrol(&state.db, &body.code, &body.name).await?))
}

#[derive(Deserialize)]
struct ListQuery {
    org: String,
}

async fn list_devices(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ListQuery>,
) -> ApiResult<HttpResponse> {
    let fleet = devices::list_fleet(&state.db, &caller, &query.org).await?;
    Ok(HttpResponse::Ok().json(json!({ "devices": fleet })))
}

async fn revoke_device(
    state: web::Data<AppState>,
    caller: Caller,
    device: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let id = devices::revoke(&state.db, &caller, &device).await?;
    Ok(HttpResponse::Ok().json(json!({"device": id, "revoked": true})))
}
