//! The exports of the current view (`contract.md` §5, «Exports»): `GET /export/stats.xlsx`
//! and `stats.csv` with the view's `/stats` parameters, saved as a file.
//!
//! The endpoints want the Bearer token, which a plain `<a href>` cannot send, so the file is
//! fetched here and handed to the browser's download through a temporary `<a download>` on an
//! object URL of the body.

use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use super::encode;
use crate::api::ApiError;
use crate::dashboard::period::Quarter;
use otklik_shared::api::{ErrorBody, API_BASE};

/// How long an export may take: the server computes a region's figures per institution.
const EXPORT_TIMEOUT_MS: u32 = 120_000;

/// The format of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A workbook: sheets «Итоги» and «Методика».
    Xlsx,
    /// Comma-separated values, with a decimal point.
    Csv,
    /// Semicolon-separated values, with a decimal comma (what a Russian Excel opens directly).
    CsvSemicolon,
}

impl Format {
    /// The file extension, which is also the endpoint's.
    fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Csv | Format::CsvSemicolon => "csv",
        }
    }
}

/// The request path of the export of `org`'s `/stats` for `questionnaire` over `quarter`.
pub fn stats_path(org: &str, questionnaire: &str, quarter: Quarter, format: Format) -> String {
    let (from, to) = quarter.days();
    let sep = match format {
        Format::CsvSemicolon => "&sep=semicolon",
        Format::Xlsx | Format::Csv => "",
    };
    format!(
        "/export/stats.{}?org={}&questionnaire={}&from={from}&to={to}{sep}",
        format.extension(),
        encode(org),
        encode(questionnaire)
    )
}

/// The name the file is saved under: `otklik-<org>-<quarter>.<ext>` (the questionnaire too
/// when it is not the default one, so two exports of one view never overwrite each other).
pub fn file_name(org: &str, questionnaire: &str, quarter: Quarter, format: Format) -> String {
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    let which = if questionnaire == "nsi-satisfaction" {
        String::new()
    } else {
        format!("-{}", safe(questionnaire))
    };
    format!(
        "otklik-{}{which}-{quarter}.{}",
        safe(org),
        format.extension()
    )
}

/// Fetches `path` (under the API base) with `token` and saves the body as `name`.
///
/// # Errors
/// [`ApiError::Http`] for an error status (with its envelope), [`ApiError::Network`] when no
/// answer came or the browser refused the download.
pub async fn save(path: &str, token: &str, name: &str) -> Result<(), ApiError> {
    let network = |e: JsValue| ApiError::Network(format!("{e:?}"));
    let window = web_sys::window().ok_or_else(|| ApiError::Network("no window".into()))?;
    let headers = web_sys::Headers::new().map_err(network)?;
    headers
        .set("Authorization", &format!("Bearer {token}"))
        .map_err(network)?;
    let init = web_sys::RequestInit::new();
    init.set_headers(&headers);
    let controller = web_sys::AbortController::new().map_err(network)?;
    init.set_signal(Some(&controller.signal()));
    let timer = crate::browser::set_timeout(EXPORT_TIMEOUT_MS, move || controller.abort());
    let result = async {
        let response: web_sys::Response =
            JsFuture::from(window.fetch_with_str_and_init(&format!("{API_BASE}{path}"), &init))
                .await
                .map_err(network)?
                .dyn_into()
                .map_err(network)?;
        if !response.ok() {
            let text = JsFuture::from(response.text().map_err(network)?)
                .await
                .ok()
                .and_then(|t| t.as_string());
            return Err(ApiError::Http {
                status: response.status(),
                body: text.and_then(|t| serde_json::from_str::<ErrorBody>(&t).ok()),
            });
        }
        let blob: web_sys::Blob = JsFuture::from(response.blob().map_err(network)?)
            .await
            .map_err(network)?
            .dyn_into()
            .map_err(network)?;
        crate::browser::save_blob(&blob, name).map_err(network)
    }
    .await;
    if let Some(timer) = timer {
        crate::browser::clear_timeout(timer);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q1() -> Quarter {
        Quarter::new(2026, 1).unwrap()
    }

    #[test]
    fn names_say_which_org_and_quarter() {
        assert_eq!(
            file_name("demo", "nsi-satisfaction", q1(), Format::Xlsx),
            "otklik-demo-2026Q1.xlsx"
        );
        assert_eq!(
            file_name("demo/1 2", "nok-social", q1(), Format::CsvSemicolon),
            "otklik-demo_1_2-nok-social-2026Q1.csv"
        );
    }
}
