//! Public reads: a point with its questionnaire, questionnaire versions, life situations, and
//! what an org's officials published in answer to comments («Вы сказали — мы сделали»).

use actix_web::{web, HttpResponse};
use serde_json::json;

use crate::error::{ApiError, ApiResult};
use crate::points;
use crate::published;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/points/{code}", web::get().to(get_point))
        .route(
            "/questionnaires/{id}/{version}",
            web::get().to(get_questionnaire),
        )
        .route("/life-situations", web::get().to(list_life_situations))
        .route("/public/orgs/{org}/answers", web::get().to(get_published));
}

async fn get_point(state: web::Data<AppState>, code: web::Path<String>) -> ApiResult<HttpResponse> {
    let info = points::point_info(&state.db, &state.catalog, &code)
        .await?
        .ok_or_else(|| ApiError::not_found("unknown_point", format!("no survey point {code}")))?;
    Ok(HttpResponse::Ok().json(info))
}

async fn get_questionnaire(
    state: web::Data<AppState>,
    path: web::Path<(String, u32)>,
) -> ApiResult<HttpResponse> {
    let (id, version) = path.into_inner();
    let q = state
        .catalog
        .get(&state.db, &id, Some(version))
        .await?
        .ok_or_else(|| {
            ApiError::not_found(
                "unknown_version",
                format!("{id} has no published version {version}"),
            )
        })?;
    // A published version never changes: clients may cache it for good.
    Ok(HttpResponse::Ok()
        .insert_header(("Cache-Control", "public, max-age=31536000, immutable"))
        .json(&*q))
}

async fn list_life_situations(state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(json!({"life_situations": state.db.life_situations().await?})))
}

async fn get_published(
    state: web::Data<AppState>,
    org: web::Path<String>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(published::of_org(&state.db, &org).await?))
}
