#!/bin/bash
# Performance as users meet it (docs/benchmarks.md, issue 17): one run against a release binary.
#   scripts/bench-load.sh [BIN]        BIN defaults to target/release/otklik
# Env: DUR (seconds per wrk run, 10), ROUNDS (alternating rounds, 3), COLD_RUNS (21),
#      BIG_DB (an existing larger SQLite file for a second cold-start figure; copied, not changed),
#      PG_URL (a role that may create databases; unset skips PostgreSQL),
#      e.g. PG_URL=postgres://postgres@127.0.0.1:5432/postgres.
# Needs wrk (apt-get install wrk), sqlite3, python3; psql for PostgreSQL.
#
# On SQLite, in one server process: the /healthz ceiling and single-response POSTs, each with
# 200 keep-alive connections, alternating; then the ODK Central shape (500 connections, one
# response per request, a new connection per request); the stored count checked against the
# `created` results wrk counted; the server's RSS sampled every 0.2 s and its VmHWM. Then the
# cold start (spawn to first 200 on /healthz). Then, if PG_URL is set, the single-response load
# on PostgreSQL. Every POST is a fresh valid response (scripts/bench-load/single.lua) whose
# X-Forwarded-For names an address of its own: the server trusts loopback as a proxy here, so
# the anonymous rate limiter runs on every request at its default (30 per address and point
# per minute) and never binds, as for phones that each have their own address.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BIN=$(realpath "${1:-target/release/otklik}")
DUR=${DUR:-10}
ROUNDS=${ROUNDS:-3}
COLD_RUNS=${COLD_RUNS:-21}
LUA=$HERE/bench-load/single.lua
PORT=18090
MPORT=19490
D=$(mktemp -d)
BASE=http://127.0.0.1:$PORT
# Each wrk run's ids start with a number of its own: the epoch time times 64 plus a counter.
RUN=$(( $(date +%s) * 64 ))
SERVER=
SAMPLER=
cleanup() {
  [ -n "$SAMPLER" ] && kill "$SAMPLER" 2>/dev/null || true
  [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null || true
  rm -rf "$D"
}
trap cleanup EXIT

load() { sed 's/ [0-9]*\/.*//' /proc/loadavg; }
note() { echo "[$(date -u +%H:%M:%S) load $(load)] $*"; }

# serve URL [extra flags…]: starts the server and waits for /healthz.
serve() {
  "$BIN" serve --bind 127.0.0.1:$PORT --database-url "$1" --trusted-proxy 127.0.0.1/32 \
    --metrics-bind 127.0.0.1:$MPORT "${@:2}" >"$D/server.log" 2>&1 &
  SERVER=$!
  for _ in $(seq 600); do
    curl -sf -o /dev/null $BASE/healthz && return 0
    sleep 0.1
  done
  echo "server did not start"; cat "$D/server.log"; exit 1
}
stop() {
  kill "$SAMPLER" 2>/dev/null || true; SAMPLER=
  kill "$SERVER"; wait "$SERVER" || true; SERVER=
}

# Sample VmRSS (kB) every 0.2 s into $D/rss.
sample_rss() {
  while [ -r /proc/$SERVER/status ]; do
    awk '/^VmRSS/{print $2}' /proc/$SERVER/status
    sleep 0.2
  done >"$D/rss" 2>/dev/null &
  SAMPLER=$!
}
rss_report() {
  sort -n "$D/rss" | awk '{a[NR]=$1} END {printf "RSS sampled %d times: median %.1f MB, max %.1f MB\n", NR, a[int((NR+1)/2)]/1024, a[NR]/1024}'
  awk '/^VmHWM/{printf "VmHWM (peak RSS since start) %.1f MB\n", $2/1024}' /proc/$SERVER/status
  # What the last sample holds: the heaps, the binary's own pages, transparent huge pages.
  awk '/^(RssAnon|RssFile):/{printf "%s %.1f MB, ", $1, $2/1024}' /proc/$SERVER/status
  awk '/^AnonHugePages:/{printf "%s %.1f MB\n", $1, $2/1024}' /proc/$SERVER/smaps_rollup
}

# wrk_run CONNS PATH [wrk args…]: one run, one summary line.
wrk_run() {
  local c=$1 path=$2; shift 2
  # The URL before the options: what follows `--` goes to the Lua script.
  wrk -t2 -c"$c" -d"${DUR}s" --timeout 10s --latency "$BASE$path" "$@" >"$D/wrk" 2>&1 || true
  awk -v c="$c" -v p="$path" '
    /Requests\/sec/ {rps=$2}
    /^ +50%/ {p50=$2} /^ +99%/ {p99=$2}
    /Non-2xx/ {non2xx=$NF}
    /Socket errors/ {sock=$0; sub(/.*errors: /, "", sock)}
    /^created/ {cr=$2} /^not_created/ {nc=$2}
    END {printf "%-18s c=%d: %s req/s, p50 %s, p99 %s, non-2xx %s, socket errors [%s]%s\n",
      p, c, rps, p50, p99, non2xx+0, sock ? sock : "none",
      cr != "" ? sprintf(", created %d, not created %d", cr, nc) : ""}' "$D/wrk"
  CREATED=$(awk '/^created/{print $2}' "$D/wrk")
  MADE=$(awk '/^made/{print $2}' "$D/wrk")
}

# Stored responses (count via the database's own client).
count() {
  case $1 in
    sqlite://*) sqlite3 "${1#sqlite://}" 'select count(*) from responses' ;;
    *) psql -tA "$1" -c 'select count(*) from responses' ;;
  esac
}

# The stored count once the requests in flight when wrk stopped have been committed: unchanged
# over half a second.
settled() {
  local last now
  last=$(count "$1")
  while sleep 0.5; now=$(count "$1"); [ "$now" != "$last" ]; do last=$now; done
  echo "$now"
}

# posts URL CONNS ROUNDS [wrk args…]: single-response POST rounds, each checked against the
# stored count.
posts() {
  local url=$1 c=$2 rounds=$3; shift 3
  for r in $(seq "$rounds"); do
    local before after
    before=$(settled "$url")
    note "round $r"
    RUN=$((RUN + 1))
    wrk_run "$c" /api/v1/responses -s "$LUA" "$@" -- mfc-center-1 "$RUN"
    after=$(settled "$url")
    # Requests still in flight when wrk stops may be stored without wrk seeing the reply.
    local verdict=ok
    [ $((after - before)) -ge "${CREATED:-0}" ] && [ $((after - before)) -le "${MADE:-0}" ] || verdict=MISMATCH
    echo "  stored $((after - before)): wrk saw ${CREATED:-?} created of ${MADE:-?} requests made ($verdict: created <= stored <= made)"
  done
}

group_sizes() {
  curl -s http://127.0.0.1:$MPORT/metrics | awk '
    /^otklik_group_commit_items_sum/ {s=$2} /^otklik_group_commit_items_count/ {n=$2}
    END {if (n) printf "group commit since start: %d groups, %.1f items per group on average\n", n, s/n}'
}

echo "== $(date -u '+%F %T') UTC, $(nproc) cores, commit $(git -C "$HERE" rev-parse --short HEAD 2>/dev/null || echo ?), load $(load)"
DB=sqlite://$D/load.db
serve "$DB" --demo
echo "demo loaded: $(count "$DB") responses"
sample_rss
note "warm-up"
DUR=3 wrk_run 200 /api/v1/responses -s "$LUA" -- mfc-center-1 "$((RUN += 1))" >/dev/null

echo "== SQLite: /healthz ceiling and single-response POSTs, 200 keep-alive connections, alternating"
for r in $(seq "$ROUNDS"); do
  note "round $r"
  wrk_run 200 /healthz
  posts "$DB" 200 1
done
rss_report
group_sizes

echo "== SQLite: the ODK Central shape, 500 connections, one response per request, a new connection each"
posts "$DB" 500 "$ROUNDS" -H "Connection: close"
echo "== SQLite: 500 keep-alive connections"
posts "$DB" 500 1
rss_report
echo "stored in all: $(count "$DB")"
stop

echo "== cold start, $COLD_RUNS runs, on this database ($(du -h "${DB#sqlite://}" | cut -f1), $(count "$DB") responses)"
note "cold start"
python3 "$HERE/bench-load/coldstart.py" "$COLD_RUNS" "$BIN" "$DB" $PORT
if [ -n "${BIG_DB:-}" ]; then
  cp "$BIG_DB" "$D/big.db"
  echo "== cold start on a copy of $BIG_DB ($(du -h "$D/big.db" | cut -f1), $(count "sqlite://$D/big.db") responses)"
  note "cold start, large"
  python3 "$HERE/bench-load/coldstart.py" "$COLD_RUNS" "$BIN" "sqlite://$D/big.db" $PORT
fi

if [ -n "${PG_URL:-}" ]; then
  name=otklik_load_$$
  psql -q "$PG_URL" -c "create database $name"
  PG=${PG_URL%/*}/$name
  echo "== PostgreSQL (for information): single-response POSTs, 200 keep-alive connections"
  serve "$PG" --demo
  sample_rss
  DUR=3 wrk_run 200 /api/v1/responses -s "$LUA" -- mfc-center-1 "$((RUN += 1))" >/dev/null
  for r in $(seq "$ROUNDS"); do
    note "round $r"
    wrk_run 200 /healthz
    posts "$PG" 200 1
  done
  rss_report
  group_sizes
  stop
  psql -q "$PG_URL" -c "drop database $name"
fi
note "done"
