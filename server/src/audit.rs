//! `otklik audit verify`: walks the hash-chained response log and re-derives every link.
//!
//! Each response a log record lists is re-validated against its questionnaire version and
//! re-hashed, so an edit of the raw answers, a removed or added row, or a re-ordered or altered
//! log is found and named.

use std::collections::HashMap;

use otklik_shared::answer::NewResponse;
use otklik_shared::validation::validate_answers;

use uuid::Uuid;

use crate::canonical::payload_hash;
use crate::catalog::Catalog;
use crate::db::audit::{LogRecord, SealedResponse};
use crate::db::ingest::seal;
use crate::db::Database;

/// What an intact log looks like.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// Log records (batches) checked.
    pub records: i64,
    /// Responses checked.
    pub responses: i64,
}

/// The first thing found wrong with the log.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Broken {
    /// A record number is skipped.
    #[error("log record {expected} is missing (the next one is {next})")]
    MissingRecord {
        /// The number that should come next.
        expected: i64,
        /// The number that came.
        next: i64,
    },
    /// A record's list of response ids does not decode.
    #[error("log record {record}: the list of response ids is damaged")]
    DamagedIds {
        /// Record number.
        record: i64,
    },
    /// A sealed response is no longer stored.
    #[error("log record {record}: response {id} is missing")]
    MissingResponse {
        /// Record number.
        record: i64,
        /// Response id.
        id: Uuid,
    },
    /// A sealed response no longer re-derives its hash.
    #[error("log record {record}: response {id} {problem}")]
    Altered {
        /// Record number.
        record: i64,
        /// Response id.
        id: Uuid,
        /// What is wrong with it.
        problem: Altered,
    },
    /// A record's chain hash does not follow from its predecessor and its responses.
    #[error("log record {record}: the chain hash does not match")]
    ChainMismatch {
        /// Record number.
        record: i64,
    },
    /// The records end before (or after) what the head says.
    #[error("the log ends at record {ends_at}, but its head says {head}")]
    HeadMismatch {
        /// Last record verified.
        ends_at: i64,
        /// The head's record number.
        head: i64,
    },
    /// Rows were added or removed outside the log.
    #[error("{stored} responses are stored but the log seals {sealed}: rows were added or removed outside the log")]
    CountMismatch {
        /// Responses stored.
        stored: i64,
        /// Responses the log seals.
        sealed: i64,
    },
}

/// How a stored response differs from what was sealed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Altered {
    /// The raw item is no longer a response.
    #[error("does not parse: {0}")]
    DoesNotParse(String),
    /// It names a version the catalog does not publish.
    #[error("names questionnaire {questionnaire} v{version}, which is not published")]
    Unpublished {
        /// Questionnaire id.
        questionnaire: String,
        /// Version.
        version: u32,
    },
    /// Its answers no longer validate.
    #[error("has invalid answers: {0}")]
    InvalidAnswers(String),
    /// It re-hashes to another payload hash or id.
    #[error("differs from what was stored")]
    Differs,
}

/// Verifies the chain; `Ok(Err(broken))` names the first bad record.
///
/// # Errors
/// Database failure (the verdict could not be reached).
#[tracing::instrument(skip_all)]
pub async fn verify(db: &Database, catalog: &Catalog) -> anyhow::Result<Result<Verified, Broken>> {
    let totals = db.log_totals().await?;
    let mut prev = vec![0u8; 32];
    let mut checked = 0i64;
    let mut records = 0i64;
    for (expected_seq, record) in (1..).zip(db.log_records().await?) {
        if record.log_seq > totals.head_seq {
            break; // appended after we read the head: verified next time
        }
        if record.log_seq != expected_seq {
            return Ok(Err(Broken::MissingRecord {
                expected: expected_seq,
                next: record.log_seq,
            }));
        }
        let at = record.log_seq;
        let Some(ids) = record.ids() else {
            return Ok(Err(Broken::DamagedIds { record: at }));
        };
        let stored: HashMap<_, _> = db
            .sealed_responses(&ids)
            .await?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();
        let mut hashes = Vec::with_capacity(ids.len());
        for id in &ids {
            let Some(response) = stored.get(id) else {
                return Ok(Err(Broken::MissingResponse {
                    record: at,
                    id: *id,
                }));
            };
            if let Err(problem) = recheck(catalog, response) {
                return Ok(Err(Broken::Altered {
                    record: at,
                    id: *id,
                    problem,
                }));
            }
            hashes.push(response.payload_hash.clone());
        }
        let (_, link) = seal(
            &prev,
            record.log_seq,
            ids.iter().zip(hashes.iter().map(Vec::as_slice)),
        );
        if !check_link(&record, &link) {
            return Ok(Err(Broken::ChainMismatch { record: at }));
        }
        prev = link.to_vec();
        checked += ids.len() as i64;
        records = record.log_seq;
    }
    if records != totals.head_seq || prev != totals.head_hash {
        return Ok(Err(Broken::HeadMismatch {
            ends_at: records,
            head: totals.head_seq,
        }));
    }
    if checked != totals.responses {
        return Ok(Err(Broken::CountMismatch {
            stored: totals.responses,
            sealed: checked,
        }));
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
fn recheck(catalog: &Catalog, response: &SealedResponse) -> Result<(), Altered> {
    let item: NewResponse =
        serde_json::from_str(&response.raw).map_err(|e| Altered::DoesNotParse(e.to_string()))?;
    let questionnaire = catalog
        .cached(&item.questionnaire, item.version)
        .ok_or_else(|| Altered::Unpublished {
            questionnaire: item.questionnaire.clone(),
            version: item.version,
        })?;
    let answers = validate_answers(&questionnaire, &item.answers)
        .map_err(|e| Altered::InvalidAnswers(e.to_string()))?;
    if item.id != response.id
        || payload_hash(&item, &answers).as_slice() != response.payload_hash.as_slice()
    {
        return Err(Altered::Differs);
    }
    Ok(())
}
