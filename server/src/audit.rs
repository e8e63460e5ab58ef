//! `otklik audit verify`: walks the hash-chained response log and re-derives every link.
//!
//! Each stored response is re-validated against its questionnaire version and re-hashed, so an
//! edit of the raw answers, a removed or inserted row, or a re-ordered log is found and named.

use otklik_shared::answer::NewResponse;
use otklik_shared::validation::validate_answers;

use crate::canonical::payload_hash;
use crate::db::ingest::chain_link;
use crate::startup::AppState;

/// What an intact log looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// Responses checked.
    pub records: i64,
}

/// Verifies the chain; `Ok(Err(message))` names the first bad record.
///
/// # Errors
/// Database failure (the verdict could not be reached).
pub async fn verify(state: &AppState) -> anyhow::Result<Result<Verified, String>> {
    let totals = state.db.log_totals().await?;
    let mut prev = vec![0u8; 32];
    let mut expected_seq = 0i64;
    let verdict = state
        .db
        .walk_log(|entry| {
            if entry.log_seq > totals.head_seq {
                return Ok(()); // appended after we read the head: verified next time
            }
            expected_seq += 1;
            let at = format!("record {} (response {})", entry.log_seq, entry.response_id);
            if entry.log_seq != expected_seq {
                return Err(format!(
                    "record {expected_seq} is missing from the log (next is {})",
                    entry.log_seq
                ));
            }
            let (Some(stored_hash), Some(raw)) = (entry.payload_hash, entry.raw) else {
                return Err(format!("{at}: the response row is missing"));
            };
            let item: NewResponse = serde_json::from_str(&raw)
                .map_err(|e| format!("{at}: the stored response does not parse: {e}"))?;
            let questionnaire = state
                .catalog
                .cached(&item.questionnaire, item.version)
                .ok_or_else(|| {
                    format!(
                        "{at}: questionnaire {} v{} is not published",
                        item.questionnaire, item.version
                    )
                })?;
            let answers = validate_answers(&questionnaire, &item.answers)
                .map_err(|e| format!("{at}: the stored answers are invalid: {e}"))?;
            if item.id != entry.response_id
                || payload_hash(&item, &answers).as_slice() != stored_hash.as_slice()
            {
                return Err(format!("{at}: the response differs from what was stored"));
            }
            let link = chain_link(&prev, entry.log_seq, &entry.response_id, &stored_hash);
            if link.as_slice() != entry.chain_hash.as_slice() {
                return Err(format!("{at}: the chain hash does not match"));
            }
            prev = link.to_vec();
            Ok(())
        })
        .await?;
    if let Err(message) = verdict {
        return Ok(Err(message));
    }
    if expected_seq != totals.head_seq || prev != totals.head_hash {
        return Ok(Err(format!(
            "the log ends at record {expected_seq}, but its head says {}",
            totals.head_seq
        )));
    }
    if totals.responses != totals.log_rows {
        return Ok(Err(format!(
            "{} responses but {} log records: rows were added or removed outside the log",
            totals.responses, totals.log_rows
        )));
    }
    Ok(Ok(Verified {
        records: expected_seq,
    }))
}
