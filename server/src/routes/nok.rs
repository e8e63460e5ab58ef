//! `PUT/GET /api/v1/nok/checklists/{org}/{year}`: НОК expert checklists.

use actix_web::{web, HttpRequest, HttpResponse};
use otklik_shared::nok::Checklist;

use super::body::read_json;
use crate::auth::Caller;
use crate::checklists;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/nok/checklists/{org}/{year}", web::put().to(put_checklist))
        .route("/nok/checklists/{org}/{year}", web::get().to(get_checklist));
}

async fn put_checklist(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let (org, year) = path.into_inner();
    let checklist: Checklist = read_json(&req, payload).await?;
    let stored = checklists::put(
        &state.db,
        &state.methodology,
        Some(&caller),
        &org,
        &year,
        checklist,
    )
    .await?;
    Ok(HttpResponse::Ok().json(stored))
}

async fn get_checklist(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
) -> ApiResult<HttpResponse> {
    let (org, year) = path.into_inner();
    let stored = checklists::get(&state.db, &state.methodology, &caller, &org, &year).await?;
    Ok(HttpResponse::Ok().json(stored))
}
