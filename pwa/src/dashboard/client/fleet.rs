//! The endpoints of the «Точки опроса» and «Планшеты» sections (`contract.md` §5, §6): points
//! and adding one, posters as files, the kiosk fleet, revoking a tablet and minting an
//! enrolment code.

use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use super::encode;
use crate::api::{self, ApiError, Body};

/// The body of `POST /points`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NewPoint {
    /// The point's code.
    pub code: String,
    /// The institution or department it belongs to.
    pub org: String,
    /// Questionnaire id.
    pub questionnaire: String,
    /// Life situation code, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub life_situation: Option<String>,
    /// Stage code within it, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
}

/// A kiosk as `GET /devices` lists it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Device {
    /// Device id.
    pub device: String,
    /// The name given at enrolment.
    pub name: String,
    /// Its org's code.
    pub org: String,
    /// When it enrolled (RFC 3339).
    pub enrolled_at: String,
    /// When it last uploaded (RFC 3339), if ever.
    pub last_seen: Option<String>,
    /// How many distinct `seq` arrived.
    pub received: u64,
    /// Inclusive `seq` ranges below the last one that never arrived.
    pub missing: Vec<[i64; 2]>,
    /// Whether its token is revoked.
    pub revoked: bool,
}

#[derive(Deserialize)]
struct DevicesReply {
    devices: Vec<Device>,
}

/// A minted enrolment code with what the tablet needs to use it.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct Invite {
    /// The one-time code.
    pub code: String,
    /// When it stops working (RFC 3339).
    pub expires_at: String,
    /// The operator PIN the kiosk will ask for.
    pub pin: String,
    /// The kiosk's address with the code in it.
    pub kiosk_url: String,
    /// That address as an SVG QR code.
    pub qr_svg: String,
}

/// `POST /points`.
///
/// # Errors
/// 422 `invalid_point` naming the field, 409 `already_exists`; else as
/// [`api::send_with_token`].
pub async fn add_point(token: &str, point: &NewPoint) -> Result<(), ApiError> {
    let body = serde_json::to_string(point).map_err(|e| ApiError::Decode(e.to_string()))?;
    let _: IgnoredAny =
        api::send_with_token("POST", "/points", Some(Body::Json(body)), token).await?;
    Ok(())
}

/// A file of the points section, fetched with the token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum File {
    /// `GET /points/{code}/poster.pdf?format=` of a point, `a4` or `a6`.
    Poster(String, &'static str),
    /// `GET /posters.zip?org=`: every A4 poster of the org's subtree.
    Zip(String),
}

impl File {
    /// The file's bytes.
    ///
    /// # Errors
    /// As [`api::file_with_token`].
    pub async fn fetch(&self, token: &str) -> Result<web_sys::Blob, ApiError> {
        let path = match self {
            File::Poster(code, format) => {
                format!("/points/{}/poster.pdf?format={format}", encode(code))
            }
            File::Zip(org) => format!("/posters.zip?org={}", encode(org)),
        };
        api::file_with_token(&path, token).await
    }
}

/// `GET /devices?org=`: the kiosks of `org`'s subtree.
///
/// # Errors
/// As [`api::get_with_token`].
pub async fn devices(token: &str, org: &str) -> Result<Vec<Device>, ApiError> {
    let reply: DevicesReply =
        api::get_with_token(&format!("/devices?org={}", encode(org)), token).await?;
    Ok(reply.devices)
}

/// `DELETE /devices/{device}`: revokes the tablet's token.
///
/// # Errors
/// As [`api::send_with_token`].
pub async fn revoke(token: &str, device: &str) -> Result<(), ApiError> {
    let path = format!("/devices/{}", encode(device));
    let _: IgnoredAny = api::send_with_token("DELETE", &path, None, token).await?;
    Ok(())
}

/// `POST /devices/enrolment-codes` for `org` (a random PIN).
///
/// # Errors
/// As [`api::send_with_token`].
pub async fn invite(token: &str, org: &str) -> Result<Invite, ApiError> {
    #[derive(Serialize)]
    struct NewCode<'a> {
        org: &'a str,
    }
    let body =
        serde_json::to_string(&NewCode { org }).map_err(|e| ApiError::Decode(e.to_string()))?;
    api::send_with_token(
        "POST",
        "/devices/enrolment-codes",
        Some(Body::Json(body)),
        token,
    )
    .await
}
