//! Survey points: adding one with its rules checked before anything is written, and what a
//! citizen's phone needs to show one (`point_info`); [`manage`] holds what officials do through
//! the API (in their scope).

pub mod manage;

use otklik_shared::api::{OrgRef, PointInfo, PointRef, Sibling};
use otklik_shared::org::{Code, OrgKind, Sector};

use crate::catalog::Catalog;
use crate::db::points::{NewPointRow, PointRow};
use crate::db::Database;
use crate::service_error::{ServiceError, ServiceResult};

/// A point as given by a person, before checking (missing fields are empty, and refused by
/// name).
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
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
#[tracing::instrument(skip_all, fields(point = %p.code))]
pub async fn add_point(db: &Database, catalog: &Catalog, p: &NewPoint) -> ServiceResult<PointRow> {
    let invalid =
        |field: &'static str, msg: String| ServiceError::invalid_field("invalid_point", field, msg);
    Code::parse(&p.code).map_err(|e| invalid("code", format!("point code {e}")))?;
    let org = db
        .org_by_code(&p.org)
        .await?
        .ok_or_else(|| invalid("org", format!("org {} does not exist", p.org)))?;
    let institution = match org.kind {
        OrgKind::Institution => org.clone(),
        OrgKind::Department => {
            let parent = org.parent.as_deref().unwrap_or_default();
            db.org_by_code(parent).await?.ok_or_else(|| {
                invalid("org", format!("department {} has no institution", org.code))
            })?
        }
        _ => {
            return Err(invalid(
                "org",
                format!(
                    "a point belongs to an institution or a department, and {} is a {}",
                    org.code, org.kind
                ),
            ))
        }
    };
    if catalog.get(db, &p.questionnaire, None).await?.is_none() {
        return Err(invalid(
            "questionnaire",
            format!("questionnaire {} does not exist", p.questionnaire),
        ));
    }
    // НОК covers social services, health, education and culture; employment centres are an НСИ
    // direction only, so a НОК questionnaire there would feed figures no methodology defines.
    if p.questionnaire.starts_with("nok-") && institution.sector == Some(Sector::Employment) {
        return Err(invalid(
            "questionnaire",
            format!(
                "{} is an employment-sector institution, which НОК does not assess; use an НСИ questionnaire",
                institution.code
            ),
        ));
    }
    check_situation(db, p.life_situation.as_deref(), p.stage.as_deref()).await?;
    db.insert_point(&NewPointRow {
        code: p.code.clone(),
        org_id: org.id,
        institution_id: institution.id,
        questionnaire: p.questionnaire.clone(),
        life_situation: p.life_situation.clone(),
        stage: p.stage.clone(),
    })
    .await?;
    db.point_by_code(&p.code)
        .await?
        .ok_or_else(|| ServiceError::Internal(anyhow::anyhow!("point vanished after insert")))
}

/// Checks a point's life situation and stage: a stage needs its life situation, and both must
/// exist (`domain.md` §6). Shared by adding a point and by changing one.
///
/// # Errors
/// 422 `invalid_point` naming `life_situation` or `stage`.
pub async fn check_situation(
    db: &Database,
    life_situation: Option<&str>,
    stage: Option<&str>,
) -> ServiceResult<()> {
    let invalid =
        |field: &'static str, msg: String| ServiceError::invalid_field("invalid_point", field, msg);
    let Some(code) = life_situation else {
        return match stage {
            Some(_) => Err(invalid(
                "life_situation",
                "a stage needs its life situation".into(),
            )),
            None => Ok(()),
        };
    };
    let situations = db.life_situations().await?;
    let ls = situations
        .iter()
        .find(|ls| ls.code == code)
        .ok_or_else(|| {
            let codes: Vec<&str> = situations.iter().map(|ls| ls.code.as_str()).collect();
            invalid(
                "life_situation",
                format!(
                    "life situation {code} does not exist (known: {})",
                    codes.join(", ")
                ),
            )
        })?;
    if let Some(stage) = stage {
        if !ls.stages.iter().any(|s| s.code == stage) {
            let codes: Vec<&str> = ls.stages.iter().map(|s| s.code.as_str()).collect();
            return Err(invalid(
                "stage",
                format!("{code} has no stage {stage} (stages: {})", codes.join(", ")),
            ));
        }
    }
    Ok(())
}

/// The point with its institution, questionnaire (current version) and sibling points: what
/// `GET /api/v1/points/{code}` answers and what the survey page embeds. `None` for an unknown
/// code.
///
/// # Errors
/// Database failure, or a point naming a questionnaire the catalogue lacks.
pub async fn point_info(
    db: &Database,
    catalog: &Catalog,
    code: &str,
) -> ServiceResult<Option<PointInfo>> {
    let Some(point) = db.point_by_code(code).await? else {
        return Ok(None);
    };
    let questionnaire = catalog
        .get(db, &point.questionnaire, None)
        .await?
        .ok_or_else(|| {
            ServiceError::Internal(anyhow::anyhow!(
                "point {} names a missing questionnaire",
                point.code
            ))
        })?;
    let mut siblings = Vec::new();
    for other in db.points_of_institution(point.institution_id).await? {
        if other.code == point.code {
            continue;
        }
        if let Some(q) = catalog.get(db, &other.questionnaire, None).await? {
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
