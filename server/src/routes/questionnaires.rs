//! `/api/v1/questionnaires`: publishing a questionnaire's next version (an admin's task) and
//! the list of its versions with their freezes. Reading one version is public
//! (`routes::public`).

use actix_web::{web, HttpRequest, HttpResponse};
use otklik_shared::questionnaire::Questionnaire;
use serde_json::json;

use super::body::read_json;
use crate::auth::Caller;
use crate::error::ApiResult;
use crate::questionnaires;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/questionnaires", web::post().to(publish))
        .route("/questionnaires/{id}", web::get().to(versions));
}

async fn publish(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let q: Questionnaire = read_json(&req, payload).await?;
    let published = questionnaires::publish(&state.db, &state.catalog, Some(&caller), q).await?;
    Ok(HttpResponse::Created().json(json!({ "questionnaire": &*published })))
}

/// Any signed-in role may see which versions exist and which are frozen: it is how an
/// official learns why a change was refused.
async fn versions(
    state: web::Data<AppState>,
    _caller: Caller,
    id: web::Path<String>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(questionnaires::versions(&state.db, &state.catalog, &id).await?))
}
