//! Staff authentication: argon2id password hashes, JWT bearer tokens with expiry, login, and the
//! [`Caller`] that carries role and scope into the services.
//!
//! Every access decision is [`Caller::require`], which asks the one permission table
//! (`otklik_shared::access`); nothing here knows HTTP (the web edge reads the header).

use std::net::IpAddr;
use std::sync::LazyLock;

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm as Argon2Algorithm, Argon2, Params, Version};
use chrono::{DateTime, Duration, SecondsFormat, Utc};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use otklik_shared::access::{self, Action, Denied, Scope};
use otklik_shared::api::{LoginReply, LoginRequest};
use otklik_shared::org::{OrgPath, Role};
use serde::{Deserialize, Serialize};
use tokio::sync::Semaphore;

use crate::db::devices::DeviceRow;
use crate::db::orgs::OrgRow;
use crate::db::points::PointRow;
use crate::db::users::UserRow;
use crate::db::Database;
use crate::ratelimit::LoginThrottle;
use crate::service_error::{ServiceError, ServiceResult};

/// argon2id's cost for new hashes: 7 MiB and 5 passes, one lane. OWASP's password storage
/// cheat sheet lists it among five settings of equal defence (from 46 MiB × 1 pass to this),
/// the only difference being memory traded for passes. The server picks the least memory: the
/// allocator keeps a hash's working memory after it is freed, and at 19 MiB × 2 passes (the
/// crate's default, used before) the demo's four hashes left ~12 MB resident and three logins
/// at once ~40 MB (docs/benchmarks.md). A stored hash carries its own cost, so older hashes
/// verify as before, and are made again at this cost at their owner's next right login.
const HASH_MEMORY_KIB: u32 = 7 * 1024;
const HASH_PASSES: u32 = 5;

/// [`HASH_MEMORY_KIB`], [`HASH_PASSES`] and one lane, checked when the server is compiled.
const HASH_PARAMS: Params = match Params::new(HASH_MEMORY_KIB, HASH_PASSES, 1, None) {
    Ok(params) => params,
    Err(_) => panic!("argon2 refuses the password hash cost"),
};

/// The hasher for new hashes; verification reads the cost from the stored hash whatever this
/// says.
fn hasher() -> Argon2<'static> {
    Argon2::new(Argon2Algorithm::Argon2id, Version::V0x13, HASH_PARAMS)
}

/// Hashes a password with argon2id at [`HASH_MEMORY_KIB`] and [`HASH_PASSES`].
///
/// # Errors
/// Only on an internal failure of the hasher.
pub fn hash_password(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    hasher()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("Failed to hash a password: {e}"))
}

/// Whether a stored hash was made otherwise than new ones are (another algorithm, version or
/// cost, or no PHC string at all): the next right login makes it again ([`rehash`]).
fn made_otherwise(hash: &str) -> bool {
    PasswordHash::new(hash).map_or(true, |parsed| {
        parsed.algorithm != argon2::ARGON2ID_IDENT
            || parsed.version != Some(Version::V0x13 as u32)
            || Params::try_from(&parsed).map_or(true, |p| {
                (p.m_cost(), p.t_cost(), p.p_cost())
                    != (
                        HASH_PARAMS.m_cost(),
                        HASH_PARAMS.t_cost(),
                        HASH_PARAMS.p_cost(),
                    )
            })
    })
}

/// Whether `password` matches the PHC string `hash`.
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok()
    })
}

/// How many argon2 computations may run at once: one a core. Each holds 7 MiB while it runs
/// (19 MiB for a hash stored before), and tokio's blocking pool alone would start up to 512
/// threads for a burst of logins, 3.5 GiB of working memory; beyond one a core they would only
/// take turns on the CPU anyway.
static ARGON2_SLOTS: LazyLock<Semaphore> =
    LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, usize::from)));

/// Runs `work`, one argon2 hash or verification, off the async workers (it takes tens of
/// milliseconds of CPU) and at most [`ARGON2_SLOTS`] at once; the others wait their turn.
///
/// # Errors
/// Internal, if `work` panics.
pub async fn argon2_in_turn<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> ServiceResult<T> {
    let _slot = ARGON2_SLOTS
        .acquire()
        .await
        .map_err(|e| ServiceError::Internal(e.into()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ServiceError::Internal(e.into()))
}

/// A fixed valid hash at the cost of new ones (unit-tested), verified against when the login is
/// unknown, so that unknown logins and wrong passwords take the same time.
pub fn decoy_hash() -> &'static str {
    "$argon2id$v=19$m=7168,t=5,p=1$c29tZXNhbHRzb21lc2FsdA$D3N8dZegvnRXGsA/3ObnBc3JHRDK8cV5ZlZxPCF9sZU"
}

/// The claims of a login token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// User id.
    pub sub: i64,
    /// Login name.
    pub login: String,
    /// Role.
    pub role: Role,
    /// Scope org code (`None` for admins).
    pub scope: Option<String>,
    /// Scope org path; org paths never change, so it is safe to carry.
    pub scope_path: Option<OrgPath>,
    /// The user's token generation when the token was issued: disabling the user or changing
    /// their password bumps the stored one, which refuses every earlier token.
    pub generation: i64,
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
    pub fn issue(&self, user: &UserRow) -> anyhow::Result<(String, DateTime<Utc>)> {
        let now = Utc::now();
        let exp = now + self.ttl;
        let claims = Claims {
            sub: user.id,
            login: user.login.clone(),
            role: user.role,
            scope: user.scope.clone(),
            scope_path: user.scope_path.clone(),
            generation: user.token_generation,
            exp: exp.timestamp(),
            iat: now.timestamp(),
        };
        let token = encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, exp))
    }

    /// Verifies a token's signature and expiry.
    ///
    /// # Errors
    /// `token_expired` or `unauthorized`.
    pub fn verify(&self, token: &str) -> ServiceResult<Claims> {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        decode::<Claims>(token, &self.decoding, &validation)
            .map(|d| d.claims)
            .map_err(|e| match e.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => ServiceError::unauthenticated(
                    "token_expired",
                    "the token has expired, log in again",
                ),
                _ => ServiceError::unauthenticated("unauthorized", "invalid token"),
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
    pub scope_code: Option<String>,
    /// What part of the tree the caller acts on.
    pub scope: Scope,
}

/// Something that sits at one place of the org tree: what a permission is checked against.
pub trait Target {
    /// The org path the target lies at.
    fn org_path(&self) -> &OrgPath;
    /// How a refusal names it ("org reg-a").
    fn describe(&self) -> String;
}

impl Target for OrgRow {
    fn org_path(&self) -> &OrgPath {
        &self.path
    }
    fn describe(&self) -> String {
        format!("org {}", self.code)
    }
}

impl Target for PointRow {
    fn org_path(&self) -> &OrgPath {
        &self.org_path
    }
    fn describe(&self) -> String {
        format!("point {}", self.code)
    }
}

impl Target for DeviceRow {
    fn org_path(&self) -> &OrgPath {
        &self.org_path
    }
    fn describe(&self) -> String {
        format!("device {}", self.id)
    }
}

impl Caller {
    /// A caller from a verified token's claims.
    ///
    /// # Errors
    /// `unauthorized` for a non-admin token without a scope.
    pub fn from_claims(claims: Claims) -> ServiceResult<Self> {
        let scope = match (access::is_scoped(claims.role), claims.scope_path) {
            (false, _) => Scope::Everything,
            (true, Some(path)) => Scope::Subtree(path),
            (true, None) => {
                return Err(ServiceError::unauthenticated(
                    "unauthorized",
                    "invalid token",
                ))
            }
        };
        Ok(Self {
            user_id: claims.sub,
            login: claims.login,
            role: claims.role,
            scope_code: claims.scope,
            scope,
        })
    }

    /// The server's own hand, for data it generates itself (the demo set).
    pub fn system() -> Self {
        Self {
            user_id: 0,
            login: "system".into(),
            role: Role::Admin,
            scope_code: None,
            scope: Scope::Everything,
        }
    }

    /// The path prefix of everything in the caller's scope (`/` for the whole tree).
    pub fn scope_root(&self) -> &str {
        match &self.scope {
            Scope::Everything => "/",
            Scope::Subtree(path) => path.as_str(),
        }
    }

    /// The role check alone, made first by a service whose input is checked before its target
    /// is known: who may never do `action` hears 403 before any 422 about the input.
    ///
    /// # Errors
    /// [`ServiceError::Denied`] when the table refuses the role.
    pub fn may(&self, action: Action) -> ServiceResult<()> {
        if access::allows(self.role, action) {
            Ok(())
        } else {
            Err(ServiceError::denied(Denied::Role(action), "this"))
        }
    }

    /// The access check for what belongs to no org (a region, an admin account): the table
    /// allows the role `action` and the caller's scope is the whole tree.
    ///
    /// # Errors
    /// [`ServiceError::Denied`] naming `what`.
    pub fn require_everywhere(&self, action: Action, what: &str) -> ServiceResult<()> {
        access::check_everywhere(self.role, &self.scope, action)
            .map_err(|denied| ServiceError::denied(denied, what))
    }

    /// The one access check: the permission table allows the caller's role `action`, on a
    /// target inside the caller's scope.
    ///
    /// # Errors
    /// [`ServiceError::Denied`] naming the target.
    pub fn require(&self, action: Action, target: &impl Target) -> ServiceResult<()> {
        access::check(self.role, &self.scope, action, target.org_path())
            .map_err(|denied| ServiceError::denied(denied, target.describe()))
    }
}

/// The caller a bearer token names, checked against the user's row on every request: a token of
/// a user that is gone, disabled, or whose password changed since (another token generation)
/// is refused at once, on every instance sharing the database. One primary-key read.
///
/// # Errors
/// `unauthorized` or `token_expired` for a token that does not verify, `token_revoked` for one
/// whose user no longer accepts it; internal on a database failure.
pub async fn authenticate(db: &Database, jwt: &JwtKeys, token: &str) -> ServiceResult<Caller> {
    let claims = jwt.verify(token)?;
    let current = db.user_token_state(claims.sub).await?;
    if current != Some((true, claims.generation)) {
        tracing::info!(user = claims.sub, "revoked token refused");
        return Err(ServiceError::unauthenticated(
            "token_revoked",
            "this token is no longer valid (the account was disabled or its password changed), log in again",
        ));
    }
    Caller::from_claims(claims)
}

/// Checks a login and password and issues a token, under the login throttle: an attempt over
/// one of its budgets is refused before any password is checked (so a guesser learns nothing
/// from it, even with the right password), and only wrong credentials use up a budget.
///
/// # Errors
/// `login_throttled` (with the seconds to wait) over a budget, `invalid_credentials` for a
/// wrong login or password; internal on a database failure.
#[tracing::instrument(skip_all)]
pub async fn login(
    db: &Database,
    jwt: &JwtKeys,
    throttle: &LoginThrottle,
    client: IpAddr,
    creds: LoginRequest,
) -> ServiceResult<LoginReply> {
    if let Some(retry_after) = throttle.attempt(&creds.login, client, Utc::now()) {
        tracing::info!(retry_after, "login throttled");
        return Err(ServiceError::RateLimited {
            code: "login_throttled",
            message: format!("too many failed logins, retry in {retry_after} s"),
            retry_after,
        });
    }
    let login = creds.login.clone();
    let outcome = check_credentials(db, jwt, creds).await;
    if !matches!(outcome, Err(ServiceError::Unauthenticated { .. })) {
        throttle.not_a_failure(&login, client);
    }
    outcome
}

/// Hashes a right password again at today's cost when its stored hash was made otherwise, so
/// an installation's older hashes (19 MiB each before 2026-12-05) move to the current cost as
/// their owners log in, with no reset. Best effort: the login has succeeded whatever happens
/// here, and a failure is logged without the password.
async fn rehash(db: &Database, user: &UserRow, password: String) {
    let made = argon2_in_turn(move || hash_password(&password)).await;
    let stored = match made {
        Ok(Ok(to)) => db
            .rehash_password(user.id, &user.password_hash, &to)
            .await
            .map_err(anyhow::Error::from),
        Ok(Err(e)) => Err(e),
        Err(e) => Err(anyhow::anyhow!("{e}")),
    };
    match stored {
        Ok(true) => tracing::info!(
            user = user.id,
            "password hash made again at the current cost"
        ),
        // The password was changed meanwhile: its new hash stands.
        Ok(false) => {}
        Err(e) => tracing::warn!(user = user.id, "password hash not made again: {e:#}"),
    }
}

/// Verifies the password and issues the token. Unknown logins cost the same argon2 work as
/// wrong passwords, so response times do not tell which logins exist.
async fn check_credentials(
    db: &Database,
    jwt: &JwtKeys,
    creds: LoginRequest,
) -> ServiceResult<LoginReply> {
    let user = db.user_by_login(&creds.login).await?;
    let hash = user
        .as_ref()
        .map_or_else(|| decoy_hash().to_owned(), |u| u.password_hash.clone());
    let password = creds.password;
    let (ok, password) =
        argon2_in_turn(move || (verify_password(&password, &hash), password)).await?;
    let (Some(user), true) = (user.filter(|u| u.active), ok) else {
        return Err(ServiceError::unauthenticated(
            "invalid_credentials",
            "wrong login or password",
        ));
    };
    if made_otherwise(&user.password_hash) {
        rehash(db, &user, password).await;
    }
    let (token, expires_at) = jwt.issue(&user)?;
    tracing::info!(user = user.id, "login");
    Ok(LoginReply {
        token,
        expires_at: expires_at.to_rfc3339_opts(SecondsFormat::Secs, true),
        role: user.role.as_str().to_owned(),
        scope: user.scope,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn no_more_argon2_computations_run_at_once_than_there_are_slots() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        use std::sync::Arc;

        // Arrange: three times as many as the slots, each holding its slot for a while.
        let slots = std::thread::available_parallelism().map_or(2, usize::from);
        let running = Arc::new(AtomicUsize::new(0));
        let most = Arc::new(AtomicUsize::new(0));
        let work = |running: Arc<AtomicUsize>, most: Arc<AtomicUsize>| {
            move || {
                let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                most.fetch_max(now, Ordering::SeqCst);
                std::thread::sleep(std::time::Duration::from_millis(20));
                running.fetch_sub(1, Ordering::SeqCst);
            }
        };

        // Act
        let all: Vec<_> = (0..3 * slots)
            .map(|_| tokio::spawn(argon2_in_turn(work(running.clone(), most.clone()))))
            .collect();
        for one in all {
            one.await.expect("joined").expect("done");
        }

        // Assert: other tests' hashes may hold slots too, so fewer is possible, never more.
        let most = most.load(Ordering::SeqCst);
        assert!((1..=slots).contains(&most), "{most} at once, {slots} slots");
    }

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
    fn new_hashes_and_the_decoy_cost_the_same_so_unknown_logins_take_as_long() {
        let cost = |hash: &str| {
            let parsed = PasswordHash::new(hash).unwrap();
            let params = Params::try_from(&parsed).unwrap();
            (
                parsed.algorithm.to_string(),
                params.m_cost(),
                params.t_cost(),
                params.p_cost(),
            )
        };
        let new = cost(&hash_password("correct horse").unwrap());
        assert_eq!(
            new,
            ("argon2id".to_owned(), HASH_MEMORY_KIB, HASH_PASSES, 1)
        );
        assert_eq!(cost(decoy_hash()), new);
    }

    #[test]
    fn only_hashes_made_otherwise_than_new_ones_are_made_again() {
        assert!(!made_otherwise(&hash_password("correct horse").unwrap()));
        assert!(!made_otherwise(decoy_hash()));
        for other in [
            FORMER_COST,
            // argon2i and argon2d at the current cost, version 0x10, two lanes, no PHC string.
            "$argon2i$v=19$m=7168,t=5,p=1$c29tZXNhbHRzb21lc2FsdA$D3N8dZegvnRXGsA/3ObnBc3JHRDK8cV5ZlZxPCF9sZU",
            "$argon2d$v=19$m=7168,t=5,p=1$c29tZXNhbHRzb21lc2FsdA$D3N8dZegvnRXGsA/3ObnBc3JHRDK8cV5ZlZxPCF9sZU",
            "$argon2id$v=16$m=7168,t=5,p=1$c29tZXNhbHRzb21lc2FsdA$D3N8dZegvnRXGsA/3ObnBc3JHRDK8cV5ZlZxPCF9sZU",
            "$argon2id$v=19$m=7168,t=5,p=2$c29tZXNhbHRzb21lc2FsdA$D3N8dZegvnRXGsA/3ObnBc3JHRDK8cV5ZlZxPCF9sZU",
            "not a hash",
        ] {
            assert!(made_otherwise(other), "{other}");
        }
    }

    #[test]
    fn a_hash_stored_at_the_former_cost_still_verifies() {
        assert!(verify_password("correct horse", FORMER_COST));
        assert!(!verify_password("wrong horse", FORMER_COST));
    }

    /// "correct horse" hashed with argon2id at 19 MiB, 2 passes: the crate's default, the
    /// server's cost before 2026-12-05.
    const FORMER_COST: &str = "$argon2id$v=19$m=19456,t=2,p=1$wgvrCMF7n7SwCKdEhmPccA$oRUR3eEeklqWhlF5txMSnLlRDOjNftHPe8sYJcoQVgs";

    #[test]
    fn a_token_round_trips_and_a_tampered_one_fails() {
        let keys = JwtKeys::new(b"secret", 5);
        let user = UserRow {
            id: 7,
            login: "ivanova".into(),
            password_hash: String::new(),
            role: Role::Official,
            scope: Some("reg".into()),
            scope_path: Some(OrgPath::parse("/1/").unwrap()),
            active: true,
            token_generation: 3,
        };
        let (token, exp) = keys.issue(&user).unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!(
            (
                claims.sub,
                claims.scope_path.as_ref().map(OrgPath::as_str),
                claims.exp
            ),
            (7, Some("/1/"), exp.timestamp())
        );
        assert_eq!(claims.generation, 3);
        let other = JwtKeys::new(b"other", 5);
        assert!(other.verify(&token).is_err());
    }

    #[test]
    fn an_expired_token_is_refused_as_expired() {
        let keys = JwtKeys::new(b"secret", 5);
        let claims = Claims {
            sub: 1,
            login: "a".into(),
            role: Role::Admin,
            scope: None,
            scope_path: None,
            generation: 0,
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
            Err(ServiceError::Unauthenticated { code, .. }) => assert_eq!(code, "token_expired"),
            other => panic!("expected token_expired, got {other:?}"),
        }
    }
}
