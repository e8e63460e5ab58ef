//! Kiosk enrolment and device tokens (`contract.md` §6).
//!
//! An official or operator mints a one-time code (with the operator PIN the kiosk will ask
//! for); the tablet trades it once for a device id and a bearer token. Only the token's SHA-256
//! is stored. The kiosk checks the PIN offline against `pin_hash` = sha256(device ':' PIN).

use chrono::{DateTime, Duration, Utc};
use otklik_shared::access::Action;
use otklik_shared::api::EnrolReply;
use otklik_shared::org::OrgKind;
use rand::distributions::{Alphanumeric, DistString};
use rand::Rng;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::auth::Caller;
use crate::db::devices::DeviceRow;
use crate::db::Database;
use crate::service_error::{ServiceError, ServiceResult};

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

/// A minted code as the dashboard shows it to whoever sets up the tablet: the code and PIN,
/// and the kiosk's address with the code in it, as text and as a QR code the tablet's camera
/// opens (the kiosk then has the code filled in).
#[derive(Debug, Clone, Serialize)]
pub struct EnrolmentInvite {
    /// The code, its expiry and the PIN.
    #[serde(flatten)]
    pub minted: MintedCode,
    /// `<public-url>/kiosk?code=<code>`.
    pub kiosk_url: String,
    /// `kiosk_url` as an SVG QR code.
    pub qr_svg: String,
}

/// Where a tablet enrols with `code`: the kiosk page with the code filled in. Codes are drawn
/// from [`CODE_ALPHABET`], so the query needs no escaping.
pub fn kiosk_url(public_url: &str, code: &str) -> String {
    format!("{public_url}/kiosk?code={code}")
}

/// Mints a code for `caller` (as [`mint_code`]) with its kiosk address and that address's QR.
///
/// # Errors
/// As [`mint_code`].
pub async fn invite(
    db: &Database,
    public_url: &str,
    caller: &Caller,
    req: &NewCode,
) -> ServiceResult<EnrolmentInvite> {
    let minted = mint_code(db, Some(caller), req).await?;
    let kiosk_url = kiosk_url(public_url, &minted.code);
    let qr_svg = crate::posters::url_qr_svg(&kiosk_url)?;
    Ok(EnrolmentInvite {
        minted,
        kiosk_url,
        qr_svg,
    })
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
/// Denied when the caller may not enrol devices for the org, invalid for a bad PIN or point.
#[tracing::instrument(skip_all, fields(org = %req.org))]
pub async fn mint_code(
    db: &Database,
    caller: Option<&Caller>,
    req: &NewCode,
) -> ServiceResult<MintedCode> {
    let org = db.org_by_code(&req.org).await?.ok_or_else(|| {
        ServiceError::invalid_field("unknown_org", "org", format!("no org {}", req.org))
    })?;
    if let Some(caller) = caller {
        caller.require(Action::EnrolDevices, &org)?;
    }
    if !matches!(org.kind, OrgKind::Institution | OrgKind::Department) {
        return Err(ServiceError::invalid_field(
            "invalid_org",
            "org",
            "kiosks belong to an institution or a department",
        ));
    }
    let point_id = match &req.point {
        None => None,
        Some(code) => {
            let point = db.point_by_code(code).await?.ok_or_else(|| {
                ServiceError::invalid_field("unknown_point", "point", format!("no point {code}"))
            })?;
            if !org.path.covers(&point.org_path) {
                return Err(ServiceError::invalid_field(
                    "invalid_point",
                    "point",
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
            return Err(ServiceError::invalid_field(
                "invalid_pin",
                "pin",
                "the PIN is 4 to 8 digits",
            ))
        }
        None => format!("{:06}", rand::thread_rng().gen_range(0..1_000_000)),
    };
    let ttl = req.ttl_minutes.unwrap_or(60);
    if !(1..=7 * 24 * 60).contains(&ttl) {
        return Err(ServiceError::invalid_field(
            "invalid_ttl",
            "ttl_minutes",
            "the code lives 1 minute to 7 days",
        ));
    }
    let mut rng = rand::rngs::OsRng;
    let code: String = (0..8)
        .map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char)
        .collect();
    let expires_at = Utc::now() + Duration::minutes(ttl);
    db.insert_enrolment_code(&code, org.id, point_id, &pin, expires_at)
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
/// `code_unknown`, gone `code_used` / `code_expired`, invalid for a bad name.
#[tracing::instrument(skip_all)]
pub async fn enrol(db: &Database, code: &str, name: &str) -> ServiceResult<EnrolReply> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 || name.chars().any(char::is_control) {
        return Err(ServiceError::invalid_field(
            "invalid_name",
            "name",
            "the device name is 1–100 characters, without control characters",
        ));
    }
    let code = code.trim().to_ascii_uppercase();
    let row = db
        .enrolment_code(&code)
        .await?
        .ok_or_else(|| ServiceError::not_found("code_unknown", "no such enrolment code"))?;
    let now = Utc::now();
    let gone = |code, message: &str| ServiceError::Gone {
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
    if !db
        .enrol_device(&code, &device, name, &token_hash(&token), &row, now)
        .await?
    {
        return Err(gone("code_used", "this enrolment code was already used"));
    }
    let stored = db.device_by_id(&device).await?.ok_or_else(|| {
        ServiceError::Internal(anyhow::anyhow!("device vanished after enrolment"))
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

/// The enrolled device a bearer token names, if it is a device token (`dev_…`); login tokens
/// and no token are `Ok(None)`.
///
/// # Errors
/// `device_revoked` for a revoked device's token; an unknown device token is `Ok(None)`
/// (its items are then rejected one by one as `unauthorized`).
pub async fn device_of(db: &Database, bearer: Option<&str>) -> ServiceResult<Option<DeviceRow>> {
    let Some(token) = bearer.filter(|t| t.starts_with(TOKEN_PREFIX)) else {
        return Ok(None);
    };
    match db.device_by_token_hash(&token_hash(token)).await? {
        Some(d) if d.revoked_at.is_some() => Err(ServiceError::unauthenticated(
            "device_revoked",
            "this device was revoked; enrol it again",
        )),
        found => Ok(found),
    }
}

/// One kiosk of the fleet list, with what arrived of its sequence.
#[derive(Debug, Clone, Serialize)]
pub struct FleetDevice {
    /// Device id.
    pub device: String,
    /// Name given at enrolment.
    pub name: String,
    /// Org code.
    pub org: String,
    /// Point it runs, if fixed.
    pub point: Option<String>,
    /// When it enrolled.
    pub enrolled_at: DateTime<Utc>,
    /// When it last uploaded.
    pub last_seen: Option<DateTime<Utc>>,
    /// Highest sequence number received.
    pub last_seq: Option<i64>,
    /// How many sequence numbers arrived.
    pub received: usize,
    /// Inclusive ranges below `last_seq` that never arrived.
    pub missing: Vec<[i64; 2]>,
    /// Whether its token was revoked.
    pub revoked: bool,
}

/// The kiosks of an org's subtree with their sequence gaps.
///
/// # Errors
/// `unknown_org`; denied for a role that does not manage devices or an org out of scope.
#[tracing::instrument(skip_all, fields(org = %org_code))]
pub async fn list_fleet(
    db: &Database,
    caller: &Caller,
    org_code: &str,
) -> ServiceResult<Vec<FleetDevice>> {
    let org = db
        .org_by_code(org_code)
        .await?
        .ok_or_else(|| ServiceError::not_found("unknown_org", format!("no org {org_code}")))?;
    caller.require(Action::ListDevices, &org)?;
    let mut fleet = Vec::new();
    for d in db.list_devices(&org.path).await? {
        let seqs = db.device_seqs(&d.id).await?;
        fleet.push(FleetDevice {
            last_seq: seqs.last().copied(),
            received: seqs.len(),
            missing: missing_ranges(&seqs),
            revoked: d.revoked_at.is_some(),
            device: d.id,
            name: d.name,
            org: d.org,
            point: d.point,
            enrolled_at: d.enrolled_at,
            last_seen: d.last_seen,
        });
    }
    Ok(fleet)
}

/// Revokes a kiosk's token: its next upload gets 401 `device_revoked`. Returns the device id.
///
/// # Errors
/// `unknown_device`; denied for a role that does not revoke or a device out of scope.
#[tracing::instrument(skip_all, fields(device = %device))]
pub async fn revoke(db: &Database, caller: &Caller, device: &str) -> ServiceResult<String> {
    let d = db
        .device_by_id(device)
        .await?
        .ok_or_else(|| ServiceError::not_found("unknown_device", format!("no device {device}")))?;
    caller.require(Action::RevokeDevices, &d)?;
    db.revoke_device(&d.id, Utc::now()).await?;
    tracing::info!(device = %d.id, "device revoked");
    Ok(d.id)
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
