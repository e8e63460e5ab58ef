//! Staff accounts: admins, officials, observers and operators.

use super::{with_pool, Database, DbError, DbResult};

/// A user as stored, with the scope org's code and path joined in.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct UserRow {
    /// Surrogate id.
    pub id: i64,
    /// Login name.
    pub login: String,
    /// Argon2id PHC string.
    pub password_hash: String,
    /// Role.
    pub role: String,
    /// Scope org code (`None` for admins).
    pub scope: Option<String>,
    /// Scope org path (`None` for admins).
    pub scope_path: Option<String>,
}

impl Database {
    /// Inserts a user.
    ///
    /// # Errors
    /// [`DbError::Conflict`] when the login exists.
    pub async fn insert_user(
        &self,
        login: &str,
        password_hash: &str,
        role: &str,
        scope_org_id: Option<i64>,
    ) -> DbResult<i64> {
        let id = with_pool!(self.writer(), |p| {
            sqlx::query_scalar(
            "insert into users (login, password_hash, role, scope_org_id) values ($1, $2, $3, $4) returning id"
        )
        .bind(login)
        .bind(password_hash)
        .bind(role)
        .bind(scope_org_id)
        .fetch_one(p)
        .await
        .map_err(|e| match DbError::from(e) {
            DbError::Conflict { .. } => DbError::Conflict { what: "user" },
            other => other,
        })?
        });
        Ok(id)
    }

    /// The user with this login.
    ///
    /// # Errors
    /// Database failure.
    pub async fn user_by_login(&self, login: &str) -> DbResult<Option<UserRow>> {
        if login.contains('\0') {
            return Ok(None); // no stored login has one, and PostgreSQL refuses NUL in text
        }
        Ok(with_pool!(self.reader(), |p| sqlx::query_as(
            "select u.id, u.login, u.password_hash, u.role, o.code as scope, o.path as scope_path \
             from users u left join orgs o on o.id = u.scope_org_id where u.login = $1"
        )
        .bind(login)
        .fetch_optional(p)
        .await?))
    }
}
