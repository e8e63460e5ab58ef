#!/usr/bin/env bash
# Renders the main screens of the demo to docs/screenshots/*.png in headless Chromium (Debian's,
# driven by playwright-core; nothing downloaded): the dashboard's sign-in, the region's overview
# with its charts, a chart's table, an institution, every other dashboard section (ranking,
# НОК, comments, entry, points, tablets, management), and the citizen survey on a phone.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
scripts/build-pwa.sh
cargo build --locked -p otklik-server
OTKLIK_BIN="$PWD/target/debug/otklik" node e2e/screenshots.mjs
