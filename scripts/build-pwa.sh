#!/usr/bin/env bash
# Builds the PWA into pwa/dist, which the server embeds. Idempotent; run from anywhere.
#
# Five bundles from the one crate: the citizen bundle (`/q/<point>`, …), whose first visit on
# mobile data has a hard size budget; the kiosk bundle (cargo feature `kiosk`), which the boot
# script loads only under `/kiosk`; and the officials' three, built without the citizen's survey
# (`--no-default-features`): the results (`dashboard`: overview, ranking, НОК, walk-throughs)
# under `/dashboard`, the work (`desk`: entry, points, tablets, management, НСИ data) and НСИ
# with the comment loop (`nsi`: the report, problem stages, comments and their review) under
# their sections' paths. So citizens download neither kiosk mode nor the officials' code, and each officials'
# bundle stays within its budget. The later builds change no dependency's features, so they
# recompile only otklik-pwa.
#
#   scripts/build-pwa.sh
#
# Needs: the wasm32-unknown-unknown target (rustup target add wasm32-unknown-unknown),
# otklik-bindgen for exactly the wasm-bindgen release the crate pins (wasm-bindgen's own glue
# generator, built from tools/bindgen's committed lockfile: cargo install --locked --path
# tools/bindgen; scripts/setup.sh does both), and Node ≥ 18. Downloads nothing itself. Honours
# CARGO_TARGET_DIR.
# No wasm-opt on purpose: Debian's binaryen (v108) produces modules that crash at start-up, and
# a correct one takes ~10 min to compile for ~1–2 % less brotli.
set -euo pipefail

cd "$(dirname "$0")/.."
target_dir="${CARGO_TARGET_DIR:-target}"
profile="wasm-release"
wasm="$target_dir/wasm32-unknown-unknown/$profile/otklik-pwa.wasm"
# One wasm-bindgen out dir per bundle under this one, which is postbuild's input.
bindgen_out="$target_dir/pwa-bindgen"

want=$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' pwa/Cargo.toml)
have=$(otklik-bindgen --version 2>/dev/null | awk '{print $2}') || true
if [[ -z "$have" ]]; then
  echo "build-pwa: otklik-bindgen not found; install it: cargo install --locked --path tools/bindgen" >&2
  exit 1
fi
if [[ "$have" != "$want" ]]; then
  echo "build-pwa: otklik-bindgen speaks wasm-bindgen $have, the crate pins $want (they must match exactly: reinstall it, or update tools/bindgen with the pin)" >&2
  exit 1
fi

# Machine-specific paths (in panic locations) are stripped from the wasm: a smaller bundle, and
# the same source gives byte-identical files, hence the same hashed names and no spurious
# service-worker update, on every machine. (Ignored by cargo when RUSTFLAGS is set.)
cargo_home="${CARGO_HOME:-$HOME/.cargo}"
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="--remap-path-prefix=$cargo_home/registry/src/= --remap-path-prefix=$PWD/= ${CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS:-}"

locked=()
if [[ -f Cargo.lock ]]; then locked=(--locked); fi
rm -rf "$bindgen_out"
# bundle <out dir and name> [cargo args…]: both builds write the same $wasm, so each is
# bindgen'd before the next build.
bundle() {
  local name="$1"
  shift
  cargo build "${locked[@]}" --profile "$profile" --target wasm32-unknown-unknown -p otklik-pwa "$@"
  otklik-bindgen "$wasm" "$bindgen_out/$name" "otklik-pwa-$name"
}
bundle citizen
bundle kiosk --features kiosk
bundle dashboard --no-default-features --features dashboard
bundle desk --no-default-features --features desk
bundle nsi --no-default-features --features nsi

node pwa/tools/postbuild.mjs "$bindgen_out" pwa/dist
