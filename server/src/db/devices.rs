//! Kiosk devices: one-time enrolment codes, device tokens (stored as hashes), revocation and
//! the per-device sequence numbers received.

use chrono::{DateTime, Utc};
use otklik_shared::org::OrgPath;

use super::values::{lookup_key, Decoder};
use super::{with_pool, Database, DbError, DbResult, Named};

/// A device with its org joined in.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceRow {
    /// Device id.
    pub id: String,
    /// Name given at enrolment («Планшет у регистратуры»).
    pub name: String,
    /// Org code.
    pub org: String,
    /// Org path (scope checks).
    pub org_path: OrgPath,
    /// Point code, if the kiosk runs one point.
    pub point: Option<String>,
    /// When it was enrolled.
    pub enrolled_at: DateTime<Utc>,
    /// Last upload.
    pub last_seen: Option<DateTime<Utc>>,
    /// When it was revoked.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// [`DeviceRow`] as the query returns it.
#[derive(sqlx::FromRow)]
struct RawDevice {
    id: String,
    name: String,
    org: String,
    org_path: String,
    point: Option<String>,
    enrolled_at: DateTime<Utc>,
    last_seen: Option<DateTime<Utc>>,
    revoked_at: Option<DateTime<Utc>>,
}

impl TryFrom<RawDevice> for DeviceRow {
    type Error = DbError;

    fn try_from(r: RawDevice) -> DbResult<Self> {
        let org_path = Decoder {
            table: "devices",
            key: &r.id,
        }
        .column("org_path", r.org_path)?;
        Ok(Self {
            org_path,
            id: r.id,
            name: r.name,
            org: r.org,
            point: r.point,
            enrolled_at: r.enrolled_at,
            last_seen: r.last_seen,
            revoked_at: r.revoked_at,
        })
    }
}

/// A stored enrolment code.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CodeRow {
    /// Org id.
    pub org_id: i64,
    /// Point id.
    pub point_id: Option<i64>,
    /// The operator PIN (blanked once used).
    pub pin: String,
    /// Expiry.
    pub expires_at: DateTime<Utc>,
    /// When it was used.
    pub used_at: Option<DateTime<Utc>>,
}

const SELECT_DEVICE: &str = "select d.id, d.name, o.code as org, o.path as org_path, p.code as point, d.enrolled_at, \
     d.last_seen, d.revoked_at from devices d join orgs o on o.id = d.org_id left join points p on p.id = d.point_id";

impl Database {
    /// Stores a new enrolment code.
    ///
    /// # Errors
    /// [`super::DbError::Conflict`] on a (vanishingly unlikely) code collision.
    pub async fn insert_enrolment_code(
        &self,
        code: &str,
        org_id: i64,
        point_id: Option<i64>,
        pin: &str,
        expires_at: DateTime<Utc>,
    ) -> DbResult<()> {
        with_pool!(self.writer(), |p| {
            sqlx::query("insert into enrolment_codes (code, org_id, point_id, pin, expires_at) values ($1, $2, $3, $4, $5)")
                .bind(code)
                .bind(org_id)
                .bind(point_id)
                .bind(pin)
                .bind(expires_at)
                .execute(p)
                .await.named("insert enrolment code")?;
        });
        Ok(())
    }

    /// The enrolment code, if it exists.
    ///
    /// # Errors
    /// Database failure.
    pub async fn enrolment_code(&self, code: &str) -> DbResult<Option<CodeRow>> {
        let Some(code) = lookup_key(code) else {
            return Ok(None);
        };
        Ok(with_pool!(self.reader(), |p| {
            sqlx::query_as(
            "select org_id, point_id, pin, expires_at, used_at from enrolment_codes where code = $1"
        )
        .bind(code)
        .fetch_optional(p)
        .await.named("select enrolment code")?
        }))
    }

    /// Uses the code and creates the device in one transaction; `false` if another enrolment
    /// used the code first.
    ///
    /// # Errors
    /// Database failure.
    #[tracing::instrument(skip_all, fields(device = device_id, org = code_row.org_id))]
    pub async fn enrol_device(
        &self,
        code: &str,
        device_id: &str,
        name: &str,
        token_hash: &[u8],
        code_row: &CodeRow,
        now: DateTime<Utc>,
    ) -> DbResult<bool> {
        Ok(with_pool!(self.writer(), |p| {
            let mut tx = p.begin().await.named("begin enrolment")?;
            let used = sqlx::query("update enrolment_codes set used_at = $1, pin = '' where code = $2 and used_at is null")
                .bind(now)
                .bind(code)
                .execute(&mut *tx)
                .await.named("use enrolment code")?
                .rows_affected();
            if used == 1 {
                sqlx::query(
                    "insert into devices (id, name, org_id, point_id, token_hash, enrolled_at) values ($1, $2, $3, $4, $5, $6)",
                )
                .bind(device_id)
                .bind(name)
                .bind(code_row.org_id)
                .bind(code_row.point_id)
                .bind(token_hash)
                .bind(now)
                .execute(&mut *tx)
                .await.named("insert device")?;
                tx.commit().await.named("commit enrolment")?;
            }
            used == 1
        }))
    }

    /// The device a token hash belongs to.
    ///
    /// # Errors
    /// Database failure.
    pub async fn device_by_token_hash(&self, token_hash: &[u8]) -> DbResult<Option<DeviceRow>> {
        let sql = format!("{SELECT_DEVICE} where d.token_hash = $1");
        let row: Option<RawDevice> =
            with_pool!(self.reader(), |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(token_hash)
                .fetch_optional(p)
                .await
                .named("select device by token hash")?);
        row.map(DeviceRow::try_from).transpose()
    }

    /// The device with this id.
    ///
    /// # Errors
    /// Database failure.
    pub async fn device_by_id(&self, id: &str) -> DbResult<Option<DeviceRow>> {
        let Some(id) = lookup_key(id) else {
            return Ok(None);
        };
        let sql = format!("{SELECT_DEVICE} where d.id = $1");
        let row: Option<RawDevice> =
            with_pool!(self.reader(), |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(id)
                .fetch_optional(p)
                .await
                .named("select device by id")?);
        row.map(DeviceRow::try_from).transpose()
    }

    /// Devices of orgs in the subtree under `under`, newest first.
    ///
    /// # Errors
    /// Database failure.
    pub async fn list_devices(&self, under: &OrgPath) -> DbResult<Vec<DeviceRow>> {
        let sql = format!("{SELECT_DEVICE} where o.path like $1 order by d.enrolled_at desc");
        let rows: Vec<RawDevice> =
            with_pool!(self.reader(), |p| sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(format!("{under}%"))
                .fetch_all(p)
                .await
                .named("select devices in subtree")?);
        rows.into_iter().map(DeviceRow::try_from).collect()
    }

    /// Records an upload from the device.
    ///
    /// # Errors
    /// Database failure.
    pub async fn touch_device(&self, id: &str, now: DateTime<Utc>) -> DbResult<()> {
        with_pool!(self.writer(), |p| {
            sqlx::query("update devices set last_seen = $1 where id = $2")
                .bind(now)
                .bind(id)
                .execute(p)
                .await
                .named("update device last seen")?;
        });
        Ok(())
    }

    /// Revokes the device; `false` if it does not exist.
    ///
    /// # Errors
    /// Database failure.
    #[tracing::instrument(skip_all, fields(device = id))]
    pub async fn revoke_device(&self, id: &str, now: DateTime<Utc>) -> DbResult<bool> {
        let n = with_pool!(self.writer(), |p| sqlx::query(
            "update devices set revoked_at = coalesce(revoked_at, $1) where id = $2"
        )
        .bind(now)
        .bind(id)
        .execute(p)
        .await
        .named("revoke device")?
        .rows_affected());
        Ok(n == 1)
    }

    /// Distinct sequence numbers received from the device, ascending.
    ///
    /// # Errors
    /// Database failure.
    pub async fn device_seqs(&self, id: &str) -> DbResult<Vec<i64>> {
        Ok(with_pool!(self.reader(), |p| sqlx::query_scalar(
            "select distinct seq from responses where device = $1 and seq is not null order by seq"
        )
        .bind(id)
        .fetch_all(p)
        .await
        .named("select device sequence numbers")?))
    }
}
