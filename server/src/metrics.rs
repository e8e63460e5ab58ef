//! Prometheus metrics: requests by route and status, ingest items by outcome, group-commit sizes
//! and latency, the ingest queue's depth and the database pools, in the text exposition format
//! served by `--metrics-bind` (README «Monitoring»).
//!
//! One [`Metrics`] per [`AppState`](crate::state::AppState), not a process-wide registry: two
//! servers in one process (the tests) count apart. Everything a request or a batch touches is
//! an atomic behind an `Arc`, created once here; only the request counter looks its series up
//! per request, because its route label is known only after routing. Pool gauges cost nothing
//! between scrapes: they are read from the pools when a scrape asks ([`Metrics::encode`]).
//!
//! Labels carry route patterns (`/api/v1/orgs/{code}`), never a raw path: no org code, id or
//! token reaches a label, and the number of series stays bounded by the routes.

use std::borrow::Cow;
use std::sync::Arc;

use actix_web::http::{Method, StatusCode};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::{Metric, Registry};

use crate::db::Database;

/// The route label of a request no route pattern matched: the PWA's files, the app shell's
/// fallback and unknown paths alike.
pub const UNMATCHED: &str = "unmatched";

/// What became of one item of a response batch (the label `outcome`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IngestOutcome {
    /// Stored now.
    Created,
    /// Stored before with the same payload.
    Duplicate,
    /// Stored before with another payload; the stored one is kept.
    Conflict,
    /// Refused by the rules (schema, point, channel, answers).
    Rejected,
    /// Refused by the anonymous rate limit; the client retries it.
    RateLimited,
}

impl IngestOutcome {
    /// Every outcome, in declaration order (the order of the counters in [`Metrics`]).
    const ALL: [Self; 5] = [
        Self::Created,
        Self::Duplicate,
        Self::Conflict,
        Self::Rejected,
        Self::RateLimited,
    ];

    fn as_str(self) -> &'static str {
        match self {
            Self::Created => "created",
            Self::Duplicate => "duplicate",
            Self::Conflict => "conflict",
            Self::Rejected => "rejected",
            Self::RateLimited => "rate_limited",
        }
    }
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: Cow<'static, str>,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct OutcomeLabels {
    outcome: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    pool: &'static str,
}

/// The server's metrics; cheap to clone (one shared registry).
#[derive(Clone)]
pub struct Metrics(Arc<Inner>);

struct Inner {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    /// One counter per [`IngestOutcome`], in `ALL`'s order, looked up once at start.
    ingest: [Counter; 5],
    group_items: Histogram,
    group_seconds: Histogram,
    queue: Gauge,
    pool_connections: Family<PoolLabels, Gauge>,
    pool_idle: Family<PoolLabels, Gauge>,
    pool_max: Family<PoolLabels, Gauge>,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// Registers every metric, at zero.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("otklik");
        let r = &mut registry;
        let requests = registered(
            r,
            "http_requests",
            "HTTP requests answered, by method, route pattern and status code",
            Family::<RequestLabels, Counter>::default(),
        );
        let outcomes = registered(
            r,
            "ingest_items",
            "Items of response batches, by what became of them",
            Family::<OutcomeLabels, Counter>::default(),
        );
        let ingest = IngestOutcome::ALL.map(|o| {
            outcomes.get_or_create_owned(&OutcomeLabels {
                outcome: o.as_str(),
            })
        });
        // 1 to 4,096 items: a lone response up to a full group (4,000 items).
        let group_items = registered(
            r,
            "group_commit_items",
            "Responses stored per group-commit transaction",
            Histogram::new(exponential_buckets(1.0, 2.0, 13)),
        );
        // 1 ms to 8 s: a lone fsync up to a full group on a slow disk.
        let group_seconds = registered(
            r,
            "group_commit_seconds",
            "Time to store one group (its transaction, commit and flush to disk)",
            Histogram::new(exponential_buckets(0.001, 2.0, 14)),
        );
        let queue = registered(
            r,
            "ingest_queue_batches",
            "Response batches waiting for a committer (queued or waiting for room in the queue)",
            Gauge::default(),
        );
        let pool_connections = registered(
            r,
            "db_pool_connections",
            "Open database connections, by pool",
            Family::default(),
        );
        let pool_idle = registered(
            r,
            "db_pool_idle_connections",
            "Idle database connections, by pool",
            Family::default(),
        );
        let pool_max = registered(
            r,
            "db_pool_max_connections",
            "The most connections a pool opens",
            Family::default(),
        );
        Self(Arc::new(Inner {
            registry,
            requests,
            ingest,
            group_items,
            group_seconds,
            queue,
            pool_connections,
            pool_idle,
            pool_max,
        }))
    }

    /// Counts one answered request. `route` is the matched route pattern (`None`: no route
    /// matched, counted as [`UNMATCHED`]); methods outside the standard ones count as `other`.
    pub fn count_request(&self, method: &Method, route: Option<String>, status: StatusCode) {
        let labels = RequestLabels {
            method: method_label(method),
            route: route.map_or(Cow::Borrowed(UNMATCHED), Cow::Owned),
            status: status.as_u16(),
        };
        self.0.requests.get_or_create(&labels).inc();
    }

    /// Counts `n` items of a batch with one outcome.
    pub fn count_items(&self, outcome: IngestOutcome, n: usize) {
        if n > 0 {
            // `ALL` lists the variants in declaration order, so a variant's discriminant is its
            // counter's index.
            self.0.ingest[outcome as usize].inc_by(n as u64);
        }
    }

    /// Records one stored group: its responses and the seconds its transaction took.
    pub fn observe_group(&self, items: usize, seconds: f64) {
        self.0.group_items.observe(items as f64);
        self.0.group_seconds.observe(seconds);
    }

    /// The depth of the ingest queue, raised by a batch entering it and lowered by a committer
    /// taking it.
    pub fn queue(&self) -> &Gauge {
        &self.0.queue
    }

    /// The exposition text, with the pool gauges read from `db` now.
    pub fn encode(&self, db: &Database) -> String {
        for pool in db.pool_stats() {
            let labels = PoolLabels { pool: pool.name };
            let set = |family: &Family<PoolLabels, Gauge>, v: u32| {
                family.get_or_create(&labels).set(i64::from(v));
            };
            set(&self.0.pool_connections, pool.size);
            set(&self.0.pool_idle, pool.idle);
            set(&self.0.pool_max, pool.max);
        }
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = prometheus_client::encoding::text::encode(&mut text, &self.0.registry);
        text
    }
}

/// `metric`, registered under `name` (after the `otklik_` prefix); the registry keeps a handle
/// to the same atomics.
fn registered<M: Metric + Clone>(registry: &mut Registry, name: &str, help: &str, metric: M) -> M {
    registry.register(name, help, metric.clone());
    metric
}

/// The content type of [`Metrics::encode`]'s text (OpenMetrics, which Prometheus asks for).
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// A static label for the method: the standard ones by name, any other as `other`, so a client
/// inventing methods cannot add series.
fn method_label(method: &Method) -> &'static str {
    const KNOWN: [(Method, &str); 9] = [
        (Method::GET, "GET"),
        (Method::HEAD, "HEAD"),
        (Method::POST, "POST"),
        (Method::PUT, "PUT"),
        (Method::PATCH, "PATCH"),
        (Method::DELETE, "DELETE"),
        (Method::OPTIONS, "OPTIONS"),
        (Method::CONNECT, "CONNECT"),
        (Method::TRACE, "TRACE"),
    ];
    KNOWN
        .iter()
        .find(|(known, _)| known == method)
        .map_or("other", |(_, name)| name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invented_methods_share_one_label() {
        assert_eq!(method_label(&Method::PATCH), "PATCH");
        let invented = Method::from_bytes(b"BREW").expect("a token");
        assert_eq!(method_label(&invented), "other");
    }
}
