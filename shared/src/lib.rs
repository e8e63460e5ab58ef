//! Types and maths that the Otklik server and the PWA both use.
//!
//! Everything here is pure (no I/O, no async, no database or browser types), so the same
//! validation and the same figures come out of the server, the PWA and the tests. It builds for
//! `wasm32-unknown-unknown` and natively.
//!
//! # Layout
//! - [`questionnaire`] — questionnaires, question kinds, skip and comment rules.
//! - [`answer`] — a response as sent over the wire, typed answer values, channels.
//! - [`validation`] — checks a response against its questionnaire; stable error codes.
//! - [`rollup`] — the rollup codec: count keys, packed counts, and the per-question figures of
//!   `/stats` from summed counts (server and dashboard alike).
//! - [`score`] — share of satisfied, NPS, yes-share, Wilson and NPS intervals, medians.
//! - [`nok`] — НОК indicators, criteria K1–K5 and the total, from counts and a methodology table.
//! - [`org`] — codes, org kinds, sectors, settlements, roles and org paths, with their nesting rules.
//! - [`access`] — the permission table (`Role × Action`) and the subtree scope rule.
//! - [`review`] — the comment loop: review statuses and lean losses, the public answer's limits.
//! - [`catalog`] — the built-in questionnaires, life situations and methodology, shipped as data.
//! - [`i18n`] — the interface strings of the citizen's screens, Russian (the contract's names) and English.
//! - [`api`] — request and response shapes of the HTTP API (`contract.md`) and the error envelope.
#![warn(missing_docs)]

pub mod access;
pub mod answer;
pub mod api;
pub mod catalog;
pub mod i18n;
pub mod nok;
pub mod nsi;
pub mod org;
pub mod questionnaire;
pub mod ranking;
pub mod review;
pub mod rollup;
pub mod score;
pub mod validation;
