//! What an upload's reply means for each item, and when to try again. Pure, so the rules that
//! decide whether an answer is kept or dropped are unit-tested on the host.
//!
//! The rules (`contract.md` §3): only a `created`/`duplicate` result whose `id` echoes the item
//! is a receipt. A bare 200, an HTML page (captive portal), a result for another id: not sent.
//! `conflict` and `rejected` are final and go to the dead-letter store, except `rejected` with
//! `rate_limited`, which is retried. 413 halves the batch; 429, 5xx and network errors retry.

use otklik_shared::api::{BatchReply, ErrorBody, ErrorDetail, ItemStatus};
use uuid::Uuid;

use crate::api::{ApiError, RawReply};

/// The one rejection a client retries (`contract.md` §3).
const RATE_LIMITED: &str = "rate_limited";
/// First retry after about this long (halved or kept by the jitter).
const FIRST_DELAY_MS: u32 = 5_000;
/// Retries back off to at most this interval.
const MAX_DELAY_MS: u32 = 5 * 60_000;
/// A `Retry-After` is honoured up to this long; beyond it the server is likely misconfigured.
const MAX_RETRY_AFTER_MS: u32 = 60 * 60_000;

/// What happens to one uploaded item.
#[derive(Debug, Clone, PartialEq)]
pub enum Fate {
    /// Receipted: remove it from the outbox.
    Delivered,
    /// Refused for good: move it to the dead-letter store with the server's reason.
    Refused {
        /// `conflict` or `rejected`.
        status: ItemStatus,
        /// The server's reason.
        error: Option<ErrorDetail>,
    },
    /// Not receipted: keep it and try again later.
    Retry,
}

/// What to do after one upload attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// The server answered per item; `fates` is aligned with the items sent.
    Items {
        /// One fate per item sent, in the order sent.
        fates: Vec<Fate>,
        /// The server's `Retry-After`, if any.
        retry_after: Option<u32>,
    },
    /// The body was too large: send the batch in halves, now.
    Split,
    /// Nothing was receipted: keep every item and try again later.
    RetryAll {
        /// The server's `Retry-After`, if any.
        retry_after: Option<u32>,
    },
}

/// Judges the reply to uploading the items `sent` (their ids, in request order).
pub fn judge(sent: &[Uuid], reply: Result<&RawReply, &ApiError>) -> Verdict {
    let Ok(reply) = reply else {
        return Verdict::RetryAll { retry_after: None };
    };
    let retry_after = reply.retry_after;
    let json = reply.json.as_deref();
    match reply.status {
        200 => {}
        413 => return Verdict::Split,
        422 if is_batch_size(json) => return Verdict::Split,
        _ => return Verdict::RetryAll { retry_after },
    }
    let Some(body) = json.and_then(|j| serde_json::from_str::<BatchReply>(j).ok()) else {
        return Verdict::RetryAll { retry_after };
    };
    let fates = sent
        .iter()
        .map(|id| {
            let echoed = body
                .results
                .iter()
                .find(|r| r.id.as_str().and_then(|s| Uuid::parse_str(s).ok()) == Some(*id));
            match echoed {
                None => Fate::Retry,
                Some(r) if r.status.is_receipt() => Fate::Delivered,
                Some(r) if r.error.as_ref().is_some_and(|e| e.code == RATE_LIMITED) => Fate::Retry,
                Some(r) => Fate::Refused {
                    status: r.status,
                    error: r.error.clone(),
                },
            }
        })
        .collect();
    Verdict::Items { fates, retry_after }
}

/// The item rejection that blames the token rather than the response: a keyed-in item's staff
/// token was not accepted (it expired or was revoked while the item waited offline).
pub const TOKEN_REFUSED: &str = "unauthorized";

/// Turns the `unauthorized` refusals of keyed-in items (`keyed[i]`: item `i` is a paper, phone,
/// interview or observation response) into retries, and returns whether there were any.
///
/// The server reads a token it cannot accept as no token, and rejects each item that needs one
/// as `unauthorized`; for such an item that says nothing about the questionnaire, only that the
/// operator must sign in again, so it stays queued for the next token instead of going to the
/// dead-letter store. A kiosk item refused so is left refused: its device token is the kiosk's
/// own and will not get better by waiting.
pub fn keep_refused_by_token(fates: &mut [Fate], keyed: &[bool]) -> bool {
    let mut any = false;
    for (fate, &keyed) in fates.iter_mut().zip(keyed) {
        let refused_token = matches!(
            fate,
            Fate::Refused { status: ItemStatus::Rejected, error: Some(e) } if e.code == TOKEN_REFUSED
        );
        if keyed && refused_token {
            *fate = Fate::Retry;
            any = true;
        }
    }
    any
}

/// 422 `batch_size`: the server takes fewer items per request than we sent.
fn is_batch_size(json: Option<&str>) -> bool {
    json.and_then(|j| serde_json::from_str::<ErrorBody>(j).ok())
        .is_some_and(|body| body.error.code == "batch_size")
}

/// How long to wait before the next attempt after `failures` failed ones in a row (0 = the
/// first failure): exponential from 5 s, capped at 5 min, with "equal jitter" (half fixed, half
/// random, `jitter` in `[0, 1)`) so that many phones coming back online do not retry in step,
/// and never sooner than the server's `Retry-After`.
pub fn retry_delay_ms(failures: u32, retry_after_s: Option<u32>, jitter: f64) -> u32 {
    let ceiling = FIRST_DELAY_MS
        .saturating_mul(1u32 << failures.min(16))
        .min(MAX_DELAY_MS);
    let half = ceiling / 2;
    let delay = half + (f64::from(half) * jitter.clamp(0.0, 1.0)) as u32;
    let floor = retry_after_s
        .unwrap_or(0)
        .saturating_mul(1000)
        .min(MAX_RETRY_AFTER_MS);
    delay.max(floor)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u8) -> Uuid {
        Uuid::from_bytes([n; 16])
    }

    fn reply(status: u16, json: Option<&str>) -> RawReply {
        RawReply {
            status,
            retry_after: None,
            json: json.map(str::to_owned),
        }
    }

    #[test]
    fn receipts_must_echo_the_id() {
        let body = format!(
            r#"{{"results": [{{"id": "{}", "status": "created"}}, {{"id": "{}", "status": "duplicate"}}]}}"#,
            id(1),
            id(9)
        );
        let verdict = judge(&[id(1), id(2)], Ok(&reply(200, Some(&body))));
        assert_eq!(
            verdict,
            Verdict::Items {
                fates: vec![Fate::Delivered, Fate::Retry],
                retry_after: None
            }
        );
    }

    #[test]
    fn a_bare_200_or_html_is_not_a_receipt() {
        for json in [None, Some("{}"), Some("[]"), Some("<html>")] {
            let verdict = judge(&[id(1)], Ok(&reply(200, json)));
            assert_eq!(verdict, Verdict::RetryAll { retry_after: None });
        }
    }

    #[test]
    fn conflict_and_rejected_are_final_but_rate_limited_is_retried() {
        let body = format!(
            r#"{{"results": [
                {{"id": "{}", "status": "conflict", "error": {{"code": "id_reused", "message": "m"}}}},
                {{"id": "{}", "status": "rejected", "error": {{"code": "invalid_answer", "message": "m"}}}},
                {{"id": "{}", "status": "rejected", "error": {{"code": "rate_limited", "message": "m"}}}}]}}"#,
            id(1),
            id(2),
            id(3)
        );
        let mut raw = reply(200, Some(&body));
        raw.retry_after = Some(30);
        let Verdict::Items { fates, retry_after } = judge(&[id(1), id(2), id(3)], Ok(&raw)) else {
            panic!("expected per-item fates");
        };
        assert!(matches!(
            fates[0],
            Fate::Refused {
                status: ItemStatus::Conflict,
                ..
            }
        ));
        assert!(matches!(
            fates[1],
            Fate::Refused {
                status: ItemStatus::Rejected,
                ..
            }
        ));
        assert_eq!(fates[2], Fate::Retry);
        assert_eq!(retry_after, Some(30));
    }

    #[test]
    fn a_keyed_in_item_refused_for_its_token_waits_for_the_next_one() {
        let refused = |code: &str| Fate::Refused {
            status: ItemStatus::Rejected,
            error: Some(ErrorDetail {
                code: code.into(),
                message: "m".into(),
                details: None,
            }),
        };
        let mut fates = vec![
            refused(TOKEN_REFUSED),
            refused(TOKEN_REFUSED),
            refused("invalid_answer"),
            Fate::Delivered,
        ];
        assert!(keep_refused_by_token(
            &mut fates,
            &[true, false, true, true]
        ));
        assert_eq!(
            fates,
            [
                Fate::Retry,
                refused(TOKEN_REFUSED),
                refused("invalid_answer"),
                Fate::Delivered
            ]
        );
        let mut kiosk_only = vec![refused(TOKEN_REFUSED)];
        assert!(!keep_refused_by_token(&mut kiosk_only, &[false]));
        assert_eq!(kiosk_only, [refused(TOKEN_REFUSED)]);
    }

    #[test]
    fn transport_and_server_errors_keep_everything() {
        let network = ApiError::Network("offline".into());
        assert_eq!(
            judge(&[id(1)], Err(&network)),
            Verdict::RetryAll { retry_after: None }
        );
        for status in [429, 500, 502, 503, 401, 404, 204, 302] {
            let mut raw = reply(status, Some(r#"{"error": {"code": "x", "message": "m"}}"#));
            raw.retry_after = Some(7);
            assert_eq!(
                judge(&[id(1)], Ok(&raw)),
                Verdict::RetryAll {
                    retry_after: Some(7)
                }
            );
        }
    }

    #[test]
    fn too_large_splits() {
        assert_eq!(judge(&[id(1)], Ok(&reply(413, None))), Verdict::Split);
        let batch_size = r#"{"error": {"code": "batch_size", "message": "m"}}"#;
        assert_eq!(
            judge(&[id(1)], Ok(&reply(422, Some(batch_size)))),
            Verdict::Split
        );
    }

    #[test]
    fn backoff_grows_is_capped_and_honours_retry_after() {
        assert!((2_500..=5_000).contains(&retry_delay_ms(0, None, 0.3)));
        assert!((5_000..=10_000).contains(&retry_delay_ms(1, None, 0.99)));
        assert_eq!(retry_delay_ms(40, None, 1.0), MAX_DELAY_MS);
        assert_eq!(retry_delay_ms(40, None, 0.0), MAX_DELAY_MS / 2);
        assert_eq!(retry_delay_ms(0, Some(120), 0.0), 120_000);
        assert_eq!(retry_delay_ms(0, Some(u32::MAX), 0.0), MAX_RETRY_AFTER_MS);
    }
}
