//! The raw responses of one institution: what a bootstrap resamples (rollups hold only sums,
//! and resampling needs each respondent's own answers).

use sqlx::QueryBuilder;
use uuid::Uuid;

use super::stats::CountFilter;
use super::values::lookup_key;
use super::{with_pool, Database, DbResult, Named};

impl Database {
    /// The stored items (`raw` JSON) of the citizen responses the filter selects (the same
    /// responses whose rollups [`Database::rollup_counts`] sums), observation excluded, read
    /// through the `(point_id, local_date)` index, in id order (a seeded resampling must see
    /// the respondents in the same order every time, on both backends). Meant for one institution's subtree.
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
        // The points first, then their responses by the `(point_id, local_date)` index: joined
        // in one statement, SQLite's planner scanned every response of the database (10 s at
        // 5,000,000 stored) to honour an `order by id`; the order is made here instead.
        let points: Vec<i64> = with_pool!(self.reader(), |p| sqlx::query_scalar(
            "select pt.id from points pt join orgs o on o.id = pt.org_id \
             where o.path like $1 and pt.questionnaire = $2 \
             and ($3 is null or pt.code = $3) and ($4 is null or pt.life_situation = $4)"
        )
        .bind(format!("{}%", f.under))
        .bind(f.questionnaire)
        .bind(f.point)
        .bind(f.life_situation)
        .fetch_all(p)
        .await
        .named("select points of respondents")?);
        let mut rows: Vec<(Uuid, String)> = Vec::new();
        for chunk in points.chunks(500) {
            let part: Vec<(Uuid, String)> = with_pool!(self.reader(), |p| {
                let mut qb = QueryBuilder::new("select id, raw from responses where point_id in (");
                let mut ids = qb.separated(", ");
                for id in chunk {
                    ids.push_bind(*id);
                }
                qb.push(") and questionnaire = ")
                    .push_bind(f.questionnaire)
                    .push(" and channel <> 'observation'");
                if let Some(from) = f.from {
                    qb.push(" and local_date >= ").push_bind(from);
                }
                if let Some(to) = f.to {
                    qb.push(" and local_date <= ").push_bind(to);
                }
                qb.build_query_as()
                    .fetch_all(p)
                    .await
                    .named("select respondent items")?
            });
            rows.extend(part);
        }
        rows.sort_unstable_by_key(|(id, _)| *id);
        let items = rows.into_iter().map(|(_, raw)| raw).collect();
        Ok(items)
    }
}
