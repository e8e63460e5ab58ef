// One measured first visit to a survey page, shared by the PWA benchmarks (e2e/bench-pwa.mjs on
// loopback with DevTools' throttling, e2e/bench-pwa-tls.mjs over TLS on a shaped link), so both
// report the same quantities by the same definitions.

/** DevTools' "Fast 3G" preset (Chromium's `Fast3GConditions`), for CDP network emulation. */
export const FAST_3G = { offline: false, latency: 562.5, downloadThroughput: 180_000, uploadThroughput: 84_375 };

export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/**
 * Opens `url` (a `/q/<point>` page) in `context`, which must be fresh (cold HTTP cache, no
 * service worker), and measures, with the CPU slowed `cpu`× and the network emulated as
 * `network` (CDP conditions; none when the link itself is shaped):
 * - `bytes`: bytes of the visit until the service worker controls the page and the network is
 *   idle (CDP `Network.loadingFinished.encodedDataLength`: headers + compressed bodies), the
 *   worker's own requests included;
 * - `documentBytes`: the same for the page's own response (the first response);
 * - `ms`: time from navigation start to the first question being usable, checked on every
 *   animation frame: its options on screen, styled (the app's stylesheet or the page's inline
 *   critical styles applied), and «Далее» live (the boot script has run on the
 *   server-rendered question, or the app itself shows it);
 * - `appMs`: time until the app has taken over (the server-rendered markup replaced by the
 *   app's, the language switch present).
 */
export async function firstVisit(context, url, { network, cpu = 1 } = {}) {
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  if (network) await cdp.send("Network.emulateNetworkConditions", network);
  if (cpu !== 1) await cdp.send("Emulation.setCPUThrottlingRate", { rate: cpu });
  let bytes = 0;
  let documentId = null;
  let documentBytes = null;
  cdp.on("Network.requestWillBeSent", (e) => {
    if (documentId === null && e.type === "Document") documentId = e.requestId;
  });
  cdp.on("Network.loadingFinished", (e) => {
    bytes += e.encodedDataLength;
    if (e.requestId === documentId) documentBytes = e.encodedDataLength;
  });
  // The service worker's precache requests are made outside the page; count them too.
  context.on("serviceworker", async (worker) => {
    const session = await context.newCDPSession(worker).catch(() => null);
    if (!session) return;
    await session.send("Network.enable").catch(() => {});
    session.on("Network.loadingFinished", (e) => (bytes += e.encodedDataLength));
  });
  await page.goto(url, { waitUntil: "commit" });
  const usable = await page.waitForFunction(
    () => {
      const radio = document.querySelector('fieldset input[type="radio"]');
      const styled = [...document.styleSheets].some(
        (s) => (s.href && new URL(s.href).pathname.startsWith("/app-")) || s.ownerNode?.id === "critical-css",
      );
      const form = radio && radio.closest("form");
      const live = form && (!form.closest("#prerender") || form.dataset.enhanced === "1");
      return radio && styled && live && radio.closest("label").checkVisibility() && performance.now();
    },
    null,
    { polling: "raf", timeout: 60_000 },
  );
  const ms = await usable.jsonValue();
  const app = await page.waitForFunction(
    () =>
      !document.getElementById("prerender") &&
      document.querySelector(".lang-switch") &&
      document.querySelector('fieldset input[type="radio"]') &&
      performance.now(),
    null,
    { polling: "raf", timeout: 60_000 },
  );
  const appMs = await app.jsonValue();
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 60_000 });
  await page.waitForLoadState("networkidle");
  return { ms, appMs, bytes, documentBytes };
}
