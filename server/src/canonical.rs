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

    /// JSON text of `v` with every object's keys in another order (rotated by `turn`, then
    /// reversed) and `ws` between all tokens.
    fn render(v: &Value, turn: usize, ws: &str) -> String {
        let sep = format!("{ws},{ws}");
        match v {
            Value::Array(items) => {
                let items: Vec<String> = items.iter().map(|i| render(i, turn, ws)).collect();
                format!("[{ws}{}{ws}]", items.join(&sep))
            }
            Value::Object(map) => {
                let mut entries: Vec<(&String, &Value)> = map.iter().collect();
                let n = entries.len().max(1);
                entries.rotate_left(turn % n);
                entries.reverse();
                let entries: Vec<String> = entries
                    .into_iter()
                    .map(|(k, v)| {
                        format!(
                            "{}{ws}:{ws}{}",
                            Value::from(k.as_str()),
                            render(v, turn, ws)
                        )
                    })
                    .collect();
                format!("{{{ws}{}{ws}}}", entries.join(&sep))
            }
            scalar => scalar.to_string(),
        }
    }

    /// The hash ingest stores for a response sent as `text`.
    fn hash_of(text: &str) -> [u8; 32] {
        let questionnaire = otklik_shared::catalog::builtin_questionnaires()
            .expect("built-in questionnaires")
            .into_iter()
            .find(|q| q.id == "nsi-satisfaction")
            .expect("nsi-satisfaction");
        let item: NewResponse = serde_json::from_str(text).expect("a response");
        let answers = otklik_shared::validation::validate_answers(&questionnaire, &item.answers)
            .expect("valid answers");
        payload_hash(&item, &answers)
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(256))]

        /// «Identical after parsing» (`contract.md` §3), over generated sends of one response.
        #[test]
        fn the_hash_ignores_key_order_whitespace_answer_order_offsets_and_number_forms(
            likert in proptest::collection::vec(0..4usize, 5),
            nps in 0u8..=10,
            nps_as_float in proptest::prelude::any::<bool>(),
            comment in "[а-яa-z]{1,12}",
            offset_minutes in -840i32..=840,
            turn in 0usize..16,
            rotate in 0usize..6,
            ws in "[ \t\r\n]{0,3}",
            device_null in proptest::prelude::any::<bool>(),
        ) {
            use otklik_shared::answer::Likert4;
            use serde_json::json;
            let ids = ["process", "documents", "duration", "simplicity", "support"];
            let answers = |nps: Value, pad: &str| -> Vec<Value> {
                let mut out: Vec<Value> = ids.iter().zip(&likert).map(|(q, &v)| {
                    let v = Likert4::ALL[v];
                    // «Нет» and «Скорее нет» invite a comment on `process`.
                    if *q == "process" && v >= Likert4::RatherNo {
                        json!({"q": q, "v": v.as_str(), "comment": format!("{pad}{comment}{pad}")})
                    } else {
                        json!({"q": q, "v": v.as_str()})
                    }
                }).collect();
                out.push(json!({"q": "nps", "v": nps}));
                out
            };
            let instant: chrono::DateTime<Utc> = "2026-11-22T07:15:00.123456789Z".parse().expect("instant");
            let base = json!({
                "id": "0190f3c2-6a1b-7c3d-8e4f-123456789abc", "point": "p",
                "questionnaire": "nsi-satisfaction", "version": 1, "channel": "qr",
                "submitted_at": instant.to_rfc3339_opts(SecondsFormat::Nanos, true),
                "answers": answers(json!(nps), ""),
            });
            let mut variant = base.clone();
            let offset = chrono::FixedOffset::east_opt(offset_minutes * 60).expect("±14 h");
            variant["submitted_at"] = json!(instant.with_timezone(&offset).to_rfc3339());
            let nps = if nps_as_float { json!(f64::from(nps)) } else { json!(nps) };
            let mut sent = answers(nps, "  ");
            sent.rotate_left(rotate);
            variant["answers"] = Value::Array(sent);
            if device_null {
                variant["device"] = Value::Null;
            }
            proptest::prop_assert_eq!(hash_of(&base.to_string()), hash_of(&render(&variant, turn, &ws)));
        }
    }
}
