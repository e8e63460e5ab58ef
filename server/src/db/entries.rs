//! Staff entries: who keyed in which batches of paper, phone, interview and observation
//! questionnaires, counted from the `entries` rows written beside the responses.

use chrono::{DateTime, NaiveDate, Utc};
use otklik_shared::org::OrgPath;

use super::{with_pool, Database, DbResult, Named};

/// One batch of keyed-in responses: one label, one person, one channel.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct EntryBatchRow {
    /// The label given to the batch (`None`: keyed in without one).
    pub entry_batch: Option<String>,
    /// The login of the staff member who keyed them in.
    pub entered_by: String,
    /// Channel wire name.
    pub channel: String,
    /// How many responses.
    pub responses: i64,
    /// The earliest `submitted_at` among them.
    pub first_at: DateTime<Utc>,
    /// The latest `submitted_at` among them.
    pub last_at: DateTime<Utc>,
}

/// Which of a subtree's entries to list (`None`: any).
#[derive(Debug, Clone, Copy, Default)]
pub struct EntryFilter<'a> {
    /// Only this channel (the walk-throughs' page asks for `observation`).
    pub channel: Option<&'a str>,
    /// Only responses to this questionnaire.
    pub questionnaire: Option<&'a str>,
}

impl Database {
    /// The entry batches at points of the subtree at `under`, by local date of the responses
    /// (inclusive), the most recent first, narrowed by `only`.
    ///
    /// # Errors
    /// Database failure.
    pub async fn entry_batches(
        &self,
        under: &OrgPath,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        only: EntryFilter<'_>,
    ) -> DbResult<Vec<EntryBatchRow>> {
        let rows = with_pool!(self.reader(), |p| sqlx::query_as(
            "select e.entry_batch, u.login as entered_by, r.channel, count(*) as responses, \
             min(r.submitted_at) as first_at, max(r.submitted_at) as last_at \
             from entries e \
             join responses r on r.id = e.response_id \
             join users u on u.id = e.entered_by \
             join points pt on pt.id = r.point_id \
             join orgs o on o.id = pt.org_id \
             where o.path like $1 \
             and ($2 is null or r.local_date >= $2) and ($3 is null or r.local_date <= $3) \
             and ($4 is null or r.channel = $4) and ($5 is null or r.questionnaire = $5) \
             group by e.entry_batch, u.login, r.channel \
             order by max(r.submitted_at) desc, u.login, e.entry_batch"
        )
        .bind(format!("{}%", under.as_str()))
        .bind(from)
        .bind(to)
        .bind(only.channel)
        .bind(only.questionnaire)
        .fetch_all(p)
        .await
        .named("select entry batches")?);
        Ok(rows)
    }
}
