#!/bin/bash
# The per-request cost of the metrics (docs/benchmarks.md «Metrics overhead»): two release
# binaries side by side, wrk alternating between them. Needs wrk (apt-get install wrk).
# Usage: bench-metrics.sh BASE_BIN NEW_BIN — alternates wrk runs on /healthz and an API 404.
set -e
BASE=$1; NEW=$2; D=$(mktemp -d)
$BASE serve --bind 127.0.0.1:18081 --database-url sqlite://$D/base.db >/dev/null 2>&1 & P1=$!
$NEW serve --bind 127.0.0.1:18082 --database-url sqlite://$D/new.db --metrics-bind 127.0.0.1:19464 >/dev/null 2>&1 & P2=$!
sleep 3
for path in /healthz /api/v1/no-such-route; do
  for round in 1 2 3; do
    for side in base:18081 new:18082; do
      r=$(wrk -t2 -c64 -d6s --latency http://127.0.0.1:${side#*:}$path | awk '/Requests\/sec/{print $2} /^ +99%/{print $2}' | tr '\n' ' ')
      echo "$path round $round ${side%%:*}: $r"
    done
  done
done
curl -s http://127.0.0.1:19464/metrics | grep -E 'http_requests_total' | head -5
kill $P1 $P2
