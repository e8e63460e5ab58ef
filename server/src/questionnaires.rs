//! Publishing questionnaire versions, and frozen measurement (issue 16, `domain.md` §4): once
//! a НСИ baseline has been recorded, the questionnaire versions that measured it are frozen
//! (`db::nsi` records that with the baseline, in one transaction), so a re-measurement asks
//! exactly the same questions. A new version of a frozen questionnaire keeps every core
//! question word for word and may only append a «вспомогательный» block, each question
//! stamped with who approved it and when; the core figures never see the difference.

use std::sync::Arc;

use otklik_shared::access::Action;
use otklik_shared::questionnaire::Questionnaire;
use serde::Serialize;

use crate::auth::Caller;
use crate::catalog::Catalog;
use crate::db::catalog::FreezeRow;
use crate::db::{Database, DbError};
use crate::service_error::{ServiceError, ServiceResult};

/// A questionnaire's versions and which of them are frozen.
#[derive(Debug, Clone, Serialize)]
pub struct VersionsReply {
    /// Questionnaire id.
    pub id: String,
    /// Every published version, oldest first.
    pub versions: Vec<VersionInfo>,
}

/// One published version.
#[derive(Debug, Clone, Serialize)]
pub struct VersionInfo {
    /// The version number.
    pub version: u32,
    /// The ids of its auxiliary questions (empty for a version without that block).
    pub auxiliary: Vec<String>,
    /// The baseline that froze it, if one did.
    pub frozen: Option<FreezeRow>,
}

fn refused(message: String) -> ServiceError {
    ServiceError::invalid("invalid_questionnaire", message)
}

/// Publishes `q` as the next version of its questionnaire.
///
/// # Errors
/// 403 for anyone but an admin; 422 `invalid_questionnaire` for a definition that contradicts
/// itself, a version that is not the next one, or a question id whose kind or time unit
/// differs from an earlier version's; 422 `frozen_questionnaire` for a change to
/// the core questions of a frozen version; 409 when another publisher took that version first;
/// internal on a database failure.
#[tracing::instrument(skip_all, fields(questionnaire = %q.id, version = q.version))]
pub async fn publish(
    db: &Database,
    catalog: &Catalog,
    caller: Option<&Caller>,
    q: Questionnaire,
) -> ServiceResult<Arc<Questionnaire>> {
    if let Some(caller) = caller {
        caller.require_everywhere(Action::PublishQuestionnaires, "the questionnaire catalog")?;
    }
    q.check().map_err(|e| refused(e.0))?;
    let latest = catalog.get(db, &q.id, None).await?;
    let next = latest.as_ref().map_or(1, |l| l.version + 1);
    if q.version != next {
        return Err(refused(format!(
            "{} must be published as version {next}, got {}",
            q.id, q.version
        )));
    }
    for earlier in catalog.versions(&q.id) {
        q.check_pooled(&earlier).map_err(|e| refused(e.0))?;
    }
    // The newest frozen version rules: every later version kept its core, so checking against
    // it checks against all of them.
    if let Some(frozen) = db.questionnaire_freezes(&q.id).await?.last() {
        let version = u32::try_from(frozen.version).unwrap_or(0);
        let base = catalog
            .get(db, &q.id, Some(version))
            .await?
            .ok_or_else(|| {
                anyhow::anyhow!("frozen version {version} of {} is not published", q.id)
            })?;
        base.check_successor(&q).map_err(|e| {
            ServiceError::invalid(
                "frozen_questionnaire",
                format!("{e} (since {})", frozen.frozen_at),
            )
        })?;
    }
    match db.publish_questionnaire(&q).await {
        Err(DbError::Conflict { .. }) => {
            return Err(ServiceError::Conflict {
                message: format!("{} v{} was published meanwhile", q.id, q.version),
            })
        }
        other => other?,
    }
    tracing::info!("questionnaire version published");
    catalog
        .get(db, &q.id, Some(q.version))
        .await?
        .ok_or_else(|| anyhow::anyhow!("a published version is not in the catalog").into())
}

/// A questionnaire's published versions, their auxiliary blocks and freezes.
///
/// # Errors
/// 404 `unknown_questionnaire`; internal on a database failure.
pub async fn versions(db: &Database, catalog: &Catalog, id: &str) -> ServiceResult<VersionsReply> {
    catalog.get(db, id, None).await?;
    let published = catalog.versions(id);
    if published.is_empty() {
        return Err(ServiceError::not_found(
            "unknown_questionnaire",
            format!("no questionnaire {id}"),
        ));
    }
    let freezes = db.questionnaire_freezes(id).await?;
    let versions = published
        .iter()
        .map(|q| VersionInfo {
            version: q.version,
            auxiliary: q
                .questions
                .iter()
                .filter(|x| x.auxiliary.is_some())
                .map(|x| x.id.clone())
                .collect(),
            frozen: freezes
                .iter()
                .find(|f| u32::try_from(f.version).ok() == Some(q.version))
                .cloned(),
        })
        .collect();
    Ok(VersionsReply {
        id: id.to_owned(),
        versions,
    })
}
