//! QR codes and posters: `GET /points/{code}/qr.svg`, `/points/{code}/qr.png`,
//! `/points/{code}/poster.pdf` and `/posters.zip` (who may fetch which: [`crate::posters`]).

use actix_web::http::header::{
    self, Charset, ContentDisposition, ContentEncoding, DispositionParam, DispositionType,
    ExtendedValue,
};
use actix_web::{web, HttpResponse};
use futures_util::StreamExt;
use serde::Deserialize;

use crate::auth::Caller;
use crate::error::ApiResult;
use crate::posters::{self, PosterFormat};
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/points/{code}/qr.svg", web::get().to(qr_svg))
        .route("/points/{code}/qr.png", web::get().to(qr_png))
        .route("/points/{code}/poster.pdf", web::get().to(poster_pdf))
        .route("/posters.zip", web::get().to(posters_zip));
}

/// A point's code never changes what it encodes while the public URL stays: caches may keep it
/// for a day.
const QR_CACHE: &str = "public, max-age=86400";

async fn qr_svg(state: web::Data<AppState>, code: web::Path<String>) -> ApiResult<HttpResponse> {
    let svg = posters::qr_svg(&state.db, &state.public_url, &code).await?;
    Ok(HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((header::CACHE_CONTROL, QR_CACHE))
        .body(svg))
}

#[derive(Deserialize)]
struct PngQuery {
    size: Option<u32>,
}

async fn qr_png(
    state: web::Data<AppState>,
    code: web::Path<String>,
    query: web::Query<PngQuery>,
) -> ApiResult<HttpResponse> {
    let png = posters::qr_png(&state.db, &state.public_url, &code, query.size).await?;
    Ok(HttpResponse::Ok()
        .content_type("image/png")
        .insert_header((header::CACHE_CONTROL, QR_CACHE))
        // Already compressed: the compression middleware leaves it alone.
        .insert_header(ContentEncoding::Identity)
        .body(png))
}

#[derive(Deserialize)]
struct PosterQuery {
    #[serde(default)]
    format: PosterFormat,
}

async fn poster_pdf(
    state: web::Data<AppState>,
    caller: Caller,
    code: web::Path<String>,
    query: web::Query<PosterQuery>,
) -> ApiResult<HttpResponse> {
    let format = query.format;
    let pdf = posters::poster(&state.db, &state.public_url, &caller, &code, format).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header(ContentDisposition {
            disposition: DispositionType::Inline,
            parameters: vec![DispositionParam::Filename(format!(
                "poster-{code}-{}.pdf",
                format.as_str()
            ))],
        })
        .insert_header(ContentEncoding::Identity)
        .body(pdf))
}

#[derive(Deserialize)]
struct ZipQuery {
    org: String,
}

async fn posters_zip(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ZipQuery>,
) -> ApiResult<HttpResponse> {
    let archive =
        posters::subtree_archive(&state.db, &state.public_url, &caller, &query.org).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header(attachment(&archive.org_code, &archive.org_name))
        .insert_header(ContentEncoding::Identity)
        .streaming(archive.chunks.map(|chunk| chunk.map(web::Bytes::from))))
}

/// `attachment` named `posters-<code>.zip` for old clients and «Плакаты — <org name>.zip»
/// (RFC 5987 `filename*`) for the rest; characters a file system refuses become `_`.
fn attachment(code: &str, name: &str) -> ContentDisposition {
    let name: String = name
        .chars()
        .map(|c| {
            if c.is_control() || "/\\:*?\"<>|".contains(c) {
                '_'
            } else {
                c
            }
        })
        .collect();
    ContentDisposition {
        disposition: DispositionType::Attachment,
        parameters: vec![
            DispositionParam::Filename(format!("posters-{code}.zip")),
            DispositionParam::FilenameExt(ExtendedValue {
                charset: Charset::Ext("UTF-8".into()),
                language_tag: None,
                value: format!("Плакаты — {name}.zip").into_bytes(),
            }),
        ],
    }
}
