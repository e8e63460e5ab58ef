//! `GET /api/v1/export/stats.csv|stats.xlsx|responses.csv|responses.sqlite`: the officials'
//! downloads. Each names the questionnaire versions pooled and the methodology version in
//! `X-Otklik-Questionnaire-Versions` and `X-Otklik-Methodology`, and its file name in
//! `Content-Disposition` (RFC 6266 with the RFC 5987 `filename*`).

use actix_web::http::header::{self, HeaderValue};
use actix_web::web::{self, Bytes};
use actix_web::{HttpResponse, HttpResponseBuilder};
use futures_util::{stream, StreamExt};
use serde::Deserialize;
use tokio::io::AsyncReadExt;

use crate::auth::Caller;
use crate::error::{ApiError, ApiResult};
use crate::exports::responses::{self, ResponsesQuery};
use crate::exports::stats_csv::{self, Separator};
use crate::exports::{responses_sqlite, stats_table, stats_xlsx, ExportMeta};
use crate::service_error::ServiceError;
use crate::state::AppState;
use crate::stats::StatsQuery;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/export/stats.csv", web::get().to(stats_csv))
        .route("/export/stats.xlsx", web::get().to(stats_xlsx))
        .route("/export/responses.csv", web::get().to(responses_csv))
        .route("/export/responses.sqlite", web::get().to(responses_sqlite));
}

/// `sep` of `stats.csv`, read beside the `/stats` parameters.
#[derive(Deserialize)]
struct SepQuery {
    #[serde(default)]
    sep: Separator,
}

async fn stats_csv(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<StatsQuery>,
    sep: web::Query<SepQuery>,
) -> ApiResult<HttpResponse> {
    let table = stats_table::build(state.stats(), &caller, &query).await?;
    let body = stats_csv::render(&table, sep.sep);
    Ok(download(&table.meta, "stats", "csv", "text/csv; charset=utf-8").body(body))
}

async fn stats_xlsx(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<StatsQuery>,
) -> ApiResult<HttpResponse> {
    let table = stats_table::build(state.stats(), &caller, &query).await?;
    let meta = table.meta.clone();
    let body = web::block(move || stats_xlsx::render(&table))
        .await
        .map_err(|e| ServiceError::Internal(e.into()))??;
    Ok(download(
        &meta,
        "stats",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    .body(body))
}

async fn responses_csv(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ResponsesQuery>,
) -> ApiResult<HttpResponse> {
    let export = responses::prepare(state.stats(), &caller, &query).await?;
    let meta = export.meta.clone();
    let body = export
        .csv()
        .map(|chunk| chunk.map(Bytes::from).map_err(ApiError::from));
    Ok(download(&meta, "responses", "csv", "text/csv; charset=utf-8").streaming(body))
}

async fn responses_sqlite(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ResponsesQuery>,
) -> ApiResult<HttpResponse> {
    let export = responses::prepare(state.stats(), &caller, &query).await?;
    let file = responses_sqlite::build(&export).await?;
    let file = tokio::fs::File::from_std(file);
    let body = stream::unfold(Some(file), |file| async move {
        let mut file = file?;
        let mut buf = vec![0; 64 * 1024];
        match file.read(&mut buf).await {
            Ok(0) => None,
            Ok(n) => {
                buf.truncate(n);
                Some((Ok(Bytes::from(buf)), Some(file)))
            }
            Err(e) => Some((Err(ApiError::from(ServiceError::Internal(e.into()))), None)),
        }
    });
    Ok(download(
        &export.meta,
        "responses",
        "sqlite",
        "application/vnd.sqlite3",
    )
    .streaming(body))
}

/// A download's headers: type, file name, versions and methodology.
fn download(meta: &ExportMeta, what: &str, ext: &str, content_type: &str) -> HttpResponseBuilder {
    let name = format!("otklik-{what}-{}-{}.{ext}", meta.org.0, meta.questionnaire);
    let mut res = HttpResponse::Ok();
    res.content_type(content_type)
        .insert_header((header::CONTENT_DISPOSITION, disposition(&name)))
        .insert_header(("X-Otklik-Questionnaire-Versions", meta.versions_list()));
    if let Ok(v) = HeaderValue::from_str(&meta.methodology) {
        res.insert_header(("X-Otklik-Methodology", v));
    }
    res
}

/// `attachment` with an ASCII `filename` and the exact UTF-8 name as `filename*` (RFC 5987).
pub(super) fn disposition(name: &str) -> String {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-._".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cyrillic_file_name_travels_as_rfc_5987() {
        assert_eq!(
            disposition("отчёт a.csv"),
            "attachment; filename=\"______a.csv\"; filename*=UTF-8''%D0%BE%D1%82%D1%87%D1%91%D1%82%20a.csv"
        );
    }
}
