//! Kiosk mode's rules, kept pure so they are unit-tested on the host: the operator PIN check,
//! the repeated-tap filter, the idle timeout, and the exported queue's file format.
//!
//! The screens that apply them are the other `kiosk` modules; the enrolment and the per-device
//! sequence numbers are in `storage::device`; which credential uploads which response in
//! `sync::credentials` (every bundle's uploader needs that).

mod sha256;

use serde::{Deserialize, Serialize};

use crate::storage::outbox::Queued;

/// Idle time after which a half-answered questionnaire is dropped (`?idle=SECONDS` overrides).
pub const DEFAULT_IDLE_SECS: u32 = 60;
/// Shortest and longest idle timeout the address may ask for: shorter would reset people who
/// are reading, longer would leave someone's half-answered questionnaire for the next person.
const IDLE_RANGE_SECS: (u32, u32) = (5, 3_600);
/// How long a new questionnaire cannot be started after an answer was saved: one person
/// tapping again and again counts once (the HappyOrNot «repeated press» filter).
pub const REPEAT_GUARD_MS: f64 = 5_000.0;
/// How long the thanks screen stays before the attract screen returns.
pub const THANKS_MS: u32 = 4_000;

/// Whether `pin` is the operator PIN whose hash the server sent at enrolment
/// (`hex(sha256(device ":" PIN))`), so the check works offline and the PIN is never stored.
pub fn pin_matches(device: &str, pin: &str, pin_hash: &str) -> bool {
    let digest = sha256::digest(format!("{device}:{}", pin.trim()).as_bytes());
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    hex.eq_ignore_ascii_case(pin_hash.trim())
}

/// The idle timeout in milliseconds from the `idle` query value (seconds), clamped to a sane
/// range; anything missing or unreadable gives [`DEFAULT_IDLE_SECS`].
pub fn idle_timeout_ms(query: Option<&str>) -> u32 {
    let secs = query
        .and_then(|s| s.trim().parse::<u32>().ok())
        .map_or(DEFAULT_IDLE_SECS, |s| {
            s.clamp(IDLE_RANGE_SECS.0, IDLE_RANGE_SECS.1)
        });
    secs * 1_000
}

/// Whether a tap on «Начать опрос» at `now` starts a questionnaire, given when the last answer
/// was saved (ms since the epoch).
pub fn start_allowed(last_saved_ms: Option<f64>, now_ms: f64) -> bool {
    last_saved_ms.is_none_or(|saved| now_ms - saved >= REPEAT_GUARD_MS || now_ms < saved)
}

/// Names the file format of an exported queue, so an unrelated JSON file is refused.
const QUEUE_FORMAT: &str = "otklik-queue/1";

/// The file «Выгрузить очередь» writes and «Загрузить очередь» reads: the outbox records as they
/// are, so every item keeps its id, device and `seq` and uploads exactly once wherever it lands.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueFile {
    /// Always [`QUEUE_FORMAT`].
    pub format: String,
    /// The device that exported it.
    pub device: String,
    /// The waiting responses.
    pub items: Vec<Queued>,
}

impl QueueFile {
    /// The export of `items` from `device`.
    pub fn new(device: &str, items: Vec<Queued>) -> Self {
        Self {
            format: QUEUE_FORMAT.to_owned(),
            device: device.to_owned(),
            items,
        }
    }

    /// The items of an exported queue; `None` for anything else.
    pub fn parse(text: &str) -> Option<Vec<Queued>> {
        serde_json::from_str::<Self>(text)
            .ok()
            .filter(|file| file.format == QUEUE_FORMAT)
            .map(|file| file.items)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sync::credentials::tests::kiosk_response;

    #[test]
    fn the_right_pin_matches_the_servers_hash_and_a_wrong_one_does_not() {
        // hex(sha256("dev-1:4321")), as the server (and `sha256sum`) computes it.
        let hash = "6c10a94d4946ba0514176692fd63363b109bf5656f562df4d18a1222507e7cd6";
        assert!(pin_matches("dev-1", "4321", hash));
        assert!(pin_matches("dev-1", " 4321 ", &hash.to_uppercase()));
        assert!(!pin_matches("dev-1", "1234", hash));
        assert!(!pin_matches("dev-2", "4321", hash));
        assert!(!pin_matches("dev-1", "", hash));
    }

    #[test]
    fn an_exported_queue_reads_back_and_other_json_is_refused() {
        let item = Queued {
            id: "0190f3c2-6a1b-7c3d-8e4f-123456789abc".parse().unwrap(),
            response: (&kiosk_response("dev-1")).into(),
            queued_at: 1.0,
            entry_batch: None,
        };
        let file = QueueFile::new("dev-1", vec![item.clone()]);
        let text = serde_json::to_string(&file).unwrap();
        assert_eq!(QueueFile::parse(&text), Some(vec![item]));
        assert_eq!(QueueFile::parse(&text.replace("otklik-queue/1", "x")), None);
        assert_eq!(QueueFile::parse("{\"items\": []}"), None);
        assert_eq!(QueueFile::parse("not json"), None);
    }

    #[test]
    fn the_idle_timeout_defaults_to_a_minute_and_is_clamped() {
        assert_eq!(idle_timeout_ms(None), 60_000);
        assert_eq!(idle_timeout_ms(Some("abc")), 60_000);
        assert_eq!(idle_timeout_ms(Some("20")), 20_000);
        assert_eq!(idle_timeout_ms(Some("1")), 5_000);
        assert_eq!(idle_timeout_ms(Some("999999")), 3_600_000);
    }

    #[test]
    fn repeated_taps_within_five_seconds_of_an_answer_start_nothing() {
        assert!(start_allowed(None, 1_000.0));
        assert!(!start_allowed(Some(10_000.0), 10_001.0));
        assert!(!start_allowed(Some(10_000.0), 14_999.0));
        assert!(start_allowed(Some(10_000.0), 15_000.0));
        // A clock set back must not lock the kiosk.
        assert!(start_allowed(Some(10_000.0), 9_000.0));
    }
}
