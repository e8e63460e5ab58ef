//! Adding survey points and users, with their rules checked before anything is written.

use otklik_shared::org::{Code, OrgKind, Role};

use crate::auth::hash_password;
use crate::db::points::{NewPointRow, PointRow};
use crate::error::{ApiError, ApiResult};
use crate::startup::AppState;

/// A point as given by a person, before checking.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct NewPoint {
    /// Code (the QR target `/q/<code>`).
    pub code: String,
    /// Org code: an institution or a department.
    pub org: String,
    /// Questionnaire id.
    pub questionnaire: String,
    /// Life situation code.
    pub life_situation: Option<String>,
    /// Stage code within the life situation.
    pub stage: Option<String>,
}

/// Checks and inserts a point.
///
/// # Errors
/// 422 naming the rule broken, 409 when the code exists.
pub async fn add_point(state: &AppState, p: &NewPoint) -> ApiResult<PointRow> {
    let invalid = |msg: String| ApiError::unprocessable("invalid_point", msg);
    Code::parse(&p.code).map_err(|e| invalid(format!("point code {e}")))?;
    let org = state
        .db
        .org_by_code(&p.org)
        .await?
        .ok_or_else(|| invalid(format!("org {} does not exist", p.org)))?;
    let institution_id = match org.kind {
        OrgKind::Institution => org.id,
        OrgKind::Department => {
            let parent = org.parent.as_deref().unwrap_or_default();
            state
                .db
                .org_by_code(parent)
                .await?
                .map(|o| o.id)
                .ok_or_else(|| invalid(format!("department {} has no institution", org.code)))?
        }
        _ => {
            return Err(invalid(format!(
                "a point belongs to an institution or a department, and {} is a {}",
                org.code, org.kind
            )))
        }
    };
    if state
        .catalog
        .get(&state.db, &p.questionnaire, None)
        .await?
        .is_none()
    {
        return Err(invalid(format!(
            "questionnaire {} does not exist",
            p.questionnaire
        )));
    }
    let situations = state.db.life_situations().await?;
    match (&p.life_situation, &p.stage) {
        (None, Some(_)) => return Err(invalid("a stage needs --life-situation".into())),
        (Some(code), stage) => {
            let ls = situations
                .iter()
                .find(|ls| &ls.code == code)
                .ok_or_else(|| {
                    let codes: Vec<&str> = situations.iter().map(|ls| ls.code.as_str()).collect();
                    invalid(format!(
                        "life situation {code} does not exist (known: {})",
                        codes.join(", ")
                    ))
                })?;
            if let Some(stage) = stage {
                if !ls.stages.iter().any(|s| &s.code == stage) {
                    let codes: Vec<&str> = ls.stages.iter().map(|s| s.code.as_str()).collect();
                    return Err(invalid(format!(
                        "{code} has no stage {stage} (stages: {})",
                        codes.join(", ")
                    )));
                }
            }
        }
        (None, None) => {}
    }
    state
        .db
        .insert_point(&NewPointRow {
            code: p.code.clone(),
            org_id: org.id,
            institution_id,
            questionnaire: p.questionnaire.clone(),
            life_situation: p.life_situation.clone(),
            stage: p.stage.clone(),
        })
        .await?;
    state
        .db
        .point_by_code(&p.code)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("point vanished after insert")))
}

/// Checks and inserts a user; every role but admin needs a scope org.
///
/// # Errors
/// 422 naming the rule broken, 409 when the login exists.
pub async fn add_user(
    state: &AppState,
    login: &str,
    password: &str,
    role: &str,
    scope: Option<&str>,
) -> ApiResult<i64> {
    let invalid = |msg: String| ApiError::unprocessable("invalid_user", msg);
    let login_ok = (2..=64).contains(&login.len())
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '@'));
    if !login_ok {
        return Err(invalid(
            "login must be 2–64 letters, digits, '.', '_', '-' or '@'".into(),
        ));
    }
    if password.chars().count() < 8 {
        return Err(invalid(
            "the password must have at least 8 characters".into(),
        ));
    }
    let role = Role::parse(role)
        .ok_or_else(|| invalid(format!("role must be one of {}", Role::choices())))?;
    let scope_id = match (role, scope) {
        (Role::Admin, None) => None,
        (Role::Admin, Some(_)) => return Err(invalid("an admin has no scope".into())),
        (_, None) => {
            return Err(invalid(format!(
                "a {} needs --scope ORG_CODE",
                role.as_str()
            )))
        }
        (_, Some(code)) => Some(
            state
                .db
                .org_by_code(code)
                .await?
                .ok_or_else(|| invalid(format!("org {code} does not exist")))?
                .id,
        ),
    };
    let hash = hash_password(password)?;
    Ok(state.db.insert_user(login, &hash, role, scope_id).await?)
}
