//! Group commit: batches that arrive while a transaction is running wait in a queue, and the
//! next transaction stores all of them at once.
//!
//! A batch's own work (parsing, validation, hashing) runs in its request handler; what a
//! transaction costs beyond its rows (the commit's flush to disk, the log record and its
//! chain-head lock, statement round trips) is then paid once per group instead of once per
//! batch. Nothing waits on a timer: a batch that finds the queue empty is stored at once, so
//! grouping happens only under load, where it pays. The committers run on the runtime that
//! started the committer ([`GroupCommit::start`]), not on an HTTP worker's: a worker busy
//! parsing the next request never stalls a transaction between two statements (on SQLite,
//! that would stall every writer).
//!
//! A group is one [`Database::ingest`] call over the batches' items in arrival order, so an id
//! sent in two batches of one group is judged exactly as if the batches had come one after the
//! other. The reply to each batch is sent only after the group's commit returned.

use std::sync::Arc;
use std::time::Instant;

use tokio::sync::{mpsc, oneshot, Mutex};

use crate::db::ingest::{Outcome, PreparedResponse};
use crate::db::{Backend, Database, DbError, DbResult};
use crate::metrics::Metrics;

/// Items in one group at most (a batch is never split, so a group may pass this by one batch).
const MAX_GROUP_ITEMS: usize = 4_000;

/// Batches waiting for a committer; senders wait when it is full.
const QUEUE_BATCHES: usize = 64;

/// One batch and where its outcomes go.
struct Job {
    items: Vec<PreparedResponse>,
    reply: oneshot::Sender<DbResult<Vec<Outcome>>>,
}

/// The queue in front of the committers; dropping the last handle stops them.
#[derive(Clone)]
pub struct GroupCommit {
    queue: mpsc::Sender<Job>,
    /// The queue's depth and each group's size and time go here.
    metrics: Metrics,
}

impl GroupCommit {
    /// Starts the committers on the current Tokio runtime: one on SQLite (it has one writer),
    /// two on PostgreSQL (while one group waits for its commit, the other is being written;
    /// measured: one committer 0.34 of the raw insert rate, two 0.43, four 0.43, eight 0.45).
    pub fn start(db: &Database, metrics: &Metrics) -> Self {
        let (queue, receiver) = mpsc::channel(QUEUE_BATCHES);
        let receiver = Arc::new(Mutex::new(receiver));
        let committers = match db.backend() {
            Backend::Sqlite => 1,
            Backend::Postgres => 2,
        };
        for _ in 0..committers {
            tokio::spawn(run(db.clone(), receiver.clone(), metrics.clone()));
        }
        Self {
            queue,
            metrics: metrics.clone(),
        }
    }

    /// Stores one batch (in its group) and returns one outcome per item, in order.
    ///
    /// # Errors
    /// Database failure: nothing of the batch is stored.
    pub async fn ingest(&self, items: Vec<PreparedResponse>) -> DbResult<Vec<Outcome>> {
        let closed = || {
            DbError::Other(anyhow::anyhow!(
                "the batch's transaction did not finish (the ingest queue is closed or the group failed)"
            ))
        };
        let (reply, outcomes) = oneshot::channel();
        // Raised before the send, so a batch waiting for room in a full queue counts too;
        // lowered by the committer that takes it, or here if none ever will.
        self.metrics.queue().inc();
        if self.queue.send(Job { items, reply }).await.is_err() {
            self.metrics.queue().dec();
            return Err(closed());
        }
        outcomes.await.map_err(|_| closed())?
    }
}

/// One committer: takes the first waiting batch and whatever else waits behind it, stores them
/// in one transaction, replies, and goes again.
async fn run(db: Database, receiver: Arc<Mutex<mpsc::Receiver<Job>>>, metrics: Metrics) {
    loop {
        let mut jobs = Vec::new();
        {
            let mut receiver = receiver.lock().await;
            let Some(first) = receiver.recv().await else {
                return;
            };
            let mut items = first.items.len();
            jobs.push(first);
            while items < MAX_GROUP_ITEMS {
                let Ok(job) = receiver.try_recv() else { break };
                items += job.items.len();
                jobs.push(job);
            }
        }
        metrics.queue().dec_by(jobs.len() as i64);
        // A task of its own, so that a bug that panics costs this group's replies (their
        // senders drop, and each handler answers 500), never the committer itself.
        if let Err(e) = tokio::spawn(commit(db.clone(), jobs, metrics.clone())).await {
            tracing::error!(error = %e, "an ingest group did not finish");
        }
    }
}

/// Stores a group, records its size and time, and answers each of its batches.
async fn commit(db: Database, jobs: Vec<Job>, metrics: Metrics) {
    let batches: Vec<&[PreparedResponse]> = jobs.iter().map(|job| job.items.as_slice()).collect();
    let started = Instant::now();
    let results = store_group(&db, &batches).await;
    let items = batches.iter().map(|b| b.len()).sum();
    metrics.observe_group(items, started.elapsed().as_secs_f64());
    for (job, result) in jobs.into_iter().zip(results) {
        // A client that hung up has no one to tell; its batch is stored all the same.
        let _ = job.reply.send(result);
    }
}

/// Stores batches in one transaction and returns each batch's outcomes, in order. If that
/// transaction fails, each batch is stored in a transaction of its own, so that one batch the
/// database refuses never sinks the others.
pub async fn store_group(
    db: &Database,
    batches: &[&[PreparedResponse]],
) -> Vec<DbResult<Vec<Outcome>>> {
    if batches.len() > 1 {
        let all: Vec<&PreparedResponse> = batches.iter().flat_map(|b| b.iter()).collect();
        match db.ingest(&all).await {
            Ok(outcomes) => {
                let mut outcomes = outcomes.into_iter();
                return batches
                    .iter()
                    .map(|b| Ok(outcomes.by_ref().take(b.len()).collect()))
                    .collect();
            }
            Err(e) => tracing::warn!(
                error = %e,
                batches = batches.len(),
                "group commit failed, storing its batches one by one"
            ),
        }
    }
    let mut results = Vec::with_capacity(batches.len());
    for batch in batches {
        let items: Vec<&PreparedResponse> = batch.iter().collect();
        results.push(db.ingest(&items).await);
    }
    results
}
