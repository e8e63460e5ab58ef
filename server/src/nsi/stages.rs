//! `GET /api/v1/nsi/stages`: where along a life situation people suffer («проблемные этапы»,
//! `domain.md` §4 «Negative answers»): per stage, the share of negative answers and the comments
//! officials tagged with it, by lean loss.
//!
//! Answers are every 4-point answer at the points bound to the stage in the subtree, from the
//! rollups as `/stats` reads them (observation left out); negative is «Скорее нет» + «Нет».
//! Comments are those whose current review names the stage, given at points of the situation
//! in the subtree within the same dates, whatever point's stage they were given at (a comment
//! left at registration may be about job matching).

use std::collections::{BTreeSet, HashMap};

use otklik_shared::access::Action;
use otklik_shared::answer::Likert4;
use otklik_shared::questionnaire::QuestionKind;
use otklik_shared::review::Loss;
use otklik_shared::score::{share_pct, Likert4Counts};
use serde::{Deserialize, Serialize};

use super::situation;
use crate::auth::Caller;
use crate::db::stats::CountFilter;
use crate::figures::StatsDeps;
use crate::orgs::manage::checked_org;
use crate::service_error::ServiceResult;
use crate::stats::day_range;

/// The query string.
#[derive(Debug, Clone, Deserialize)]
pub struct StagesQuery {
    /// Org code: the subtree's root.
    pub org: String,
    /// Life-situation code.
    pub life_situation: String,
    /// First local day, inclusive.
    pub from: Option<String>,
    /// Last local day, inclusive.
    pub to: Option<String>,
}

/// Tagged comments per lean loss.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Losses {
    /// Ожидание.
    pub waiting: u64,
    /// Дублирование действий.
    pub duplicate_actions: u64,
    /// Переделка.
    pub rework: u64,
    /// Лишние усилия.
    pub excess_effort: u64,
    /// Лишние этапы.
    pub redundant_steps: u64,
}

impl Losses {
    fn add(&mut self, loss: Loss) {
        let slot = match loss {
            Loss::Waiting => &mut self.waiting,
            Loss::DuplicateActions => &mut self.duplicate_actions,
            Loss::Rework => &mut self.rework,
            Loss::ExcessEffort => &mut self.excess_effort,
            Loss::RedundantSteps => &mut self.redundant_steps,
        };
        *slot += 1;
    }
}

/// One stage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StageRow {
    /// Stage code.
    pub stage: String,
    /// Its name.
    pub name: String,
    /// 4-point answers at points bound to it.
    pub n: u64,
    /// Of them «Скорее нет» and «Нет».
    pub negative: u64,
    /// `negative / n × 100`; null without answers.
    pub negative_pct: Option<f64>,
    /// Comments whose current review is tagged with this stage.
    pub comments: u64,
    /// Those comments per lean loss (a comment without a loss counts in none).
    pub losses: Losses,
}

/// The stage view.
#[derive(Debug, Clone, Serialize)]
pub struct StagesReply {
    /// Org code.
    pub org: String,
    /// Life-situation code.
    pub life_situation: String,
    /// Every stage of the situation, the most negative first; stages without answers last,
    /// then by tagged comments, then in path order.
    pub stages: Vec<StageRow>,
}

/// The stage view of a life situation in the org's subtree.
///
/// # Errors
/// 400 for malformed dates; `unknown_org` (404); the caller may not read results there (403);
/// 422 for an unknown life situation; internal on a database failure.
#[tracing::instrument(skip_all, fields(org = %q.org, life_situation = %q.life_situation))]
pub async fn stages(
    deps: StatsDeps<'_>,
    caller: &Caller,
    q: &StagesQuery,
) -> ServiceResult<StagesReply> {
    let db = deps.db;
    let (from, to) = day_range(q.from.as_deref(), q.to.as_deref())?;
    let org = checked_org(db, Some(caller), Action::ReadResults, &q.org).await?;
    let ls = situation(db, &q.life_situation).await?;

    // The (questionnaire, stage) pairs the situation's points in the subtree run.
    let pairs: BTreeSet<(String, String)> = db
        .points_under(org.path.as_str())
        .await?
        .into_iter()
        .filter(|p| p.life_situation.as_deref() == Some(ls.code.as_str()))
        .filter_map(|p| Some((p.questionnaire, p.stage?)))
        .collect();
    let mut answers: HashMap<String, Likert4Counts> = HashMap::new();
    for (questionnaire, stage) in &pairs {
        let likert: Vec<String> = deps
            .catalog
            .pooled_questions(questionnaire)
            .into_iter()
            .filter(|x| x.kind == QuestionKind::Likert4)
            .map(|x| x.id)
            .collect();
        let filter = CountFilter {
            under: &org.path,
            questionnaire,
            point: None,
            life_situation: Some(&ls.code),
            stage: Some(stage),
            from,
            to,
        };
        let counts = answers.entry(stage.clone()).or_default();
        for row in db.rollup_counts(&filter).await? {
            if !likert.contains(&row.question) {
                continue;
            }
            for (key, n) in &row.counts {
                if let Some(v) = Likert4::parse(key) {
                    counts.add(v, *n);
                }
            }
        }
    }

    let mut tagged: HashMap<String, (u64, Losses)> = HashMap::new();
    for (stage, loss) in db.stage_tags(&org.path, &ls.code, (from, to)).await? {
        let slot = tagged.entry(stage).or_default();
        slot.0 += 1;
        if let Some(loss) = loss.as_deref().and_then(Loss::parse) {
            slot.1.add(loss);
        }
    }

    let mut stages: Vec<StageRow> = ls
        .stages
        .iter()
        .map(|s| {
            let c = answers.get(&s.code).copied().unwrap_or_default();
            let negative = c.get(Likert4::RatherNo) + c.get(Likert4::No);
            let (comments, losses) = tagged.get(&s.code).copied().unwrap_or_default();
            StageRow {
                stage: s.code.clone(),
                name: s.name.clone(),
                n: c.n(),
                negative,
                negative_pct: share_pct(negative, c.n()),
                comments,
                losses,
            }
        })
        .collect();
    // Stable: ties keep the path order.
    stages.sort_by(|a, b| {
        let pct = |r: &StageRow| r.negative_pct.unwrap_or(-1.0);
        pct(b)
            .total_cmp(&pct(a))
            .then_with(|| b.comments.cmp(&a.comments))
    });
    Ok(StagesReply {
        org: org.code,
        life_situation: ls.code,
        stages,
    })
}
