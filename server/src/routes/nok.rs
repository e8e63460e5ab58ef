//! `PUT/GET /api/v1/nok/checklists/{org}/{year}`: НОК expert checklists; `GET
//! /api/v1/nok/methodology`: the calculation table in force, whose item lists the dashboard's
//! checklist form offers.

use actix_web::{web, HttpRequest, HttpResponse};
use otklik_shared::access::Action;
use otklik_shared::nok::Checklist;

use super::body::read_json;
use crate::auth::Caller;
use crate::checklists;
use crate::error::ApiResult;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/nok/checklists/{org}/{year}", web::put().to(put_checklist))
        .route("/nok/checklists/{org}/{year}", web::get().to(get_checklist))
        .route("/nok/methodology", web::get().to(get_methodology));
}

/// The table the server scores with (the shipped file or its corrected copy), so a form
/// offers exactly the items a `PUT` accepts and names the indicators as the figures do. Any
/// reader of results may read it; it holds no data of anyone.
async fn get_methodology(state: web::Data<AppState>, caller: Caller) -> ApiResult<HttpResponse> {
    caller.may(Action::ReadResults)?;
    Ok(HttpResponse::Ok().json(&state.methodology))
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
