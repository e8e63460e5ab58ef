//! Staff authentication: argon2id password hashes, JWT bearer tokens with expiry, and the
//! [`Caller`] extractor that carries role and org scope into handlers.

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use otklik_shared::org::Role;
use serde::{Deserialize, Serialize};

use crate::error::{ApiError, ApiResult};
use crate::startup::AppState;

/// Hashes a password with argon2id (the crate's defaults: 19 MiB, 2 passes, 1 lane).
///
/// # Errors
/// Only on an internal failure of the hasher.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("Failed to hash a password: {e}"))
}

/// Whether `password` matches the PHC string `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// A fixed valid hash, verified against when the login is unknown, so that unknown logins and
/// wrong passwords take the same time.
pub fn decoy_hash() -> &'static str {
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$Jv1q4yC8rVvWl0T3Tq3ZVxA3aWf6w1O9gqk3bq6v8bM"
}

/// The claims of a login token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: i64,
    /// Login name.
    pub login: String,
    /// Role wire name.
    pub role: String,
    /// Scope org code (`None` for admins).
    pub scope: Option<String>,
    /// Scope org path; org paths never change, so it is safe to carry.
    pub scope_path: Option<String>,
    /// Expiry (seconds since the epoch).
    pub exp: i64,
    /// Issued at.
    pub iat: i64,
}

/// Signing and verification keys plus token lifetime.
pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    ttl: Duration,
}

impl JwtKeys {
    /// Keys from a shared secret (HS256).
    pub fn new(secret: &[u8], ttl_minutes: i64) -> Self {
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            ttl: Duration::minutes(ttl_minutes.max(1)),
        }
    }

    /// Issues a token for the user; returns it with its expiry.
    ///
    /// # Errors
    /// Only on an internal failure of the signer.
    pub fn issue(
        &self,
        user_id: i64,
        login: &str,
        role: Role,
        scope: Option<(String, String)>,
    ) -> anyhow::Result<(String, DateTime<Utc>)> {
        let now = Utc::now();
        let exp = now + self.ttl;
        let (scope, scope_path) = scope.unzip();
        let claims = Claims {
            sub: user_id,
            login: login.to_owned(),
            role: role.as_str().to_owned(),
            scope,
            scope_path,
            exp: exp.timestamp(),
            iat: now.timestamp(),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, exp))
    }

    /// Verifies a token's signature and expiry.
    ///
    /// # Errors
    /// 401 `token_expired` or `unauthorized`.
    pub fn verify(&self, token: &str) -> ApiResult<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        decode::<Claims>(token, &self.decoding, &validation)
            .map(|d| d.claims)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
                    ApiError::unauthorized("token_expired", "the token has expired, log in again")
                }
                _ => ApiError::unauthorized("unauthorized", "invalid token"),
            })
    }
}

/// An authenticated staff member.
#[derive(Debug, Clone)]
pub struct Caller {
    /// User id.
    pub user_id: i64,
    /// Login.
    pub login: String,
    /// Role.
    pub role: Role,
    /// Scope org code (`None` for admins).
    pub scope: Option<String>,
    /// Scope org path (`None` for admins).
    pub scope_path: Option<String>,
}

impl Caller {
    /// Whether the caller's scope covers an org with this path (admins cover everything).
    pub fn covers(&self, org_path: &str) -> bool {
        self.role == Role::Admin
            || self
                .scope_path
                .as_deref()
                .is_some_and(|scope| org_path.starts_with(scope))
    }

    /// Allows reading results for the org at `org_path`, or answers 403.
    ///
    /// # Errors
    /// 403 `forbidden` for operators, 403 `out_of_scope` outside the subtree.
    pub fn may_read_results(&self, org_code: &str, org_path: &str) -> ApiResult<()> {
        if !otklik_shared::access::allows(self.role, otklik_shared::access::Action::ReadResults) {
            return Err(ApiError::forbidden("operators do not read results"));
        }
        if !self.covers(org_path) {
            return Err(ApiError::out_of_scope(&format!("org {org_code}")));
        }
        Ok(())
    }
}

fn caller_from(req: &HttpRequest) -> ApiResult<Caller> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("application state is missing")))?;
    let header = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .ok_or_else(|| {
            ApiError::unauthorized(
                "unauthorized",
                "log in first: Authorization: Bearer <token>",
            )
        })?;
    let token = header
        .to_str()
        .ok()
        .and_then(|h| h.strip_prefix("Bearer "))
        .ok_or_else(|| {
            ApiError::unauthorized("unauthorized", "expected Authorization: Bearer <token>")
        })?;
    let claims = state.jwt.verify(token.trim())?;
    let role = Role::parse(&claims.role)
        .ok_or_else(|| ApiError::unauthorized("unauthorized", "invalid token"))?;
    Ok(Caller {
        user_id: claims.sub,
        login: claims.login,
        role,
        scope: claims.scope,
        scope_path: claims.scope_path,
    })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(caller_from(req))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("wrong horse", &hash));
        assert!(!verify_password("anything", "not a hash"));
    }

    #[test]
    fn the_decoy_hash_parses_and_matches_nothing_common() {
        assert!(PasswordHash::new(decoy_hash()).is_ok());
        assert!(!verify_password("", decoy_hash()));
    }

    #[test]
    fn a_token_round_trips_and_a_tampered_one_fails() {
        let keys = JwtKeys::new(b"secret", 5);
        let (token, exp) = keys
            .issue(
                7,
                "ivanova",
                Role::Official,
                Some(("reg".into(), "/1/".into())),
            )
            .unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!(
            (claims.sub, claims.scope_path.as_deref(), claims.exp),
            (7, Some("/1/"), exp.timestamp())
        );
        let other = JwtKeys::new(b"other", 5);
        assert!(other.verify(&token).is_err());
    }

    #[test]
    fn an_expired_token_is_refused_as_expired() {
        let keys = JwtKeys::new(b"secret", 5);
        let claims = Claims {
            sub: 1,
            login: "a".into(),
            role: "admin".into(),
            scope: None,
            scope_path: None,
            exp: Utc::now().timestamp() - 10,
            iat: 0,
        };
        let token = encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(b"secret"),
        )
        .unwrap();
        match keys.verify(&token) {
            Err(ApiError::Unauthorized { code, .. }) => assert_eq!(code, "token_expired"),
            other => panic!("expected token_expired, got {other:?}"),
        }
    }

    #[test]
    fn scope_is_a_path_prefix() {
        let c = Caller {
            user_id: 1,
            login: "x".into(),
            role: Role::Official,
            scope: Some("a".into()),
            scope_path: Some("/1/4/".into()),
        };
        assert!(c.covers("/1/4/"));
        assert!(c.covers("/1/4/9/"));
        assert!(!c.covers("/1/"));
        assert!(!c.covers("/1/40/"));
    }
}
