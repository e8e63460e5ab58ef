//! `/api/v1/nsi/…`: НСИ targets and baselines (versioned), process-time measurements, the
//! quarterly report per life situation and its stage view.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use super::body::read_json;
use super::exports::disposition;
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::exports::nsi_xlsx;
use crate::nsi::report::{overview, report, OverviewQuery, ReportQuery};
use crate::nsi::stages::{stages, StagesQuery};
use crate::nsi::{self, BaselineInput, MeasurementInput, TargetInput};
use crate::service_error::ServiceError;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/nsi/targets", web::put().to(put_target))
        .route("/nsi/targets", web::get().to(get_targets))
        .route("/nsi/baselines", web::put().to(put_baseline))
        .route("/nsi/baselines", web::get().to(get_baselines))
        .route("/nsi/time-measurements", web::post().to(post_measurement))
        .route("/nsi/report", web::get().to(get_report))
        .route("/nsi/overview", web::get().to(get_overview))
        .route("/nsi/stages", web::get().to(get_stages))
        .route("/export/nsi-report.xlsx", web::get().to(get_report_xlsx));
}

/// Which versions to list.
#[derive(Debug, Deserialize)]
struct VersionsQuery {
    org: String,
    life_situation: String,
    year: Option<i32>,
}

async fn put_target(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let input: TargetInput = read_json(&req, payload).await?;
    Ok(HttpResponse::Ok().json(nsi::put_target(&state.db, Some(&caller), &input).await?))
}

async fn get_targets(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<VersionsQuery>,
) -> ApiResult<HttpResponse> {
    let reply = nsi::targets(&state.db, &caller, &q.org, &q.life_situation, q.year).await?;
    Ok(HttpResponse::Ok().json(reply))
}

async fn put_baseline(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let input: BaselineInput = read_json(&req, payload).await?;
    Ok(HttpResponse::Ok().json(nsi::put_baseline(&state.db, Some(&caller), &input).await?))
}

async fn get_baselines(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<VersionsQuery>,
) -> ApiResult<HttpResponse> {
    let reply = nsi::baselines(&state.db, &caller, &q.org, &q.life_situation).await?;
    Ok(HttpResponse::Ok().json(reply))
}

async fn post_measurement(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let input: MeasurementInput = read_json(&req, payload).await?;
    let stored = nsi::add_measurement(&state.db, Some(&caller), &input).await?;
    Ok(HttpResponse::Created().json(stored))
}

async fn get_report(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<ReportQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(report(state.stats(), &caller, &q).await?))
}

async fn get_report_xlsx(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<ReportQuery>,
) -> ApiResult<HttpResponse> {
    let report = report(state.stats(), &caller, &q).await?;
    let name = format!(
        "otklik-nsi-{}-{}-{}.xlsx",
        report.org, report.life_situation.code, report.year
    );
    let body = web::block(move || nsi_xlsx::render(&report))
        .await
        .map_err(|e| ServiceError::Internal(e.into()))??;
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((header::CONTENT_DISPOSITION, disposition(&name)))
        .body(body))
}

async fn get_overview(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<OverviewQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(overview(state.stats(), &caller, &q).await?))
}

async fn get_stages(
    state: web::Data<AppState>,
    caller: Caller,
    q: web::Query<StagesQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(stages(state.stats(), &caller, &q).await?))
}
