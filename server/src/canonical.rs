//! The canonical form of a response, whose SHA-256 decides `duplicate` versus `conflict`.
//!
//! "Identical" is defined after parsing (`contract.md` §3): one instant however its offset is
//! written, answers in any order, `9` and `9.0` alike, key order and `null` versus absent
//! ignored. So the hash is taken over typed values, never over the bytes received.

use chrono::{SecondsFormat, Utc};
use otklik_shared::answer::{Answer, NewResponse};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The canonical form: fields in alphabetical order, answers sorted by question id.
#[derive(Serialize)]
struct Canonical<'a> {
    answers: Vec<(&'a str, Value, Option<&'a str>)>,
    channel: &'a str,
    device: Option<&'a str>,
    point: &'a str,
    questionnaire: &'a str,
    seq: Option<u64>,
    submitted_at: String,
    version: u32,
}

/// Feeds serialised bytes straight into the hash, with no intermediate string.
struct HashWriter(Sha256);

impl std::io::Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// SHA-256 of the canonical JSON of a response whose answers were checked into `answers`.
pub fn payload_hash(item: &NewResponse, answers: &[Answer]) -> [u8; 32] {
    let mut sorted: Vec<(&str, Value, Option<&str>)> = answers
        .iter()
        .map(|a| (a.q.as_str(), a.value.to_wire(), a.comment.as_deref()))
        .collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    let canonical = Canonical {
        answers: sorted,
        channel: item.channel.as_str(),
        device: item.device.as_deref(),
        point: &item.point,
        questionnaire: &item.questionnaire,
        seq: item.seq,
        submitted_at: item
            .submitted_at
            .with_timezone(&Utc)
            .to_rfc3339_opts(SecondsFormat::Nanos, true),
        version: item.version,
    };
    let mut writer = HashWriter(Sha256::new());
    // Writing into a hasher cannot fail, and these types always serialise.
    let _ = serde_json::to_writer(&mut writer, &canonical);
    writer.0.finalize().into()
}

#[cfg(test)]
mod tests {
    use otklik_shared::answer::AnswerValue;

    use super::*;

    fn response(json: &str) -> NewResponse {
        serde_json::from_str(json).unwrap()
    }

    fn answers() -> Vec<Answer> {
        vec![
            Answer {
                q: "overall".into(),
                value: AnswerValue::Likert4(otklik_shared::answer::Likert4::No),
                comment: Some("долго".into()),
            },
            Answer {
                q: "nps".into(),
                value: AnswerValue::Nps(9),
                comment: None,
            },
        ]
    }

    #[test]
    fn the_same_instant_in_two_offsets_and_reordered_keys_hash_alike() {
        let a = response(
            r#"{"id":"0190f3c2-6a1b-7c3d-8e4f-123456789abc","point":"p","questionnaire":"express","version":1,"channel":"qr","submitted_at":"2026-11-22T10:15:00+03:00","answers":[]}"#,
        );
        let b = response(
            r#"{"answers":[],"channel":"qr","device":null,"version":1,"questionnaire":"express","point":"p","submitted_at":"2026-11-22T07:15:00Z","id":"0190f3c2-6a1b-7c3d-8e4f-123456789abc"}"#,
        );
        let mut reversed = answers();
        reversed.reverse();
        assert_eq!(payload_hash(&a, &answers()), payload_hash(&b, &reversed));
    }

    #[test]
    fn any_changed_field_changes_the_hash() {
        let a = response(
            r#"{"id":"0190f3c2-6a1b-7c3d-8e4f-123456789abc","point":"p","questionnaire":"express","version":1,"channel":"qr","submitted_at":"2026-11-22T10:15:00+03:00","answers":[]}"#,
        );
        let base = payload_hash(&a, &answers());
        let mut later = a.clone();
        later.submitted_at = "2026-11-22T10:15:01+03:00".parse().unwrap();
        let mut other_point = a.clone();
        other_point.point = "q".into();
        let mut changed = answers();
        changed[1].value = AnswerValue::Nps(8);
        assert_ne!(base, payload_hash(&later, &answers()));
        assert_ne!(base, payload_hash(&other_point, &answers()));
        assert_ne!(base, payload_hash(&a, &changed));
    }
}
