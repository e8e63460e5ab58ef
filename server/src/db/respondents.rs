//! The raw responses of one institution: what a bootstrap resamples (rollups hold only sums,
//! and resampling needs each respondent's own answers).

use super::stats::CountFilter;
use super::values::lookup_key;
use super::{with_pool, Database, DbResult, Named};

impl Database {
    /// The stored items (`raw` JSON) of the citizen responses the filter selects (the same
    /// responses whose rollups [`Database::rollup_counts`] sums), observation excluded, read
    /// through the `(point_id, local_date)` index, in id order (a seeded resampling must see
    /// the respondents in the same order every time). Meant for one institution's subtree.
    ///
    /// # Errors
    /// Database failure.
    #[tracing::instrument(skip_all, fields(questionnaire = f.questionnaire))]
    pub async fn respondent_items(&self, f: &CountFilter<'_>) -> DbResult<Vec<String>> {
        let impossible = [f.point, f.life_situation]
            .into_iter()
            .flatten()
            .any(|key| lookup_key(key).is_none());
        if impossible {
            return Ok(Vec::new());
        }
        let items = with_pool!(self.reader(), |p| sqlx::query_scalar(
            "select r.raw from orgs o join points pt on pt.org_id = o.id \
             join responses r on r.point_id = pt.id \
             where o.path like $1 and pt.questionnaire = $2 \
             and ($3 is null or pt.code = $3) and ($4 is null or pt.life_situation = $4) \
             and r.questionnaire = $2 and r.channel <> 'observation' \
             and ($5 is null or r.local_date >= $5) and ($6 is null or r.local_date <= $6) \
             order by r.id"
        )
        .bind(format!("{}%", f.under))
        .bind(f.questionnaire)
        .bind(f.point)
        .bind(f.life_situation)
        .bind(f.from)
        .bind(f.to)
        .fetch_all(p)
        .await
        .named("select respondent items")?);
        Ok(items)
    }
}
