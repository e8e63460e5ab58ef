//! The Otklik server: HTTP API, storage on SQLite or PostgreSQL, the CLI, and the embedded PWA.
//!
//! # Layout
//! - [`cli`] — the `otklik` command line (`serve`, `user add`, `org add|import`, `point add`,
//!   `backup`, `audit verify`).
//! - [`config`] — settings of `serve`.
//! - [`startup`] — building the app state and the HTTP server; graceful shutdown.
//! - [`routes`] — HTTP handlers, one module per area; [`body`] reads bodies within the limit.
//! - [`error`] — the API error type and its JSON envelope.
//! - [`auth`] — argon2id passwords, JWT tokens, the `Caller` extractor and scope checks.
//! - [`ingest`] — batch ingest rules; [`canonical`] — payload hashing for idempotency.
//! - [`stats`] — figures from rollup counts.
//! - [`orgs`], [`points`] — adding orgs, points and users with their rules.
//! - [`catalog`] — published questionnaires in memory.
//! - [`ratelimit`] — the anonymous rate limit.
//! - [`audit`] — verification of the hash-chained response log; [`backup`] — consistent copies.
//! - [`devices`] — kiosk enrolment codes, device tokens, sequence gaps.
//! - [`demo`] — the demo data set.
//! - [`static_files`] — serving the PWA; [`telemetry`] — logs without personal data.
//! - [`db`] — storage, one module per concern, written once for both backends.
#![forbid(unsafe_code)]

pub mod audit;
pub mod auth;
pub mod backup;
pub mod body;
pub mod canonical;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod db;
pub mod demo;
pub mod devices;
pub mod error;
pub mod ingest;
pub mod orgs;
pub mod points;
pub mod ratelimit;
pub mod routes;
pub mod startup;
pub mod static_files;
pub mod stats;
pub mod telemetry;
