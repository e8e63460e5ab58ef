//! The org tree: insert (singly or all-or-nothing in bulk), look up, list a subtree.

use super::{with_pool, Database, DbError, DbResult};
use sqlx::AssertSqlSafe;

/// An org as stored, with its parent's code joined in.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct OrgRow {
    /// Surrogate id.
    pub id: i64,
    /// Stable code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Kind (`region`, `institution`…).
    pub kind: String,
    /// Parent's code.
    pub parent: Option<String>,
    /// Materialised path of ids, `/1/4/9/`; a subtree is a prefix.
    pub path: String,
    /// Sector.
    pub sector: Option<String>,
    /// IANA time zone.
    pub tz: String,
    /// `urban` or `rural`.
    pub settlement: Option<String>,
    /// bus.gov.ru id.
    pub bus_gov_id: Option<String>,
}

/// An org to insert, already validated; `parent` is resolved by code inside the transaction so
/// a bulk import may refer to rows earlier in the same file.
#[derive(Debug, Clone)]
pub struct NewOrgRow {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Kind.
    pub kind: String,
    /// Parent code.
    pub parent: Option<String>,
    /// Sector.
    pub sector: Option<String>,
    /// Time zone.
    pub tz: String,
    /// Settlement.
    pub settlement: Option<String>,
    /// bus.gov.ru id.
    pub bus_gov_id: Option<String>,
}

const SELECT_ORG: &str =
    "select o.id, o.code, o.name, o.kind, p.code as parent, o.path, o.sector, o.tz, \
     o.settlement, o.bus_gov_id from orgs o left join orgs p on p.id = o.parent_id";

impl Database {
    /// Inserts the orgs in order, all or nothing.
    ///
    /// # Errors
    /// [`DbError::Conflict`] when a code exists, [`DbError::NotFound`] for a missing parent.
    pub async fn insert_orgs(&self, rows: &[NewOrgRow]) -> DbResult<Vec<OrgRow>> {
        let mut out = Vec::with_capacity(rows.len());
        with_pool!(self.writer(), |p| {
            let mut tx = p.begin().await?;
            for row in rows {
                let parent: Option<(i64, String)> = match &row.parent {
                    None => None,
                    Some(code) => Some(
                        sqlx::query_as("select id, path from orgs where code = $1")
                            .bind(code)
                            .fetch_optional(&mut *tx)
                            .await?
                            .ok_or(DbError::NotFound)?,
                    ),
                };
                let id: i64 = sqlx::query_scalar(
                    "insert into orgs (code, name, kind, parent_id, path, sector, tz, settlement, bus_gov_id) \
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
                )
                .bind(&row.code)
                .bind(&row.name)
                .bind(&row.kind)
                .bind(parent.as_ref().map(|(id, _)| *id))
                .bind(format!("pending:{}", row.code))
                .bind(&row.sector)
                .bind(&row.tz)
                .bind(&row.settlement)
                .bind(&row.bus_gov_id)
                .fetch_one(&mut *tx)
                .await
                .map_err(|e| match DbError::from(e) {
                    DbError::Conflict { .. } => DbError::Conflict { what: "org" },
                    other => other,
                })?;
                let path = format!(
                    "{}{id}/",
                    parent.as_ref().map_or("/", |(_, path)| path.as_str())
                );
                sqlx::query("update orgs set path = $1 where id = $2")
                    .bind(&path)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                out.push(OrgRow {
                    id,
                    code: row.code.clone(),
                    name: row.name.clone(),
                    kind: row.kind.clone(),
                    parent: row.parent.clone(),
                    path,
                    sector: row.sector.clone(),
                    tz: row.tz.clone(),
                    settlement: row.settlement.clone(),
                    bus_gov_id: row.bus_gov_id.clone(),
                });
            }
            tx.commit().await?;
        });
        Ok(out)
    }

    /// The org with this code.
    ///
    /// # Errors
    /// Database failure.
    pub async fn org_by_code(&self, code: &str) -> DbResult<Option<OrgRow>> {
        if code.contains('\0') {
            return Ok(None); // no stored code has one, and PostgreSQL refuses NUL in text
        }
        let sql = format!("{SELECT_ORG} where o.code = $1");
        Ok(with_pool!(self.reader(), |p| sqlx::query_as(
            AssertSqlSafe(sql)
        )
        .bind(code)
        .fetch_optional(p)
        .await?))
    }

    /// The orgs with these codes (unknown codes are simply absent).
    ///
    /// # Errors
    /// Database failure.
    pub async fn orgs_by_codes(&self, codes: &[String]) -> DbResult<Vec<OrgRow>> {
        let mut out = Vec::new();
        for code in codes {
            out.extend(self.org_by_code(code).await?);
        }
        Ok(out)
    }

    /// Orgs whose path starts with `under` (a whole subtree, the root included), optionally only
    /// the direct children of `parent`, ordered by path. Paths hold only digits and `/`, so the
    /// prefix needs no `like` escaping.
    ///
    /// # Errors
    /// Database failure.
    pub async fn list_orgs(&self, under: &str, parent: Option<i64>) -> DbResult<Vec<OrgRow>> {
        let sql = format!(
            "{SELECT_ORG} where o.path like $1 and ($2 is null or o.parent_id = $2) order by o.path"
        );
        Ok(with_pool!(self.reader(), |p| sqlx::query_as(
            AssertSqlSafe(sql)
        )
        .bind(format!("{under}%"))
        .bind(parent)
        .fetch_all(p)
        .await?))
    }
}
