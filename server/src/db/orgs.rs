//! The org tree: insert (singly or all-or-nothing in bulk), look up, list a subtree.

use otklik_shared::org::{OrgKind, OrgPath, Sector, Settlement};
use sqlx::AssertSqlSafe;

use super::values::{lookup_key, Decoder, Tz};
use super::{with_pool, Database, DbError, DbResult, Named};

/// An org as stored, with its parent's code joined in.
#[derive(Debug, Clone, PartialEq)]
pub struct OrgRow {
    /// Surrogate id.
    pub id: i64,
    /// Stable code.
    pub code: String,
    /// Display name.
    pub name: String,
    /// Kind.
    pub kind: OrgKind,
    /// Parent's code.
    pub parent: Option<String>,
    /// Materialised path of ids, `/1/4/9/`; a subtree is a prefix.
    pub path: OrgPath,
    /// Sector.
    pub sector: Option<Sector>,
    /// Time zone.
    pub tz: Tz,
    /// Urban or rural.
    pub settlement: Option<Settlement>,
    /// bus.gov.ru id.
    pub bus_gov_id: Option<String>,
}

/// [`OrgRow`] as the query returns it.
#[derive(sqlx::FromRow)]
struct RawOrg {
    id: i64,
    code: String,
    name: String,
    kind: String,
    parent: Option<String>,
    path: String,
    sector: Option<String>,
    tz: String,
    settlement: Option<String>,
    bus_gov_id: Option<String>,
}

impl TryFrom<RawOrg> for OrgRow {
    type Error = DbError;

    fn try_from(r: RawOrg) -> DbResult<Self> {
        let d = Decoder {
            table: "orgs",
            key: &r.code,
        };
        Ok(Self {
            kind: d.column("kind", r.kind)?,
            path: d.column("path", r.path)?,
            sector: d.optional("sector", r.sector)?,
            tz: d.column("tz", r.tz)?,
            settlement: d.optional("settlement", r.settlement)?,
            id: r.id,
            code: r.code,
            name: r.name,
            parent: r.parent,
            bus_gov_id: r.bus_gov_id,
        })
    }
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
    pub kind: OrgKind,
    /// Parent code.
    pub parent: Option<String>,
    /// Sector.
    pub sector: Option<Sector>,
    /// Time zone.
    pub tz: Tz,
    /// Settlement.
    pub settlement: Option<Settlement>,
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
    #[tracing::instrument(skip_all, fields(orgs = rows.len()))]
    pub async fn insert_orgs(&self, rows: &[NewOrgRow]) -> DbResult<Vec<OrgRow>> {
        let mut out = Vec::with_capacity(rows.len());
        with_pool!(self.writer(), |p| {
            let mut tx = p.begin().await.named("begin org insert")?;
            for row in rows {
                let parent: Option<(i64, String)> = match &row.parent {
                    None => None,
                    Some(code) => Some(
                        sqlx::query_as("select id, path from orgs where code = $1")
                            .bind(code)
                            .fetch_optional(&mut *tx)
                            .await
                            .named("select parent org")?
                            .ok_or(DbError::NotFound)?,
                    ),
                };
                let id: i64 = sqlx::query_scalar(
                    "insert into orgs (code, name, kind, parent_id, path, sector, tz, settlement, bus_gov_id) \
                     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id",
                )
                .bind(&row.code)
                .bind(&row.name)
                .bind(row.kind.as_str())
                .bind(parent.as_ref().map(|(id, _)| *id))
                .bind(format!("pending:{}", row.code))
                .bind(row.sector.map(Sector::as_str))
                .bind(row.tz.name())
                .bind(row.settlement.map(Settlement::as_str))
                .bind(&row.bus_gov_id)
                .fetch_one(&mut *tx)
                .await
                .named("insert org")
.map_err(|e| e.conflict_on("org"))?;
                let path = format!(
                    "{}{id}/",
                    parent.as_ref().map_or("/", |(_, path)| path.as_str())
                );
                let path: OrgPath = Decoder {
                    table: "orgs",
                    key: &row.code,
                }
                .column("path", path)?;
                sqlx::query("update orgs set path = $1 where id = $2")
                    .bind(path.as_str())
                    .bind(id)
                    .execute(&mut *tx)
                    .await
                    .named("update org path")?;
                out.push(OrgRow {
                    id,
                    code: row.code.clone(),
                    name: row.name.clone(),
                    kind: row.kind,
                    parent: row.parent.clone(),
                    path,
                    sector: row.sector,
                    tz: row.tz,
                    settlement: row.settlement,
                    bus_gov_id: row.bus_gov_id.clone(),
                });
            }
            tx.commit().await.named("commit org insert")?;
        });
        Ok(out)
    }

    /// The org with this code.
    ///
    /// # Errors
    /// Database failure.
    pub async fn org_by_code(&self, code: &str) -> DbResult<Option<OrgRow>> {
        let Some(code) = lookup_key(code) else {
            return Ok(None);
        };
        let sql = format!("{SELECT_ORG} where o.code = $1");
        let row: Option<RawOrg> = with_pool!(self.reader(), |p| sqlx::query_as(AssertSqlSafe(sql))
            .bind(code)
            .fetch_optional(p)
            .await
            .named("select org by code")?);
        row.map(OrgRow::try_from).transpose()
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
        let rows: Vec<RawOrg> = with_pool!(self.reader(), |p| sqlx::query_as(AssertSqlSafe(sql))
            .bind(format!("{under}%"))
            .bind(parent)
            .fetch_all(p)
            .await
            .named("select orgs in subtree")?);
        rows.into_iter().map(OrgRow::try_from).collect()
    }

    /// Sets an org's name, settlement and bus.gov.ru id (what an admin corrects; code, kind,
    /// parent and time zone stay: paths and dated figures hang on them).
    ///
    /// # Errors
    /// [`DbError::NotFound`] for an unknown id.
    #[tracing::instrument(skip_all, fields(org = id))]
    pub async fn update_org(
        &self,
        id: i64,
        name: &str,
        settlement: Option<Settlement>,
        bus_gov_id: Option<&str>,
    ) -> DbResult<()> {
        let done = with_pool!(self.writer(), |p| {
            sqlx::query("update orgs set name = $2, settlement = $3, bus_gov_id = $4 where id = $1")
                .bind(id)
                .bind(name)
                .bind(settlement.map(Settlement::as_str))
                .bind(bus_gov_id)
                .execute(p)
                .await
                .named("update org")?
                .rows_affected()
        });
        if done == 0 {
            return Err(DbError::NotFound);
        }
        Ok(())
    }
}
