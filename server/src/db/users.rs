//! Staff accounts: admins, officials, observers and operators.

use otklik_shared::org::{OrgPath, Role};

use super::values::{lookup_key, Decoder};
use super::{with_pool, Database, DbError, DbResult, Named};

/// A user as stored, with the scope org's code and path joined in.
#[derive(Debug, Clone, PartialEq)]
pub struct UserRow {
    /// Surrogate id.
    pub id: i64,
    /// Login name.
    pub login: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Role.
    pub role: Role,
    /// Scope org code (`None` for admins).
    pub scope: Option<String>,
    /// Scope org path (`None` for admins).
    pub scope_path: Option<OrgPath>,
}

/// [`UserRow`] as the query returns it.
#[derive(sqlx::FromRow)]
struct RawUser {
    id: i64,
    login: String,
    password_hash: String,
    role: String,
    scope: Option<String>,
    scope_path: Option<String>,
}

impl TryFrom<RawUser> for UserRow {
    type Error = DbError;

    fn try_from(r: RawUser) -> DbResult<Self> {
        let d = Decoder {
            table: "users",
            key: &r.login,
        };
        Ok(Self {
            role: d.column("role", r.role)?,
            scope_path: d.optional("scope_path", r.scope_path)?,
            id: r.id,
            login: r.login,
            password_hash: r.password_hash,
            scope: r.scope,
        })
    }
}

impl Database {
    /// Inserts a user.
    ///
    /// # Errors
    /// [`DbError::Conflict`] when the login exists.
    #[tracing::instrument(skip_all, fields(role = role.as_str(), scope = scope_org_id))]
    pub async fn insert_user(
        &self,
        login: &str,
        password_hash: &str,
        role: Role,
        scope_org_id: Option<i64>,
    ) -> DbResult<i64> {
        let id = with_pool!(self.writer(), |p| {
            sqlx::query_scalar(
            "insert into users (login, password_hash, role, scope_org_id) values ($1, $2, $3, $4) returning id"
        )
        .bind(login)
        .bind(password_hash)
        .bind(role.as_str())
        .bind(scope_org_id)
        .fetch_one(p)
        .await
        .named("insert user")
.map_err(|e| e.conflict_on("user"))?
        });
        Ok(id)
    }

    /// The user with this login.
    ///
    /// # Errors
    /// Database failure.
    pub async fn user_by_login(&self, login: &str) -> DbResult<Option<UserRow>> {
        let Some(login) = lookup_key(login) else {
            return Ok(None);
        };
        let row: Option<RawUser> = with_pool!(self.reader(), |p| {
            sqlx::query_as(
            "select u.id, u.login, u.password_hash, u.role, o.code as scope, o.path as scope_path \
             from users u left join orgs o on o.id = u.scope_org_id where u.login = $1"
        )
        .bind(login)
        .fetch_optional(p)
        .await.named("select user by login")?
        });
        row.map(UserRow::try_from).transpose()
    }
}
