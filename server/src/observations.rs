//! The expert walk-throughs («контрольная закупка», channel `observation`) reported on their
//! own (`GET /api/v1/observations`): the same per-question figures as `/stats`, computed by
//! the same code from the walk-throughs' rollups alone, and the batches they were keyed in as.
//! Citizens' figures never count them (`domain.md` §4).

use otklik_shared::access::Action;
use otklik_shared::answer::Channel;
use otklik_shared::api::{ObservationBatch, ObservationsReply};
use serde::Deserialize;

use crate::auth::Caller;
use crate::db::entries::EntryFilter;
use crate::entries::stamp;
use crate::figures::StatsDeps;
use crate::service_error::ServiceResult;
use crate::stats::{day_range, readable_org, walkthroughs, StatsQuery};

/// Query of `GET /api/v1/observations`.
#[derive(Debug, Clone, Deserialize)]
pub struct ObservationsQuery {
    /// Org code: the root of the subtree.
    pub org: String,
    /// Questionnaire id.
    pub questionnaire: String,
    /// First local date, `YYYY-MM-DD`, inclusive.
    pub from: Option<String>,
    /// Last local date, `YYYY-MM-DD`, inclusive.
    pub to: Option<String>,
}

/// The walk-throughs' figures and batches over the org's subtree, for whoever reads its
/// results. Who recorded a batch is staff's personal data: named to those allowed to see it
/// and to its own author, `null` to anyone else (an observer sees their own batches' name).
///
/// # Errors
/// As `/stats`: bad dates, denied role or scope, unknown org or questionnaire, internal on a
/// database failure.
#[tracing::instrument(skip_all, fields(org = %q.org, questionnaire = %q.questionnaire))]
pub async fn report(
    deps: StatsDeps<'_>,
    caller: &Caller,
    q: &ObservationsQuery,
) -> ServiceResult<ObservationsReply> {
    let stats_query = StatsQuery {
        org: q.org.clone(),
        questionnaire: q.questionnaire.clone(),
        from: q.from.clone(),
        to: q.to.clone(),
        point: None,
        life_situation: None,
        nok_rule: None,
    };
    let figures = walkthroughs(deps, caller, &stats_query).await?;
    let org = readable_org(deps, caller, &q.org).await?;
    let (from, to) = day_range(q.from.as_deref(), q.to.as_deref())?;
    let only = EntryFilter {
        channel: Some(Channel::Observation.as_str()),
        questionnaire: Some(&q.questionnaire),
    };
    let rows = deps.db.entry_batches(&org.path, from, to, only).await?;
    let sees_who = caller.require(Action::ReadPersonalData, &org).is_ok();
    let batches = rows
        .into_iter()
        .map(|r| ObservationBatch {
            entered_by: (sees_who || r.entered_by == caller.login).then_some(r.entered_by),
            entry_batch: r.entry_batch,
            responses: r.responses.max(0) as u64,
            first_at: stamp(r.first_at),
            last_at: stamp(r.last_at),
        })
        .collect();
    Ok(ObservationsReply { figures, batches })
}
