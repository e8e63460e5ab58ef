#!/usr/bin/env bash
# Installs, at pinned versions, whatever the build (and with --test, the tests) need and is not
# there yet. Idempotent: a second run only checks. Downloads only from crates.io, npm, PyPI and Debian
# (and from rustup's server when the pinned Rust is neither installed nor the installed stable).
#
#   scripts/setup.sh          # build tools: the pinned Rust (rust-toolchain.toml) with rustfmt,
#                             # clippy and the wasm32 target, otklik-bindgen, a Node check
#   scripts/setup.sh --test   # plus Node 20, Chromium + ChromeDriver (Debian), the document
#                             # readers the poster tests use (poppler-utils, zbar-tools,
#                             # librsvg2-bin), e2e npm packages, schemathesis (PyPI, pinned
#                             # with hashes) in target/schemathesis-venv, PostgreSQL reachable
set -euo pipefail
cd "$(dirname "$0")/.."

# The wasm-bindgen release the PWA pins; tools/bindgen speaks exactly that one.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' pwa/Cargo.toml)

say() { echo "setup: $*" >&2; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# The pinned toolchain first: until it exists, every cargo or rustc run in this directory fails
# (or, where rustup may download, installs it on the spot). Only `rustup run <name>` and
# `--toolchain <name>` are used below until it is there; they never read the toolchain file.
command -v rustup >/dev/null || { say "rustup is missing: install it (https://rustup.rs), then run this again"; exit 1; }
PINNED=$(sed -n 's/^channel = "\(.*\)"$/\1/p' rust-toolchain.toml)
release_of() { rustup run "$1" rustc -vV 2>/dev/null | sed -n 's/^release: //p'; }
toolchains() { rustup toolchain list | awk '{print $1}'; }
pinned=$(toolchains | grep -m1 "^$PINNED-" || true)
if [[ -n "$pinned" && "$(release_of "$pinned")" != "$PINNED" ]]; then
  say "toolchain $pinned runs rustc $(release_of "$pinned"), not $PINNED (a link to a toolchain updated since?):"
  say "remove it (rustup toolchain uninstall $pinned) and run this again"
  exit 1
fi
if [[ -z "$pinned" ]]; then
  for tc in $(toolchains); do
    [[ "$(release_of "$tc")" == "$PINNED" ]] || continue
    # The very release is installed under another name (stable): give it the pinned name, with
    # no download. Hard links, so a later `rustup update` of the original leaves this copy at
    # $PINNED (a symbolic link where hard links are impossible; the check above catches drift).
    host=$(rustup run "$tc" rustc -vV | sed -n 's/^host: //p')
    sysroot=$(rustup run "$tc" rustc --print sysroot)
    pinned="$PINNED-$host"
    dir="$(rustup show home)/toolchains/$pinned"
    say "naming the installed $tc (rustc $PINNED) $pinned, offline"
    cp -al "$sysroot/." "$dir.tmp" 2>/dev/null && mv "$dir.tmp" "$dir" \
      || { rm -rf "$dir.tmp"; ln -s "$sysroot" "$dir"; }
    break
  done
fi
if [[ -z "$pinned" ]]; then
  say "installing Rust $PINNED with rustfmt, clippy and the wasm32 target (rustup downloads it)"
  rustup toolchain install "$PINNED" --profile minimal --component rustfmt,clippy \
    --target wasm32-unknown-unknown \
    || { say "cannot install Rust $PINNED: on a machine without rustup's server, install stable $PINNED there and run this again"; exit 1; }
  pinned=$(toolchains | grep -m1 "^$PINNED-")
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed --toolchain "$pinned" | grep -q "^$component"; then
    say "adding $component to $pinned"
    rustup component add --toolchain "$pinned" "$component"
  fi
done
if ! rustup target list --installed --toolchain "$pinned" | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target to $pinned"
  rustup target add --toolchain "$pinned" wasm32-unknown-unknown
fi

# The bindgen step's tool, from tools/bindgen's committed lockfile (why not wasm-bindgen-cli
# itself: tools/bindgen/Cargo.toml). Built outside the project's target dir so a clean clone
# reuses the installed one.
if [[ "$(otklik-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]]; then
  say "installing otklik-bindgen (wasm-bindgen $WASM_BINDGEN_VERSION's glue generator; a few minutes, once)"
  if ! grep -qx "version = \"$WASM_BINDGEN_VERSION\"" tools/bindgen/Cargo.toml; then
    say "tools/bindgen is not for wasm-bindgen $WASM_BINDGEN_VERSION (pwa/Cargo.toml's pin): move its version, its wasm-bindgen-cli-support pin and its lockfile with the PWA's"
    exit 1
  fi
  build_dir=$(mktemp -d)
  CARGO_TARGET_DIR="$build_dir" cargo install --locked --force --path tools/bindgen
  rm -rf "$build_dir"
fi

node_major=$(node --version 2>/dev/null | sed -n 's/^v\([0-9]*\)\..*/\1/p')
node_help="Debian 13: apt-get install nodejs; Debian 12 and Ubuntu: NodeSource's nodejs 20 (https://deb.nodesource.com) or nvm install 20"
if [[ -z "$node_major" ]]; then
  say "Node.js is missing: the PWA build needs ≥ 18, the browser tests 20 ($node_help)"
  exit 1
fi
if (( node_major < 18 )); then
  say "Node.js $(node --version) is too old: the PWA build needs ≥ 18 ($node_help)"
  exit 1
fi

if [[ "${1:-}" == "--test" ]]; then
  if (( node_major != 20 )); then
    say "the browser tests need Node.js 20, this is $(node --version): \`node --test e2e/\` is written for it (from Node 21 on, its arguments are glob patterns and the runner behaves differently) ($node_help)"
    exit 1
  fi
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
  # schemathesis (scripts/schemathesis.sh), at the exact versions and hashes of its requirements
  # file, in a virtualenv of its own under target/: only the test step needs it.
  st_sum=$(sha256sum scripts/schemathesis/requirements.txt | cut -d' ' -f1)
  if [[ "$(cat target/schemathesis-venv/.otklik-requirements 2>/dev/null)" != "$st_sum" ]]; then
    command -v python3 >/dev/null || { say "python3 (≥ 3.10, with venv) is missing: apt-get install python3-venv"; exit 1; }
    say "installing schemathesis into target/schemathesis-venv (pip, hashes checked)"
    rm -rf target/schemathesis-venv
    python3 -m venv target/schemathesis-venv \
      || { say "python3 cannot make a virtualenv: apt-get install python3-venv"; exit 1; }
    target/schemathesis-venv/bin/pip install --quiet --disable-pip-version-check \
      --require-hashes --only-binary :all: -r scripts/schemathesis/requirements.txt
    echo "$st_sum" > target/schemathesis-venv/.otklik-requirements
  fi
  if ! command -v curl >/dev/null; then
    say "installing curl (scripts/schemathesis.sh starts its server and logs in with it)"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq curl >/dev/null
  fi
  # The database tests create and drop their own databases on TEST_POSTGRES_URL (any server, any
  # cluster name; the role needs CREATEDB), by default postgres@127.0.0.1:5432 with trust auth.
  pg_url="${TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  pg_shown=$(sed 's#://\([^:/@]*\):[^@]*@#://\1:***@#' <<<"$pg_url")
  pg_help="set TEST_POSTGRES_URL=postgres://USER:PASSWORD@HOST:PORT/DB (a role that may create databases),
  or run one on 127.0.0.1:5432 whose user postgres needs no password: apt-get install postgresql,
  then 'host all postgres 127.0.0.1/32 trust' above the other host lines of
  /etc/postgresql/<version>/<name>/pg_hba.conf and pg_ctlcluster <version> <name> restart; or docker run -d -p 127.0.0.1:5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16"
  command -v pg_isready >/dev/null && command -v psql >/dev/null \
    || { say "the PostgreSQL client tools are missing: apt-get install postgresql-client"; exit 1; }
  if ! pg_isready -q -d "$pg_url" && [[ -z "${TEST_POSTGRES_URL:-}" ]] && command -v pg_lsclusters >/dev/null; then
    # Debian's own clusters, whatever their names: start the one on port 5432.
    cluster=$(pg_lsclusters --no-header | awk '$3 == 5432 {print $1, $2; exit}')
    if [[ -n "$cluster" ]]; then
      say "PostgreSQL is not answering on 127.0.0.1:5432; starting the local cluster $cluster"
      # shellcheck disable=SC2086 # "version name", two arguments
      as_root pg_ctlcluster --skip-systemctl-redirect $cluster start || true
      for _ in $(seq 1 30); do pg_isready -q -d "$pg_url" && break; sleep 1; done
    fi
  fi
  if ! pg_isready -q -d "$pg_url"; then
    say "the tests need PostgreSQL, and nothing answers at $pg_shown: $pg_help"
    exit 1
  fi
  if ! psql -d "$pg_url" -Atqc 'select 1' >/dev/null 2>&1; then
    say "PostgreSQL at $pg_shown answers but refuses the login: $pg_help"
    exit 1
  fi
fi
