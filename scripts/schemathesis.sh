#!/usr/bin/env bash
# Hostile input against the served OpenAPI document: schemathesis (pinned in
# scripts/schemathesis/requirements.txt, installed by `scripts/setup.sh --test` into
# target/schemathesis-venv) generates requests for every operation of
# `GET /api/v1/openapi.json`, valid and invalid, with an admin token, and fails on any 5xx, any
# status or body the document does not declare, and the other checks that
# scripts/schemathesis/schemathesis.toml leaves on (it lists, with the reason, each one it turns
# off where the server answers as designed).
#
#   scripts/schemathesis.sh                      # after `cargo test`, which builds target/debug/otklik
#   SCHEMATHESIS_SEED=7 scripts/schemathesis.sh  # another seed (default 1: the same requests each run)
#
# The server: target/debug/otklik on a fresh SQLite database with the demo data, on a free
# loopback port, with `--anon-rate-limit 0` (the generator sends hundreds of anonymous responses a
# minute from one address: with the limiter on, most would be 429 and the handlers behind it
# untested). The login throttle stays on: the run logs in once, before fuzzing, and the fuzzed
# logins are random names that never reach a budget of the admin's.
#
# Each failure prints the request as a curl command (the token shown as `[Filtered]`: any admin
# token of the demo, `admin` / `otklik-admin`, reproduces it); the JUnit report and the server's
# log are kept in target/schemathesis-report.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=target/schemathesis-venv
BIN=${OTKLIK_BIN:-target/debug/otklik}
REPORT=target/schemathesis-report
SEED=${SCHEMATHESIS_SEED:-1}
# A hard bound on the whole run, over the bound that max-examples sets (about 3 minutes on the
# 2-core machine, 7 while a clippy build shared it): a hang fails the step instead of stalling CI.
TIME_LIMIT=${SCHEMATHESIS_TIME_LIMIT:-600}

say() { echo "schemathesis: $*" >&2; }
[[ -x "$VENV/bin/schemathesis" ]] || { say "$VENV is missing: run scripts/setup.sh --test"; exit 1; }
[[ -x "$BIN" ]] || { say "$BIN is missing: cargo build --locked -p otklik-server"; exit 1; }
PY="$VENV/bin/python"

work=$(mktemp -d)
server=""
cleanup() {
  if [[ -n "$server" ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
rm -rf "$REPORT"
mkdir -p "$REPORT"

# A free port: bound by the kernel, read, released (the integration tests' way).
port=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
url="http://127.0.0.1:$port"
env -u OTKLIK_DATABASE_URL OTKLIK_LOG_FORMAT=json "$BIN" serve --bind "127.0.0.1:$port" \
  --database-url "sqlite://$work/otklik.db" --demo --anon-rate-limit 0 \
  >/dev/null 2>"$REPORT/server.log" &
server=$!
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "$url/healthz" 2>/dev/null && break
  kill -0 "$server" 2>/dev/null || { say "the server exited:"; cat "$REPORT/server.log" >&2; exit 1; }
  sleep 0.5
done
curl -fsS -o /dev/null "$url/healthz" || { say "the server did not answer /healthz in 60 s"; exit 1; }

json_field() { "$PY" -c "import json, sys; print(json.load(sys.stdin)$1)"; }
token=$(curl -fsS -X POST "$url/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"login": "admin", "password": "otklik-admin"}' | json_field '["token"]')
auth=(-H "Authorization: Bearer $token")
# The account `PATCH /api/v1/users/{login}` is pointed at (schemathesis.toml): a password change
# or a disabled account ends every token of that account, and the run's own must outlive it.
curl -fsS -o /dev/null -X POST "$url/api/v1/users" "${auth[@]}" -H 'Content-Type: application/json' \
  -d '{"login": "fuzz-target", "password": "fuzz-target-password", "role": "operator", "scope": "demo"}'

say "fuzzing $url (seed $SEED, at most ${TIME_LIMIT}s)"
started=$(date +%s)
status=0
OTKLIK_FUZZ_TOKEN=$token timeout --signal=INT --kill-after=30 "$TIME_LIMIT" \
  "$VENV/bin/schemathesis" --config-file scripts/schemathesis/schemathesis.toml \
  run "$url/api/v1/openapi.json" --url "$url" --seed "$SEED" \
  --report junit --report-junit-path "$REPORT/junit.xml" --no-color \
  || status=$?
elapsed=$(( $(date +%s) - started ))

# The run must have been made as admin to the end: a token refused midway would leave the rest
# of the run testing only the 401 path.
after=$(curl -sS -o /dev/null -w '%{http_code}' "${auth[@]}" "$url/api/v1/users")
[[ "$after" == 200 ]] || { say "the admin token is refused after the run ($after): the run lost its session"; status=1; }
kill -0 "$server" 2>/dev/null || { say "the server died during the run"; status=1; }

# The server's own count, by status, of the API requests it answered (its JSON log), and every
# 5xx it answered on any path (schemathesis checks only the operations of the document; its own
# probe, an odd path before the run, goes elsewhere), and every panic (a handler that panics
# answers nothing: the connection is closed).
"$PY" - "$REPORT/server.log" "$elapsed" <<'EOF' || status=1
import collections, json, sys
statuses = collections.Counter()
server_errors = []
for line in open(sys.argv[1], encoding="utf-8"):
    if " panicked at " in line:
        server_errors.append(line.strip())
    try:
        fields = json.loads(line).get("fields", {})
    except ValueError:
        continue
    if fields.get("message") == "request":
        statuses[fields["status"]] += 1
        if fields["status"] >= 500:
            server_errors.append(f"{fields['method']} {fields['path']} -> {fields['status']}")
total = sum(statuses.values())
by_status = ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items()))
print(f"schemathesis: the server answered {total} API requests in {sys.argv[2]} s, "
      f"{len(server_errors)} with 5xx or a panic ({by_status})")
for error in server_errors:
    print(f"schemathesis: 5xx or panic: {error}")
sys.exit(1 if server_errors else 0)
EOF
if (( status != 0 )); then
  say "failed (exit $status): each failure above ends with the curl that reproduces it; the server log is $REPORT/server.log"
fi
exit "$status"
