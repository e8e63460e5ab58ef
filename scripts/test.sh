#!/usr/bin/env bash
# The one command that runs every test: formatting, lints (native and wasm), unit and
# integration tests on SQLite and PostgreSQL, then the headless-Chromium browser tests against
# the real binary with the embedded PWA: all on SQLite, those whose server is stopped, killed or
# restarted under a page on PostgreSQL too.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test

step() { echo; echo "== $* =="; }

step "format"
cargo fmt --all -- --check

step "PWA build"
scripts/build-pwa.sh

step "lints"
cargo clippy --locked --all-targets -- -D warnings
cargo clippy --locked -p otklik-pwa --target wasm32-unknown-unknown -- -D warnings
cargo clippy --locked -p otklik-pwa --target wasm32-unknown-unknown --features kiosk -- -D warnings
cargo clippy --locked -p otklik-pwa --target wasm32-unknown-unknown --no-default-features --features dashboard -- -D warnings
cargo clippy --locked -p otklik-pwa --target wasm32-unknown-unknown --no-default-features --features desk -- -D warnings
cargo clippy --locked -p otklik-pwa --target wasm32-unknown-unknown --no-default-features --features nsi -- -D warnings
# Everything together: where dead code in any bundle's modules shows.
cargo clippy --locked -p otklik-pwa --target wasm32-unknown-unknown --features kiosk,dashboard,desk,nsi -- -D warnings

step "Rust tests (SQLite and PostgreSQL)"
cargo test --locked

step "PWA unit tests (host)"
# With every feature: every test, the kiosk's and both officials' bundles' included.
cargo test --locked -p otklik-pwa --lib --features kiosk,dashboard,desk,nsi

step "schemathesis against the served OpenAPI document (SQLite, about 3 minutes)"
# The binary `cargo test` built, fuzzed through every operation of its own document with an
# admin token: no 5xx, no panic, every status and body as documented (scripts/schemathesis.sh).
scripts/schemathesis.sh

step "browser tests (headless Chromium, SQLite)"
# `cargo test` above built target/debug/otklik for the integration tests; the browser tests
# drive that same binary (a separate `cargo build` would resolve features without the
# dev-dependencies and recompile half the tree).
test -x target/debug/otklik || cargo build --locked -p otklik-server
OTKLIK_E2E_DATABASE=sqlite OTKLIK_BIN="$PWD/target/debug/otklik" node --test e2e/

step "browser tests (headless Chromium, PostgreSQL): outbox, kiosk"
# The same binary, each server on a fresh database on TEST_POSTGRES_URL, dropped with it
# (e2e/helpers/server.mjs). These two files because their promises rest on the database: the
# queue delivered exactly once across a stop and a `kill -9` of the server, the kiosk's
# sequence numbers gap-free, its device enrolled with a code the CLI writes to the database.
OTKLIK_E2E_DATABASE=postgres OTKLIK_BIN="$PWD/target/debug/otklik" node --test e2e/outbox.test.mjs e2e/kiosk.test.mjs
