#!/usr/bin/env bash
# The PWA's first visit over a real, shaped network (issue 17): TCP, TLS 1.3 and HTTP/2 paid.
#
#   sudo scripts/bench-first-visit.sh [runs=5]
#
# Needs root (network namespaces), nginx (Debian's nginx-light: TLS 1.3 and HTTP/2), openssl,
# curl, ethtool, python3, Debian's Chromium, Node and e2e/node_modules, and target/debug/otklik
# (OTKLIK_BIN overrides; a debug build serves the pwa/dist it was built from) with the PWA built.
#
# The set-up, torn down at exit (trap), whatever happens:
# - three network namespaces in a row: the root one (the browser), `otklik-fv-link` (the
#   shaped link) and `otklik-fv` (the server), joined by two veth pairs: `fv-host` 10.77.0.1 ↔
#   `fv-a` and `fv-b` ↔ `fv-ns` 10.77.0.2;
# - in `otklik-fv`, `otklik serve --demo` on its loopback (127.0.0.1:8080, a fresh SQLite
#   database) behind nginx on 10.77.0.2: port 443 with TLS 1.3 only and HTTP/2, as a real
#   deployment would be (a self-signed P-256 certificate for `otklik.test`, made here with
#   openssl), and port 80 with plain HTTP/1.1 (the baseline: same page, same link, no TLS);
# - the link shaped to Fast 3G by scripts/fv-link.py in `otklik-fv-link`, which does what
#   `tc qdisc … netem delay 281.25ms rate …` on each side would (this VM's kernel has no
#   sch_netem): 281.25 ms each way, so a round trip is 562.5 ms as in DevTools' preset, 1.6 Mbit/s
#   down and 750 kbit/s up, each direction serialised on its own; no loss. Offloads are off on
#   the four interfaces, so every frame is a real packet of at most 1,500 bytes: Linux's initial
#   congestion window (10 segments, ≈ 14 KB) and slow start are paid as on a real link;
# - Chromium in the root namespace, a new browser (fresh profile) per visit, QUIC off, the
#   certificate accepted by its key's hash (`--ignore-certificate-errors-spki-list`, so the
#   handshake is the real one and the origin is secure for the service worker), `otklik.test`
#   mapped to 10.77.0.2 by `--host-resolver-rules` (a hosts entry: no DNS lookup is paid),
#   no CDP network emulation (the link is shaped), the CPU slowed 4× by CDP.
# Then e2e/bench-pwa-tls.mjs alternates three first visits per run — HTTPS over the shaped
# link, plain HTTP over it, and the old figure (loopback HTTP with DevTools' Fast 3G emulation,
# a server of its own) — and prints medians and a Markdown table.
set -euo pipefail

cd "$(dirname "$0")/.."
runs="${1:-5}"
ns=otklik-fv
link_ns=otklik-fv-link
host_if=fv-host
ns_if=fv-ns
host_ip=10.77.0.1
ns_ip=10.77.0.2
name=otklik.test
bin="${OTKLIK_BIN:-target/debug/otklik}"

if [[ $EUID -ne 0 ]]; then
  echo "bench-first-visit: needs root (ip netns, tc)" >&2
  exit 1
fi
for tool in nginx openssl ip ethtool python3 curl node; do
  command -v "$tool" >/dev/null || { echo "bench-first-visit: $tool not found" >&2; exit 1; }
done
[[ -x "$bin" ]] || { echo "bench-first-visit: $bin not built (cargo build -p otklik-server)" >&2; exit 1; }
bin="$(realpath "$bin")"

work="$(mktemp -d /tmp/otklik-fv.XXXXXX)"
# nginx's workers (www-data) buffer large responses in temp files under it.
chmod 755 "$work"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  ip link del "$host_if" 2>/dev/null || true
  ip netns del "$ns" 2>/dev/null || true
  ip netns del "$link_ns" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$ns"
ip netns add "$link_ns"
ip link add "$host_if" type veth peer name fv-a netns "$link_ns"
ip -n "$link_ns" link add fv-b type veth peer name "$ns_if" netns "$ns"
# No IPv6 chatter (router solicitations, MLD) on the link: only the visit's own packets.
sysctl -qw "net.ipv6.conf.$host_if.disable_ipv6=1"
ip netns exec "$ns" sysctl -qw "net.ipv6.conf.$ns_if.disable_ipv6=1"
for i in fv-a fv-b; do ip netns exec "$link_ns" sysctl -qw "net.ipv6.conf.$i.disable_ipv6=1"; done
# Every frame a real packet: no checksum or segmentation offload for the relay to trip on.
ethtool -K "$host_if" tx off tso off gso off gro off >/dev/null
ip netns exec "$ns" ethtool -K "$ns_if" tx off tso off gso off gro off >/dev/null
for i in fv-a fv-b; do ip netns exec "$link_ns" ethtool -K "$i" tx off tso off gso off gro off >/dev/null; done
ip addr add "$host_ip/30" dev "$host_if"
ip link set "$host_if" up
ip -n "$ns" addr add "$ns_ip/30" dev "$ns_if"
ip -n "$ns" link set "$ns_if" up
ip -n "$ns" link set lo up
ip -n "$link_ns" link set fv-a up
ip -n "$link_ns" link set fv-b up
# Fast 3G: 281.25 ms each way (562.5 ms a round trip), 750 kbit/s up, 1.6 Mbit/s down.
ip netns exec "$link_ns" python3 -u scripts/fv-link.py fv-a fv-b 281.25 750000 1600000 >"$work/link.log" 2>&1 &
pids+=($!)

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 \
  -subj "/CN=$name" -addext "subjectAltName=DNS:$name" \
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
spki="$(openssl x509 -in "$work/cert.pem" -pubkey -noout | openssl pkey -pubin -outform der |
  openssl dgst -sha256 -binary | base64)"

cat >"$work/nginx.conf" <<CONF
daemon off;
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log;
events {}
http {
  access_log off;
  client_body_temp_path $work/body;
  proxy_temp_path $work/proxy;
  upstream otklik {
    server 127.0.0.1:8080;
    keepalive 8;
    # Below the server's own keep-alive (5 s), so nginx never reuses a connection it is closing.
    keepalive_timeout 4s;
  }
  server {
    listen $ns_ip:443 ssl http2;
    server_name $name;
    ssl_certificate $work/cert.pem;
    ssl_certificate_key $work/key.pem;
    ssl_protocols TLSv1.3;
    location / {
      proxy_pass http://otklik;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
    }
  }
  server {
    listen $ns_ip:80;
    server_name $name;
    location / {
      proxy_pass http://otklik;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
    }
  }
}
CONF

(cd "$work" && exec ip netns exec "$ns" "$bin" serve --demo --bind 127.0.0.1:8080 \
  --database-url "sqlite://$work/fv.db" --anon-rate-limit 0 --public-url "https://$name" \
  >"$work/otklik.log" 2>&1) &
pids+=($!)
ip netns exec "$ns" nginx -c "$work/nginx.conf" -p "$work" >"$work/nginx.log" 2>&1 &
pids+=($!)

for _ in $(seq 120); do
  ip netns exec "$ns" curl -sf -o /dev/null http://127.0.0.1:8080/healthz && break
  sleep 0.5
done
ip netns exec "$ns" curl -sf -o /dev/null http://127.0.0.1:8080/healthz ||
  { echo "bench-first-visit: otklik did not start" >&2; cat "$work/otklik.log" >&2; exit 1; }

# The first response as a client sees it over the shaped link (warm-up, and a check that
# TLS 1.3 and HTTP/2 are what is negotiated).
curl -s -o /dev/null --http2 --tlsv1.3 -k --compressed --resolve "$name:443:$ns_ip" \
  -w 'check: %{http_version} over %{scheme}, first response %{size_header} B headers + %{size_download} B body, %{time_total} s\n' \
  "https://$name/q/mfc-center-1"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

FV_HOST="$name" FV_IP="$ns_ip" FV_SPKI="$spki" FV_IFACE="$host_if" node e2e/bench-pwa-tls.mjs "$runs"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
