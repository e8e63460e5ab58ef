//! `GET /api/v1/comments` and `PUT /api/v1/comments/{response}/{question}/review`.

use actix_web::{web, HttpRequest, HttpResponse};

use super::body::read_json;
use crate::auth::Caller;
use crate::comments::review::{put_review, ReviewInput};
use crate::comments::{page, CommentsQuery};
use crate::error::ApiResult;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/comments", web::get().to(get_comments)).route(
        "/comments/{response}/{question}/review",
        web::put().to(put_comment_review),
    );
}

async fn get_comments(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<CommentsQuery>,
) -> ApiResult<HttpResponse> {
    Ok(HttpResponse::Ok().json(page(&state.db, &state.catalog, &caller, &query).await?))
}

async fn put_comment_review(
    req: HttpRequest,
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    payload: web::Payload,
) -> ApiResult<HttpResponse> {
    let input: ReviewInput = read_json(&req, payload).await?;
    let (response, question) = path.into_inner();
    let review = put_review(
        &state.db,
        &state.catalog,
        &caller,
        (&response, &question),
        &input,
    )
    .await?;
    Ok(HttpResponse::Ok().json(review))
}
