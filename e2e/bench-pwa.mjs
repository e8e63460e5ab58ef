// Weight and speed of a first visit to /q/<point>, for docs/benchmarks.md («PWA»).
//
//   node e2e/bench-pwa.mjs [runs=5]
//
// Against target/debug/otklik (OTKLIK_BIN overrides) serving the built PWA, in Debian's
// Chromium, each run in a fresh context (cold HTTP cache, no service worker), what
// e2e/helpers/first-visit.mjs measures: bytes of the visit until the service worker controls
// the page (its own requests included), time to the first usable question, time until the app
// has taken over; each unthrottled and under DevTools' "Fast 3G" preset (latency 562.5 ms,
// 180,000 B/s down, 84,375 B/s up: Chromium's `Fast3GConditions`) with the CPU slowed 4×
// (`Emulation.setCPUThrottlingRate`). The emulation adds latency per request on loopback HTTP:
// no TCP or TLS handshake is paid (scripts/bench-first-visit.sh pays them).
// Prints medians and a Markdown table. Not a test: it asserts nothing.
import { launch, phone } from "./helpers/browser.mjs";
import { FAST_3G, firstVisit, median } from "./helpers/first-visit.mjs";
import { startServer } from "./helpers/server.mjs";

const RUNS = Number(process.argv[2] ?? 5);
const POINT = "mfc-center-1";

async function run(browser, url, throttled) {
  const context = await phone(browser);
  try {
    return await firstVisit(context, `${url}/q/${POINT}`, throttled ? { network: FAST_3G, cpu: 4 } : {});
  } finally {
    await context.close();
  }
}

const server = await startServer();
const browser = await launch();
try {
  const results = {};
  for (const throttled of [false, true]) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await run(browser, server.url, throttled));
    results[throttled ? "fast3g" : "plain"] = {
      ms: median(runs.map((r) => r.ms)),
      all: runs.map((r) => Math.round(r.ms)),
      appMs: median(runs.map((r) => r.appMs)),
      appAll: runs.map((r) => Math.round(r.appMs)),
      bytes: median(runs.map((r) => r.bytes)),
    };
  }
  const { plain, fast3g } = results;
  const kb = (b) => (b / 1024).toFixed(1);
  console.log(JSON.stringify(results));
  console.log(`| measure | value |
| --- | --- |
| first visit, bytes on the wire (SW install included) | ${kb(plain.bytes)} KiB |
| first question usable, unthrottled (median of ${RUNS}) | ${Math.round(plain.ms)} ms (${plain.all.join(", ")}) |
| first question usable, Fast 3G + CPU 4× (median of ${RUNS}) | ${Math.round(fast3g.ms)} ms (${fast3g.all.join(", ")}) |
| Fast 3G + CPU 4× / unthrottled | ${(fast3g.ms / plain.ms).toFixed(1)}× |
| app took over, unthrottled (median of ${RUNS}) | ${Math.round(plain.appMs)} ms (${plain.appAll.join(", ")}) |
| app took over, Fast 3G + CPU 4× (median of ${RUNS}) | ${Math.round(fast3g.appMs)} ms (${fast3g.appAll.join(", ")}) |`);
} finally {
  await browser.close();
  await server.stop();
}
