//! НОК checklists entered by experts, per institution and year.

use std::collections::HashMap;

use otklik_shared::nok::Checklist;

use super::{with_pool, Database, DbResult, Named};

impl Database {
    /// The checklists of these institutions for `year`, by institution id.
    ///
    /// # Errors
    /// Database failure or a stored checklist that no longer parses.
    pub async fn nok_checklists(
        &self,
        institutions: &[i64],
        year: i32,
    ) -> DbResult<HashMap<i64, Checklist>> {
        let mut out = HashMap::new();
        for &id in institutions {
            let data: Option<String> = with_pool!(self.reader(), |p| sqlx::query_scalar(
                "select data from nok_checklists where org_id = $1 and year = $2"
            )
            .bind(id)
            .bind(year)
            .fetch_optional(p)
            .await
            .named("select nok checklist")?);
            if let Some(json) = data {
                let checklist = serde_json::from_str(&json).map_err(|e| {
                    anyhow::Error::from(e).context("Stored checklist does not parse")
                })?;
                out.insert(id, checklist);
            }
        }
        Ok(out)
    }
}
