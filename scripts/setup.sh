#!/usr/bin/env bash
# Installs, at pinned versions, whatever the build (and with --test, the tests) need and is not
# there yet. Idempotent: a second run only checks. Downloads only from crates.io, npm and Debian.
#
#   scripts/setup.sh          # build tools: wasm32 target, wasm-bindgen-cli, Node check
#   scripts/setup.sh --test   # plus Chromium + ChromeDriver (Debian), the document readers the
#                             # poster tests use (poppler-utils, zbar-tools, librsvg2-bin), e2e npm
#                             # packages, PostgreSQL up
set -euo pipefail
cd "$(dirname "$0")/.."

WASM_BINDGEN_VERSION=0.2.130   # must equal the `wasm-bindgen = "=…"` pin in pwa/Cargo.toml

say() { echo "setup: $*" >&2; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

command -v cargo >/dev/null || { say "Rust is missing: install it with rustup (https://rustup.rs)"; exit 1; }
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
if [[ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes, once)"
  # Not --locked: its lockfile pins a webpki-roots version the registry has yanked.
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi
command -v node >/dev/null || { say "Node.js ≥ 18 is missing (apt-get install nodejs)"; exit 1; }

if [[ "${1:-}" == "--test" ]]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian's chromium and chromium-driver"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  # Real readers for the QR and poster tests: pdftotext/pdffonts/pdftoppm, zbarimg, rsvg-convert.
  if ! command -v pdftotext >/dev/null || ! command -v pdffonts >/dev/null \
      || ! command -v pdftoppm >/dev/null || ! command -v zbarimg >/dev/null \
      || ! command -v rsvg-convert >/dev/null; then
    say "installing Debian's poppler-utils, zbar-tools and librsvg2-bin"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq poppler-utils zbar-tools librsvg2-bin >/dev/null
  fi
  # The export tests read stats.xlsx through headless LibreOffice and responses.sqlite through
  # the sqlite3 shell: real readers, not our own code.
  if ! command -v soffice >/dev/null || ! command -v sqlite3 >/dev/null; then
    say "installing LibreOffice Calc (headless) and the sqlite3 shell"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq libreoffice-calc-nogui sqlite3 >/dev/null
  fi
  lock_sum=$(sha256sum e2e/package-lock.json | cut -d' ' -f1)
  if [[ "$(cat e2e/node_modules/.otklik-lock 2>/dev/null)" != "$lock_sum" ]]; then
    say "installing e2e packages (npm ci)"
    (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
    echo "$lock_sum" > e2e/node_modules/.otklik-lock
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    say "PostgreSQL is not answering on 127.0.0.1:5432; trying to start the local cluster"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    pg_isready -h 127.0.0.1 -p 5432 || { say "PostgreSQL is required by the tests (127.0.0.1:5432, user postgres)"; exit 1; }
  fi
fi
