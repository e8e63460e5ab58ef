//! `otklik audit verify`: walks the hash-chained response log and re-derives every link.
//!
//! Each response a log record lists is re-validated against its questionnaire version and
//! re-hashed, so an edit of the raw answers, a removed or added row, or a re-ordered or altered
//! log is found and named.

use std::collections::HashMap;

use otklik_shared::answer::NewResponse;
use otklik_shared::validation::validate_answers;

use crate::canonical::payload_hash;
use crate::db::audit::{LogRecord, SealedResponse};
use crate::db::ingest::seal;
use crate::startup::AppState;

/// What an intact log looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// Log records (batches) checked.
    pub records: i64,
    /// Responses checked.
    pub responses: i64,
}

/// Verifies the chain; `Ok(Err(message))` names the first bad record.
///
/// # Errors
/// Database failure (the verdict could not be reached).
pub async fn verify(state: &AppState) -> anyhow::Result<Result<Verified, String>> {
    let totals = state.db.log_totals().await?;
    let mut prev = vec![0u8; 32];
    let mut checked = 0i64;
    let mut records = 0i64;
    for (expected_seq, record) in (1..).zip(state.db.log_records().await?) {
        if record.log_seq > totals.head_seq {
            break; // appended after we read the head: verified next time
        }
        if record.log_seq != expected_seq {
            return Ok(Err(format!(
                "log record {expected_seq} is missing (the next one is {})",
                record.log_seq
            )));
        }
        let at = format!("log record {}", record.log_seq);
        let Some(ids) = record.ids() else {
            return Ok(Err(format!("{at}: the list of response ids is damaged")));
        };
        let stored: HashMap<_, _> = state
            .db
            .sealed_responses(&ids)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        let mut hashes = Vec::with_capacity(ids.len());
        for id in &ids {
            let Some(response) = stored.get(id) else {
                return Ok(Err(format!("{at}: response {id} is missing")));
            };
            if let Err(problem) = recheck(state, response) {
                return Ok(Err(format!("{at}: response {id} {problem}")));
            }
            hashes.push(response.payload_hash.clone());
        }
        let (_, link) = seal(
            &prev,
            record.log_seq,
            ids.iter().zip(hashes.iter().map(Vec::as_slice)),
        );
        if !check_link(&record, &link) {
            return Ok(Err(format!("{at}: the chain hash does not match")));
        }
        prev = link.to_vec();
        checked += ids.len() as i64;
        records = record.log_seq;
    }
    if records != totals.head_seq || prev != totals.head_hash {
        return Ok(Err(format!(
            "the log ends at record {records}, but its head says {}",
            totals.head_seq
        )));
    }
    if checked != totals.responses {
        return Ok(Err(format!("{} responses are stored but the log seals {checked}: rows were added or removed outside the log", totals.responses)));
    }
    Ok(Ok(Verified {
        records,
        responses: checked,
    }))
}

fn check_link(record: &LogRecord, link: &[u8; 32]) -> bool {
    record.chain_hash.as_slice() == link.as_slice()
}

/// Re-derives the payload hash of a stored response from its raw answers.
fn recheck(state: &AppState, response: &SealedResponse) -> Result<(), String> {
    let item: NewResponse =
        serde_json::from_str(&response.raw).map_err(|e| format!("does not parse: {e}"))?;
    let questionnaire = state
        .catalog
        .cached(&item.questionnaire, item.version)
        .ok_or_else(|| {
            format!(
                "names questionnaire {} v{}, which is not published",
                item.questionnaire, item.version
            )
        })?;
    let answers = validate_answers(&questionnaire, &item.answers)
        .map_err(|e| format!("has invalid answers: {e}"))?;
    if item.id != response.id
        || payload_hash(&item, &answers).as_slice() != response.payload_hash.as_slice()
    {
        return Err("differs from what was stored".to_owned());
    }
    Ok(())
}
