//! Integration tests of the Otklik server: one binary, each storage-touching test run on SQLite
//! and on PostgreSQL (`sqlite_…` / `postgres_…`). PostgreSQL is required: set
//! `TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`); the tests create
//! and drop their own `otklik_test_<uuid>` databases. `TEST_LOG=1` shows the server's logs.
#![forbid(unsafe_code)]

mod helpers;

mod admin_orgs;
mod admin_points;
mod admin_users;
mod auth;
mod cli;
mod comment_loop;
mod comments;
mod crash_storm;
mod data;
mod demo;
mod devices;
mod entries;
mod exports;
mod golden;
mod group_commit;
mod headers;
mod hostile;
mod idempotency;
mod ingest;
mod integrity;
mod metrics;
mod migrations;
mod nok;
mod nsi;
mod observations;
mod posters;
mod privacy;
mod process;
mod public;
mod questionnaires;
mod rankings;
mod ratelimit;
mod reported_time;
mod scope;
mod shutdown;
mod slow_clients;
mod stats;
