//! The Otklik server: HTTP API, storage on SQLite or PostgreSQL, the CLI, and the embedded PWA.
//!
//! # Layout
//! Three layers, importing one way only: **edges → services → storage**. Any behaviour is two
//! hops from its entry point: the route (or CLI command), then the service it calls.
//!
//! **Edges** (know HTTP or the terminal; turn [`service_error::ServiceError`] into their own
//! language):
//! - [`routes`] — HTTP handlers, one module per area; each extracts, calls one service and
//!   returns the typed reply; [`routes::extract`] reads the bearer token and the caller,
//!   [`routes::body`] reads bodies within the limit, [`routes::static_files`] serves the PWA.
//! - [`startup`] — building the HTTP server, middleware, graceful shutdown.
//! - [`state`] — the handles shared by handlers, opened once.
//! - [`error`] — the contract's JSON envelope with a stable code.
//! - [`cli`] — the `otklik` command line; admin commands open only the database.
//! - [`telemetry`] — logs without personal data, the request log (which also counts each
//!   request in the metrics).
//!
//! **Services** (domain rules; take the narrow handles they use — `&Database`, `&Catalog`,
//! `&GroupCommit` — never the app state or a request):
//! - [`auth`] — argon2id passwords, JWT tokens, login, the [`auth::Caller`] (each token checked
//!   against its user's row: disabled, deleted or re-passworded users' tokens are refused) and
//!   its one access check, `Caller::require`, against the permission table of
//!   `otklik_shared::access`.
//! - [`ingest`] — batch ingest rules and the group committer; [`canonical`] — payload hashing.
//! - [`figures`] — the handles every figure is computed from;
//!   [`stats`] — figures from rollup counts; [`nok_figures`] — НОК scores, answered counts
//!   and bootstrap intervals; [`trends`], [`rankings`] — the dashboard's figures;
//!   [`checklists`] — НОК expert checklists.
//! - [`exports`] — the officials' downloads: stats as CSV/XLSX, responses as CSV/SQLite;
//!   [`comments`] — citizens' comments, masked, newest first, with their reviews
//!   (`comments::review`: tagging, status, the public answer).
//! - [`improvements`] — improvement measures; [`published`] — what the comment loop shows the
//!   public about an org («Вы сказали — мы сделали»).
//! - [`masking`] — personal data out of free text before it leaves the server.
//! - [`orgs`], [`points`], [`users`] — adding orgs, points and users with their rules, and what
//!   officials do with them through the API in their scope (`orgs::manage`, `points::manage`,
//!   disabling users); `orgs::csv` reads import files as spreadsheet programs save them;
//!   [`patch`] — the absent-or-null rule of `PATCH` bodies.
//! - [`nsi`] — НСИ baselines, targets, process-time measurements, the quarterly report and
//!   its stage view («проблемные этапы»).
//! - [`entries`] — who keyed in which batches of paper and phone questionnaires;
//!   [`observations`] — the expert walk-throughs' own figures and batches, never citizens'.
//! - [`posters`] — points' QR codes (SVG, PNG) and printable PDF posters, one or a ZIP.
//! - [`devices`] — kiosk enrolment codes, device tokens, the fleet and its sequence gaps.
//! - [`audit`] — verification of the hash-chained response log; [`backup`] — consistent copies.
//! - [`demo`] — the demo data set, loaded through the services.
//! - [`questionnaires`] — publishing a questionnaire's next version; frozen measurement (a
//!   version a НСИ baseline was measured with keeps its core questions; only an approved
//!   auxiliary block may be appended).
//! - [`catalog`] — published questionnaires in memory; [`ratelimit`] — the anonymous rate limit;
//!   [`pwa`] — the built PWA's files; [`config`] — settings and their one set of defaults;
//!   [`proxy`] — trusted reverse proxies and the client address they forward.
//! - [`service_error`] — the services' one error type.
//! - [`metrics`] — Prometheus counters, histograms and gauges, kept by the edges (requests)
//!   and the services (ingest outcomes, group commits), read from storage (pools) at a scrape.
//!
//! **Storage**:
//! - [`db`] — one module per concern, written once for both backends, with its own `DbError`.
#![forbid(unsafe_code)]

pub mod audit;
pub mod auth;
pub mod backup;
pub mod canonical;
pub mod catalog;
pub mod checklists;
pub mod cli;
pub mod comments;
pub mod config;
pub mod db;
pub mod demo;
pub mod devices;
pub mod entries;
pub mod error;
pub mod exports;
pub mod figures;
pub mod improvements;
pub mod ingest;
pub mod masking;
pub mod metrics;
pub mod nok_figures;
pub mod nsi;
pub mod observations;
pub mod orgs;
pub mod patch;
pub mod points;
pub mod posters;
pub mod proxy;
pub mod published;
pub mod pwa;
pub mod questionnaires;
pub mod rankings;
pub mod ratelimit;
pub mod routes;
pub mod service_error;
pub mod startup;
pub mod state;
pub mod stats;
pub mod telemetry;
pub mod trends;
pub mod users;
