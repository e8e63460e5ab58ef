//! НОК checklists entered by experts, per institution and year.

use std::collections::HashMap;

use otklik_shared::nok::Checklist;
use sqlx::QueryBuilder;

use super::{with_pool, Database, DbError, DbResult, Named};

/// A stored checklist as the expert entered it.
fn parse(org_id: i64, year: i32, json: &str) -> DbResult<Checklist> {
    serde_json::from_str(json).map_err(|_| DbError::Corrupt {
        table: "nok_checklists",
        key: format!("org {org_id} year {year}"),
        column: "data",
        value: json.to_owned(),
    })
}

impl Database {
    /// The checklists of these institutions for `year`, by institution id: one query per 500
    /// institutions, so a ranking of a whole region reads them at once.
    ///
    /// # Errors
    /// Database failure or a stored checklist that no longer parses.
    pub async fn nok_checklists(
        &self,
        institutions: &[i64],
        year: i32,
    ) -> DbResult<HashMap<i64, Checklist>> {
        let mut out = HashMap::new();
        for chunk in institutions.chunks(500) {
            let rows: Vec<(i64, String)> = with_pool!(self.reader(), |p| {
                let mut qb =
                    QueryBuilder::new("select org_id, data from nok_checklists where year = ");
                qb.push_bind(year).push(" and org_id in (");
                let mut ids = qb.separated(", ");
                for id in chunk {
                    ids.push_bind(*id);
                }
                qb.push(")");
                qb.build_query_as()
                    .fetch_all(p)
                    .await
                    .named("select nok checklists")?
            });
            for (id, json) in rows {
                out.insert(id, parse(id, year, &json)?);
            }
        }
        Ok(out)
    }

    /// One institution's checklist for `year`, if entered.
    ///
    /// # Errors
    /// Database failure or a stored checklist that no longer parses.
    pub async fn nok_checklist(&self, org_id: i64, year: i32) -> DbResult<Option<Checklist>> {
        let data: Option<String> = with_pool!(self.reader(), |p| sqlx::query_scalar(
            "select data from nok_checklists where org_id = $1 and year = $2"
        )
        .bind(org_id)
        .bind(year)
        .fetch_optional(p)
        .await
        .named("select nok checklist")?);
        data.map(|json| parse(org_id, year, &json)).transpose()
    }

    /// Stores (or replaces) one institution's checklist for `year`.
    ///
    /// # Errors
    /// Database failure.
    pub async fn put_nok_checklist(
        &self,
        org_id: i64,
        year: i32,
        checklist: &Checklist,
    ) -> DbResult<()> {
        let data = serde_json::to_string(checklist)
            .map_err(|e| anyhow::Error::from(e).context("Checklist does not serialise"))?;
        with_pool!(self.writer(), |p| {
            sqlx::query(
                "insert into nok_checklists (org_id, year, data) values ($1, $2, $3) \
                 on conflict (org_id, year) do update set data = excluded.data",
            )
            .bind(org_id)
            .bind(year)
            .bind(&data)
            .execute(p)
            .await
            .named("upsert nok checklist")?;
        });
        Ok(())
    }
}
