// The first visit to /q/<point> over a shaped link with TCP, TLS 1.3 and HTTP/2 paid, for
// docs/benchmarks.md («PWA», issue 17). Run through scripts/bench-first-visit.sh, which builds
// the network namespace, the shaped link, nginx and the server, and sets:
//   FV_HOST  the server's name (mapped to FV_IP, no DNS lookup), FV_IP its address,
//   FV_SPKI  the base64 SHA-256 of its certificate's key (Chromium accepts exactly that key),
//   FV_IFACE the root side of the link, whose counters give the bytes on the wire.
//
//   node e2e/bench-pwa-tls.mjs [runs=5]
//
// Each run makes three first visits, in turn, each in a new browser (a fresh profile: no HTTP
// cache, no service worker, no TLS session to resume, no open connection), CPU slowed 4×:
// - `https`: https://FV_HOST/q/<point> through the shaped link (no CDP network emulation);
// - `http`: the same page over plain HTTP/1.1 through the same link, so the TLS cost shows as
//   the difference;
// - `cdp`: the figure e2e/bench-pwa.mjs reports, a server of its own on loopback HTTP with
//   DevTools' Fast 3G emulation, which adds latency per request but pays no handshake.
// For each, what e2e/helpers/first-visit.mjs measures (time to the first usable question, to
// the app taking over, CDP bytes incl. the service worker's, the first response's bytes), and
// for the shaped link the bytes that crossed it each way (the interface's counters: IP, TCP
// and TLS overhead included, the handshakes too).
import { readFileSync } from "node:fs";

import { launch, phone } from "./helpers/browser.mjs";
import { FAST_3G, firstVisit, median } from "./helpers/first-visit.mjs";
import { startServer } from "./helpers/server.mjs";

const RUNS = Number(process.argv[2] ?? 5);
const POINT = "mfc-center-1";
const { FV_HOST, FV_IP, FV_SPKI, FV_IFACE } = process.env;
if (!FV_HOST || !FV_IP || !FV_SPKI || !FV_IFACE) {
  console.error("bench-pwa-tls: run it through scripts/bench-first-visit.sh (FV_* unset)");
  process.exit(2);
}
const SHAPED_ARGS = [
  `--host-resolver-rules=MAP ${FV_HOST} ${FV_IP}`,
  `--ignore-certificate-errors-spki-list=${FV_SPKI}`,
  // Service workers need a secure context; this makes the plain-HTTP baseline one too.
  `--unsafely-treat-insecure-origin-as-secure=http://${FV_HOST}`,
];

const counter = (name) => Number(readFileSync(`/sys/class/net/${FV_IFACE}/statistics/${name}`, "utf8"));

async function visit(url, { args = [], network } = {}) {
  const browser = await launch(args);
  try {
    const context = await phone(browser);
    const [down, up] = [counter("rx_bytes"), counter("tx_bytes")];
    const result = await firstVisit(context, url, { network, cpu: 4 });
    await context.close();
    return { ...result, wireDown: counter("rx_bytes") - down, wireUp: counter("tx_bytes") - up };
  } finally {
    await browser.close();
  }
}

const loopback = await startServer();
const modes = {
  https: () => visit(`https://${FV_HOST}/q/${POINT}`, { args: SHAPED_ARGS }),
  http: () => visit(`http://${FV_HOST}/q/${POINT}`, { args: SHAPED_ARGS }),
  cdp: () => visit(`${loopback.url}/q/${POINT}`, { network: FAST_3G }),
};
const runs = Object.fromEntries(Object.keys(modes).map((m) => [m, []]));
try {
  for (let i = 0; i < RUNS; i++) {
    for (const [mode, go] of Object.entries(modes)) {
      const r = await go();
      runs[mode].push(r);
      console.error(`run ${i + 1} ${mode}: ${JSON.stringify(r)}`);
    }
  }
} finally {
  await loopback.stop();
}

const summary = Object.fromEntries(
  Object.entries(runs).map(([mode, rs]) => {
    const of = (key) => median(rs.map((r) => r[key]));
    const all = (key) => rs.map((r) => Math.round(r[key])).join(", ");
    return [
      mode,
      {
        ms: of("ms"),
        msAll: all("ms"),
        appMs: of("appMs"),
        appAll: all("appMs"),
        bytes: of("bytes"),
        documentBytes: of("documentBytes"),
        wireDown: of("wireDown"),
        wireUp: of("wireUp"),
      },
    ];
  }),
);
console.log(JSON.stringify(summary));
const { https, http, cdp } = summary;
const kib = (b) => `${(b / 1024).toFixed(1)} KiB`;
const ms = (x) => `${Math.round(x)} ms`;
console.log(`| measure (median of ${RUNS}, CPU 4×) | HTTPS (TLS 1.3, HTTP/2), shaped link | plain HTTP/1.1, shaped link | loopback HTTP + CDP Fast 3G |
| --- | --- | --- | --- |
| first question usable | **${ms(https.ms)}** (${https.msAll}) | ${ms(http.ms)} (${http.msAll}) | ${ms(cdp.ms)} (${cdp.msAll}) |
| app took over | ${ms(https.appMs)} (${https.appAll}) | ${ms(http.appMs)} (${http.appAll}) | ${ms(cdp.appMs)} (${cdp.appAll}) |
| bytes, CDP (headers + compressed bodies, service worker's included) | ${kib(https.bytes)} | ${kib(http.bytes)} | ${kib(cdp.bytes)} |
| first response (the page), CDP | ${https.documentBytes} B | ${http.documentBytes} B | ${cdp.documentBytes} B |
| bytes on the link, down / up (IP, TCP, TLS included) | ${kib(https.wireDown)} / ${kib(https.wireUp)} | ${kib(http.wireDown)} / ${kib(http.wireUp)} | — |`);
