//! `otklik audit verify`: walks the hash-chained response log and re-derives every link;
//! with `--rollups`, also holds the rollups against a recount of the raw responses, which
//! `otklik audit repair-rollups` writes in their place.
//!
//! Each response a log record lists is re-validated against its questionnaire version and
//! re-hashed, so an edit of the raw answers, a removed or added row, or a re-ordered or altered
//! log is found and named. What no chain can find is a whole record appended by someone who
//! can write the database and recompute the chain's next link: the chain guards what was
//! sealed, not what comes after it.

use std::collections::HashMap;
use std::sync::Arc;

use otklik_shared::answer::{Answer, NewResponse};
use otklik_shared::questionnaire::Questionnaire;
use otklik_shared::rollup;
use otklik_shared::validation::validate_answers;

use uuid::Uuid;

use crate::canonical::payload_hash;
use crate::catalog::Catalog;
use crate::db::audit::{LogRecord, SealedResponse};
use crate::db::ingest::recount::{CountRaw, RollupCheck, RollupDifference};
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
    /// A record stands after the head, which every append moves in the same transaction:
    /// it was added outside ingest.
    #[error("log record {record} stands after the head ({head}): it was added outside the log")]
    AfterHead {
        /// The record's number.
        record: i64,
        /// The head's record number.
        head: i64,
    },
    /// Rollup rows no longer equal their recount from the raw responses (`--rollups`).
    #[error("{differ} rollup rows differ from the recount of the raw responses; the first: {first} (otklik audit repair-rollups rebuilds them)")]
    Rollups {
        /// How many rows differ.
        differ: u64,
        /// The first, in key order.
        first: RollupDifference,
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
    let log = db.log_records().await?;
    if let Some(last) = log.last().filter(|r| r.log_seq > totals.head_seq) {
        // Appended after we read the head, or added outside ingest: an append moves the head
        // in its own transaction, so a head read now has passed every genuine record read.
        let head = db.log_totals().await?.head_seq;
        if last.log_seq > head {
            return Ok(Err(Broken::AfterHead {
                record: last.log_seq,
                head,
            }));
        }
    }
    let mut prev = vec![0u8; 32];
    let mut checked = 0i64;
    let mut records = 0i64;
    for (expected_seq, record) in (1..).zip(log) {
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

/// Holds the rollups against a recount of the raw responses; `Ok(Err(_))` names the first row
/// that differs. Run after [`verify`]: the recount stands on responses the log vouches for.
///
/// # Errors
/// Database failure, or a stored response that no longer validates.
#[tracing::instrument(skip_all)]
pub async fn verify_rollups(
    db: &Database,
    catalog: &Catalog,
) -> anyhow::Result<Result<RollupCheck, Broken>> {
    let check = db.check_rollups(counter(catalog)).await?;
    Ok(match &check.first {
        Some(first) => Err(Broken::Rollups {
            differ: check.differ,
            first: first.clone(),
        }),
        None => Ok(check),
    })
}

/// Rebuilds every rollup from the raw responses in one transaction, once [`verify`] finds the
/// log intact (rebuilt from altered responses, the rollups would spread the damage); returns
/// the responses recounted, or what is wrong with the log.
///
/// # Errors
/// Database failure; the rollups are unchanged then.
#[tracing::instrument(skip_all)]
pub async fn repair_rollups(
    db: &Database,
    catalog: &Catalog,
) -> anyhow::Result<Result<u64, Broken>> {
    if let Err(broken) = verify(db, catalog).await? {
        return Ok(Err(broken));
    }
    Ok(Ok(db.rebuild_rollups(counter(catalog)).await?))
}

/// How a stored raw item counts: the same contributions ingest counted when it stored it.
fn counter(catalog: &Catalog) -> impl CountRaw + '_ {
    move |raw: &str| -> Result<Vec<(String, String)>, String> {
        let (_, questionnaire, answers) = revalidate(catalog, raw).map_err(|e| e.to_string())?;
        Ok(rollup::contributions(&questionnaire, &answers))
    }
}

/// Parses a stored raw item and validates its answers against its questionnaire version.
fn revalidate(
    catalog: &Catalog,
    raw: &str,
) -> Result<(NewResponse, Arc<Questionnaire>, Vec<Answer>), Altered> {
    let item: NewResponse =
        serde_json::from_str(raw).map_err(|e| Altered::DoesNotParse(e.to_string()))?;
    let questionnaire = catalog
        .cached(&item.questionnaire, item.version)
        .ok_or_else(|| Altered::Unpublished {
            questionnaire: item.questionnaire.clone(),
            version: item.version,
        })?;
    let answers = validate_answers(&questionnaire, &item.answers)
        .map_err(|e| Altered::InvalidAnswers(e.to_string()))?;
    Ok((item, questionnaire, answers))
}

/// Re-derives the payload hash of a stored response from its raw answers.
fn recheck(catalog: &Catalog, response: &SealedResponse) -> Result<(), Altered> {
    let (item, _, answers) = revalidate(catalog, &response.raw)?;
    if item.id != response.id
        || payload_hash(&item, &answers).as_slice() != response.payload_hash.as_slice()
    {
        return Err(Altered::Differs);
    }
    Ok(())
}
