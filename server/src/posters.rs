//! QR codes and printable posters of survey points (`contract.md` §5 «QR codes and posters»).
//!
//! Every code encodes exactly `<public-url>/q/<code>` ([`point_url`]). The poster is a pure
//! [`layout`](layout::layout) of the institution's name, the fixed texts, the QR code and the URL,
//! drawn by [`render`](render::render) in the bundled PT Sans ([`fonts`]); [`archive`] streams
//! a whole subtree's posters as one ZIP. Rendering is CPU work of a few milliseconds per page
//! and runs on blocking threads, never on the async workers.
//!
//! # Who may print
//! The QR images are public, as the contract says: the code is on the wall anyway, and a kiosk
//! page or a partner's site may embed it. The posters (`poster.pdf`, `posters.zip`) need
//! [`Action::ManagePoints`] on the point's org — admins, and officials within their subtree
//! (`domain.md` §7: officials «manage points and posters»). Operators are deliberately not
//! given it: their role is kiosks and keyed-in paper, and printing for an institution is the
//! institution's official's call; an operator who needs a code on paper can still print the
//! public QR image. Observers manage nothing.

pub mod archive;
pub mod fonts;
pub mod layout;
pub mod qr;
pub mod render;

use otklik_shared::access::Action;
use otklik_shared::org::OrgPath;

use crate::auth::{Caller, Target};
use crate::db::points::PosterPointRow;
use crate::db::Database;
use crate::service_error::{ServiceError, ServiceResult};
use fonts::FONTS;
pub use layout::PosterFormat;
use layout::{PosterText, HEADLINE};
use qr::{QrMatrix, DEFAULT_PNG_SIZE, PNG_SIZES};

/// What a point's QR code encodes: the survey page of the point.
pub fn point_url(public_url: &str, code: &str) -> String {
    format!("{public_url}/q/{code}")
}

impl Target for PosterPointRow {
    fn org_path(&self) -> &OrgPath {
        &self.org_path
    }
    fn describe(&self) -> String {
        format!("point {}", self.code)
    }
}

/// The point with this code, or `unknown_point`.
async fn find_point(db: &Database, code: &str) -> ServiceResult<PosterPointRow> {
    db.poster_point(code)
        .await?
        .ok_or_else(|| ServiceError::not_found("unknown_point", format!("no point {code}")))
}

fn encode(url: &str) -> ServiceResult<QrMatrix> {
    QrMatrix::encode(url).map_err(|e| ServiceError::Internal(anyhow::anyhow!("QR of {url}: {e}")))
}

/// Runs CPU-bound rendering on a blocking thread.
async fn off_the_workers<T: Send + 'static>(
    work: impl FnOnce() -> ServiceResult<T> + Send + 'static,
) -> ServiceResult<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| ServiceError::Internal(anyhow::anyhow!("rendering stopped: {e}")))?
}

/// The point's QR code as SVG.
///
/// # Errors
/// `unknown_point`; internal on a database failure.
#[tracing::instrument(skip_all, fields(point = %code))]
pub async fn qr_svg(db: &Database, public_url: &str, code: &str) -> ServiceResult<String> {
    let point = find_point(db, code).await?;
    url_qr_svg(&point_url(public_url, &point.code))
}

/// Any URL of ours as an SVG QR code, drawn as the points' codes are (a kiosk's enrolment link
/// is scanned by the same cameras).
///
/// # Errors
/// Internal when the URL is too long for a QR code (ours are far below the limit).
pub fn url_qr_svg(url: &str) -> ServiceResult<String> {
    Ok(encode(url)?.to_svg())
}

/// The point's QR code as a PNG `size` pixels wide (default 512).
///
/// # Errors
/// `invalid_size` outside 64–4096 px, `unknown_point`; internal on a database failure.
#[tracing::instrument(skip_all, fields(point = %code, size))]
pub async fn qr_png(
    db: &Database,
    public_url: &str,
    code: &str,
    size: Option<u32>,
) -> ServiceResult<Vec<u8>> {
    let size = size.unwrap_or(DEFAULT_PNG_SIZE);
    if !PNG_SIZES.contains(&size) {
        return Err(ServiceError::invalid_field(
            "invalid_size",
            "size",
            format!(
                "size is the PNG's width in pixels, {}–{}; got {size}",
                PNG_SIZES.start(),
                PNG_SIZES.end()
            ),
        ));
    }
    let point = find_point(db, code).await?;
    let qr = encode(&point_url(public_url, &point.code))?;
    off_the_workers(move || {
        qr.to_png(size)
            .map_err(|e| ServiceError::Internal(anyhow::anyhow!("PNG encoding: {e}")))
    })
    .await
}

/// The point's poster as a PDF, for a caller who may manage the point.
///
/// # Errors
/// `unknown_point`; denied outside the caller's role or scope; internal on a database or
/// rendering failure.
#[tracing::instrument(skip_all, fields(point = %code, format = format.as_str()))]
pub async fn poster(
    db: &Database,
    public_url: &str,
    caller: &Caller,
    code: &str,
    format: PosterFormat,
) -> ServiceResult<Vec<u8>> {
    let point = find_point(db, code).await?;
    caller.require(Action::ManagePoints, &point)?;
    let public_url = public_url.to_owned();
    off_the_workers(move || Ok(render_poster(&point, &public_url, format)?)).await
}

/// One point's poster, rendered on the calling thread (milliseconds of CPU).
///
/// # Errors
/// The QR or the PDF could not be written: a bug, as every input is ours.
pub fn render_poster(
    point: &PosterPointRow,
    public_url: &str,
    format: PosterFormat,
) -> anyhow::Result<Vec<u8>> {
    let url = point_url(public_url, &point.code);
    let qr = QrMatrix::encode(&url).map_err(|e| anyhow::anyhow!("QR of {url}: {e}"))?;
    let text = PosterText {
        institution: &point.institution,
        department: point.department.as_deref(),
        url: &url,
    };
    let page = layout::layout(format, &text, &*FONTS);
    render::render(&page, &qr, &format!("{HEADLINE} — {}", point.institution))
}

/// A subtree's posters, ready to stream.
pub struct Archive {
    /// The subtree's root org code.
    pub org_code: String,
    /// Its name, for the download's file name.
    pub org_name: String,
    /// The ZIP's bytes, rendered as they are read.
    pub chunks: futures_util::stream::BoxStream<'static, std::io::Result<Vec<u8>>>,
}

/// Every point of the subtree at `org` as `<point>.pdf` (A4) in one ZIP, streamed.
///
/// # Errors
/// `unknown_org`; denied outside the caller's role or scope; internal on a database failure.
/// A failure while streaming ends the stream with an error instead.
#[tracing::instrument(skip_all, fields(org = %org))]
pub async fn subtree_archive(
    db: &Database,
    public_url: &str,
    caller: &Caller,
    org: &str,
) -> ServiceResult<Archive> {
    let root = db
        .org_by_code(org)
        .await?
        .ok_or_else(|| ServiceError::not_found("unknown_org", format!("no org {org}")))?;
    caller.require(Action::ManagePoints, &root)?;
    let points = db.points_for_posters(&root.path).await?;
    tracing::info!(points = points.len(), "posters archive");
    Ok(Archive {
        chunks: archive::stream_archive(points, public_url.to_owned()),
        org_code: root.code,
        org_name: root.name,
    })
}

#[cfg(test)]
mod tests;
