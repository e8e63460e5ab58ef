#!/usr/bin/env bash
# The one command that runs the product: installs missing pinned tools, builds the PWA and the
# server (release), and serves on http://127.0.0.1:8080 with the demo data on embedded SQLite.
# Extra arguments go to `otklik serve` (e.g. --bind 0.0.0.0:8080 --public-url https://…).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-pwa.sh
cargo build --locked --release -p otklik-server
exec target/release/otklik serve --demo "$@"
