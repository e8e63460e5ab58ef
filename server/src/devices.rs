//! Kiosk enrolment and device tokens (`contract.md` §6).
//!
//! An official or operator mints a one-time code (with the operator PIN the kiosk will ask
//! for); the tablet trades it once for a device id and a bearer token. Only the token's SHA-256
//! is stored. The kiosk checks the PIN offline against `pin_hash` = sha256(device ':' PIN).

use actix_web::HttpRequest;
use chrono::{DateTime, Duration, Utc};
use otklik_shared::api::EnrolReply;
use otklik_shared::org::{OrgKind, Role};
use rand::distributions::{Alphanumeric, DistString};
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::auth::Caller;
use crate::db::devices::DeviceRow;
use crate::error::{ApiError, ApiResult};
use crate::startup::AppState;

/// Prefix that tells device tokens from login tokens.
pub const TOKEN_PREFIX: &str = "dev_";
/// Code alphabet without look-alikes (no 0/O, 1/I/L), easy to type on a tablet.
const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

/// A request for an enrolment code.
#[derive(Debug, Clone, Deserialize)]
pub struct NewCode {
    /// Org code the device will belong to.
    pub org: String,
    /// Point the kiosk will run (else the operator picks one of the org's points).
    pub point: Option<String>,
    /// Operator PIN, 4–8 digits (random when absent).
    pub pin: Option<String>,
    /// Lifetime of the code in minutes (default 60).
    pub ttl_minutes: Option<i64>,
}

/// A minted code.
#[derive(Debug, Clone, Serialize)]
pub struct MintedCode {
    /// The code to type on the tablet.
    pub code: String,
    /// When it stops working.
    pub expires_at: DateTime<Utc>,
    /// The operator PIN.
    pub pin: String,
}

/// sha256 of `s`, hex.
fn sha256_hex(s: &str) -> String {
    hex::encode(Sha256::digest(s.as_bytes()))
}

/// The SHA-256 under which a device token is stored.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// Mints a code. `caller` is `None` for the CLI (run by the server's administrator).
///
/// # Errors
/// 403 when the caller may not enrol devices for the org, 422 for a bad PIN or point.
pub async fn mint_code(
    state: &AppState,
    caller: Option<&Caller>,
    req: &NewCode,
) -> ApiResult<MintedCode> {
    let org = state
        .db
        .org_by_code(&req.org)
        .await?
        .ok_or_else(|| ApiError::unprocessable("unknown_org", format!("no org {}", req.org)))?;
    if let Some(caller) = caller {
        if !matches!(caller.role, Role::Admin | Role::Official | Role::Operator) {
            return Err(ApiError::forbidden("observers do not enrol devices"));
        }
        if !caller.covers(org.path.as_str()) {
            return Err(ApiError::out_of_scope(&format!("org {}", org.code)));
        }
    }
    if !matches!(org.kind, OrgKind::Institution | OrgKind::Department) {
        return Err(ApiError::unprocessable(
            "invalid_org",
            "kiosks belong to an institution or a department",
        ));
    }
    let point_id = match &req.point {
        None => None,
        Some(code) => {
            let point = state.db.point_by_code(code).await?.ok_or_else(|| {
                ApiError::unprocessable("unknown_point", format!("no point {code}"))
            })?;
            if !org.path.covers(&point.org_path) {
                return Err(ApiError::unprocessable(
                    "invalid_point",
                    format!("point {code} is not in org {}", org.code),
                ));
            }
            Some(point.id)
        }
    };
    let pin = match &req.pin {
        Some(pin) if (4..=8).contains(&pin.len()) && pin.chars().all(|c| c.is_ascii_digit()) => {
            pin.clone()
        }
        Some(_) => {
            return Err(ApiError::unprocessable(
                "invalid_pin",
                "the PIN is 4 to 8 digits",
            ))
        }
        None => format!("{:06}", rand::thread_rng().gen_range(0..1_000_000)),
    };
    let ttl = req.ttl_minutes.unwrap_or(60);
    if !(1..=7 * 24 * 60).contains(&ttl) {
        return Err(ApiError::unprocessable(
            "invalid_ttl",
            "the code lives 1 minute to 7 days",
        ));
    }
    let mut rng = rand::rngs::OsRng;
    let code: String = (0..8)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect();
    let expires_at = Utc::now() + Duration::minutes(ttl);
    state
        .db
        .insert_enrolment_code(&code, org.id, point_id, &pin, expires_at)
        .await?;
    tracing::info!(org = %org.code, "enrolment code minted");
    Ok(MintedCode {
        code,
        expires_at,
        pin,
    })
}

/// Trades a code for a device id and token.
///
/// # Errors
/// 404 `code_unknown`, 410 `code_used` / `code_expired`, 422 for a bad name.
pub async fn enrol(state: &AppState, code: &str, name: &str) -> ApiResult<EnrolReply> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ApiError::unprocessable(
            "invalid_name",
            "the device name is 1–100 characters, without control characters",
        ));
    }
    let code = code.trim().to_ascii_uppercase();
    let row = state
        .db
        .enrolment_code(&code)
        .await?
        .ok_or_else(|| ApiError::not_found("code_unknown", "no such enrolment code"))?;
    let now = Utc::now();
    let gone = |code, message: &str| ApiError::Gone {
        code,
        message: message.to_owned(),
    };
    if row.used_at.is_some() {
        return Err(gone("code_used", "this enrolment code was already used"));
    }
    if row.expires_at < now {
        return Err(gone(
            "code_expired",
            "this enrolment code has expired; ask for a new one",
        ));
    }
    let device = uuid::Uuid::now_v7().to_string();
    let token = format!(
        "{TOKEN_PREFIX}{}",
        Alphanumeric.sample_string(&mut rand::rngs::OsRng, 43)
    );
    if !state
        .db
        .enrol_device(&code, &device, name, &token_hash(&token), &row, now)
        .await?
    {
        return Err(gone("code_used", "this enrolment code was already used"));
    }
    let stored =
        state.db.device_by_id(&device).await?.ok_or_else(|| {
            ApiError::Internal(anyhow::anyhow!("device vanished after enrolment"))
        })?;
    tracing::info!(device = %device, org = %stored.org, "device enrolled");
    Ok(EnrolReply {
        pin_hash: sha256_hex(&format!("{device}:{}", row.pin)),
        device,
        token,
        org: stored.org,
        point: stored.point,
    })
}

/// The device whose token the request carries, if it carries one.
///
/// # Errors
/// 401 `device_revoked` for a revoked device's token; an unknown device token is `Ok(None)`
/// (its items are then rejected one by one as `unauthorized`).
pub async fn device_of(state: &AppState, req: &HttpRequest) -> ApiResult<Option<DeviceRow>> {
    let token = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| t.starts_with(TOKEN_PREFIX));
    let Some(token) = token else { return Ok(None) };
    match state.db.device_by_token_hash(&token_hash(token)).await? {
        Some(d) if d.revoked_at.is_some() => Err(ApiError::unauthorized(
            "device_revoked",
            "this device was revoked; enrol it again",
        )),
        found => Ok(found),
    }
}

/// Inclusive ranges of sequence numbers below the highest one that never arrived.
pub fn missing_ranges(seqs: &[i64]) -> Vec<[i64; 2]> {
    let mut out = Vec::new();
    let mut expected = 1;
    for &s in seqs {
        if s > expected {
            out.push([expected, s - 1]);
        }
        expected = expected.max(s + 1);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::missing_ranges;

    #[test]
    fn gaps_below_the_last_seq_are_listed_as_inclusive_ranges() {
        assert_eq!(missing_ranges(&[]), Vec::<[i64; 2]>::new());
        assert_eq!(missing_ranges(&[1, 2, 3]), Vec::<[i64; 2]>::new());
        assert_eq!(missing_ranges(&[2, 3, 7, 9]), vec![[1, 1], [4, 6], [8, 8]]);
        assert_eq!(missing_ranges(&[1, 412]), vec![[2, 411]]);
    }
}
