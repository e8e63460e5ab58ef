//! Public reads: a point with its questionnaire, questionnaire versions, life situations.

use actix_web::{web, HttpResponse};
use otklik_shared::api::{OrgRef, PointInfo, PointRef, Sibling};
use serde_json::json;

use crate::error::{ApiError, ApiResult};
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/points/{code}", web::get().to(get_point))
        .route(
            "/questionnaires/{id}/{version}",
            web::get().to(get_questionnaire),
        )
        .route("/life-situations", web::get().to(list_life_situations));
}

async fn get_point(state: web::Data<AppState>, code: web::Path<String>) -> ApiResult<HttpResponse> {
    let info = point_info(&state, &code)
        .await?
        .ok_or_else(|| ApiError::not_found("unknown_point", format!("no survey point {code}")))?;
    Ok(HttpResponse::Ok().json(info))
}

/// The point with its institution, questionnaire (current version) and sibling points: what
/// `GET /api/v1/points/{code}` answers and what the survey page embeds. `None` for an unknown
/// code.
///
/// # Errors
/// Database failure, or a point naming a questionnaire the catalogue lacks.
pub(crate) async fn point_info(state: &AppState, code: &str) -> ApiResult<Option<PointInfo>> {
    let Some(point) = state.db.point_by_code(code).await? else {
        return Ok(None);
    };
    let questionnaire = state
        .catalog
        .get(&state.db, &point.questionnaire, None)
        .await?
        .ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!(
                "point {} names a missing questionnaire",
                point.code
            ))
        })?;
    let mut siblings = Vec::new();
    for other in state.db.points_of_institution(point.institution_id).await? {
        if other.code == point.code {
            continue;
        }
        if let Some(q) = state
            .catalog
            .get(&state.db, &other.questionnaire, None)
            .await?
        {
            siblings.push(Sibling {
                code: other.code,
                questionnaire: q.id.clone(),
                version: q.version,
            });
        }
    }
    Ok(Some(PointInfo {
        point: PointRef {
            code: point.code,
            life_situation: point.life_situation,
            stage: point.stage,
        },
        org: OrgRef {
            code: point.org_code,
            name: point.org_name,
            tz: point.tz.to_string(),
        },
        questionnaire: (*questionnaire).clone(),
        siblings,
    }))
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
