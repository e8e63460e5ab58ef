//! What the comment loop publishes, without login, about an org's subtree: «Вы сказали — мы
//! сделали» (`GET /api/v1/public/orgs/{org}/answers` and the page `/r/<org>`).
//!
//! Only what officials wrote for the public: the public answers of comments whose current
//! review is `done`, with the stage they were about, and the improvement measures. Never a
//! citizen's own text (nor the answer they gave, nor when), never who reviewed: the storage
//! query selects none of it, so nothing here can leak it.

use otklik_shared::catalog::LifeSituation;
use serde::{Deserialize, Serialize};

use crate::db::Database;
use crate::service_error::{ServiceError, ServiceResult};

/// The most answers and measures a page shows, each newest first.
pub const MAX_SHOWN: u32 = 100;

/// The org as the public sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicOrg {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Its IANA time zone: the page dates answers in it.
    pub tz: String,
}

/// An official's public answer to a comment, marked done.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicAnswer {
    /// The stage of the life situation it was about, if tagged.
    pub stage: Option<String>,
    /// That stage's name.
    pub stage_name: Option<String>,
    /// The answer (masked).
    pub public_answer: String,
    /// When it was marked done (UTC).
    pub done_at: String,
}

/// An improvement measure as the public sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PublicImprovement {
    /// What was done.
    pub title: String,
    /// When, `YYYY-MM-DD`.
    pub done_on: String,
}

/// Everything the public page of an org shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Published {
    /// The org.
    pub org: PublicOrg,
    /// Public answers, most recently done first.
    pub answers: Vec<PublicAnswer>,
    /// Measures, most recent first.
    pub improvements: Vec<PublicImprovement>,
}

/// What the comment loop has published for the org `code` and its subtree.
///
/// # Errors
/// 404 `unknown_org`; internal on a database failure.
#[tracing::instrument(skip_all, fields(org = %code))]
pub async fn of_org(db: &Database, code: &str) -> ServiceResult<Published> {
    let org = db
        .org_by_code(code)
        .await?
        .ok_or_else(|| ServiceError::not_found("unknown_org", format!("no org {code}")))?;
    let situations = db.life_situations().await?;
    let stage_name = |ls: Option<&str>, stage: Option<&str>| {
        let (ls, stage) = (ls?, stage?);
        situations
            .iter()
            .find(|s| s.code == ls)
            .and_then(|s: &LifeSituation| s.stage(stage))
            .map(|s| s.name.clone())
    };
    let answers = db
        .published_answers(&org.path, MAX_SHOWN)
        .await?
        .into_iter()
        .map(|r| PublicAnswer {
            stage_name: stage_name(r.life_situation.as_deref(), r.stage.as_deref()),
            stage: r.stage,
            public_answer: r.public_answer,
            done_at: r.reviewed_at,
        })
        .collect();
    let improvements = db
        .improvements(&org.path, None, MAX_SHOWN)
        .await?
        .into_iter()
        .map(|m| PublicImprovement {
            title: m.title,
            done_on: m.done_on,
        })
        .collect();
    Ok(Published {
        org: PublicOrg {
            code: org.code,
            name: org.name,
            tz: org.tz.name().to_owned(),
        },
        answers,
        improvements,
    })
}
