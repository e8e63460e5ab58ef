//! Kiosk devices: enrolment codes, enrolment, the fleet list with sequence gaps, revocation.

use actix_web::{web, HttpRequest, HttpResponse};
use chrono::Utc;
use otklik_shared::org::Role;
use serde::Deserialize;
use serde_json::json;

use crate::auth::Caller;
use crate::body::read_json;
use crate::devices::{enrol, mint_code, missing_ranges, NewCode};
use crate::error::{ApiError, ApiResult};
use crate::startup::AppState;

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
    Ok(HttpResponse::Created().json(mint_code(&state, Some(&caller), &new).await?))
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
    Ok(HttpResponse::Created().json(enrol(&state, &body.code, &body.name).await?))
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
    let org = state
        .db
        .org_by_code(&query.org)
        .await?
        .ok_or_else(|| ApiError::not_found("unknown_org", format!("no org {}", query.org)))?;
    if caller.role == Role::Observer {
        return Err(ApiError::forbidden("observers do not manage devices"));
    }
    if !caller.covers(org.path.as_str()) {
        return Err(ApiError::out_of_scope(&format!("org {}", org.code)));
    }
    let mut devices = Vec::new();
    for d in state.db.list_devices(&org.path).await? {
        let seqs = state.db.device_seqs(&d.id).await?;
        devices.push(json!({
            "device": d.id,
            "name": d.name,
            "org": d.org,
            "point": d.point,
            "enrolled_at": d.enrolled_at,
            "last_seen": d.last_seen,
            "last_seq": seqs.last(),
            "received": seqs.len(),
            "missing": missing_ranges(&seqs),
            "revoked": d.revoked_at.is_some(),
        }));
    }
    Ok(HttpResponse::Ok().json(json!({ "devices": devices })))
}

async fn revoke_device(
    state: web::Data<AppState>,
    caller: Caller,
    device: web::Path<String>,
) -> ApiResult<HttpResponse> {
    if !matches!(caller.role, Role::Admin | Role::Official) {
        return Err(ApiError::forbidden(
            "only officials and admins revoke devices",
        ));
    }
    let d = state
        .db
        .device_by_id(&device)
        .await?
        .ok_or_else(|| ApiError::not_found("unknown_device", format!("no device {device}")))?;
    if !caller.covers(d.org_path.as_str()) {
        return Err(ApiError::out_of_scope(&format!("device {}", d.id)));
    }
    state.db.revoke_device(&d.id, Utc::now()).await?;
    tracing::info!(device = %d.id, "device revoked");
    Ok(HttpResponse::Ok().json(json!({"device": d.id, "revoked": true})))
}
