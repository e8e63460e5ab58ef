// A new deploy of the PWA while answers wait offline and a respondent is mid-questionnaire.
//
// Two "deploys" of one build: `pwa/tools/postbuild.mjs` run twice over the same wasm-bindgen
// output with different OTKLIK_BUILD_TAGs, so only sw.js (its version and cache name)
// differs. The server serves one of them (`--pwa-dir`) and is restarted on the other, on the
// same port and database. The wasm-bindgen output is where scripts/build-pwa.sh leaves it:
// `$CARGO_TARGET_DIR/pwa-bindgen` (default `target/pwa-bindgen`), or OTKLIK_PWA_BINDGEN.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";

import { eventually, launch, openApp, outboxCount, phone, statusIs, storeCount } from "./helpers/browser.mjs";
import { restartableServer } from "./helpers/server.mjs";

const REPO = resolve(fileURLToPath(new URL("..", import.meta.url)));
const BINDGEN =
  process.env.OTKLIK_PWA_BINDGEN ?? join(process.env.CARGO_TARGET_DIR ?? "target", "pwa-bindgen");

/** Builds the PWA into `dir` as deploy `tag`; returns the service worker's cache name. */
function deploy(dir, tag) {
  const out = execFileSync(
    "node",
    [join(REPO, "pwa/tools/postbuild.mjs"), isAbsolute(BINDGEN) ? BINDGEN : join(REPO, BINDGEN), dir],
    { env: { ...process.env, OTKLIK_BUILD_TAG: tag }, encoding: "utf8" },
  );
  return `otklik-shell-${/version ([0-9a-f]{16})/.exec(out)[1]}`;
}

/** The service worker's caches; `[]` while the page is between documents (a reload). */
const cacheNames = (page) => page.evaluate(() => caches.keys()).catch(() => []);
const waitingWorker = (page) =>
  page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state ?? null);

/** Answers the express questionnaire of mfc-center-1 from its first screen. */
async function answerExpress(page, { first = true } = {}) {
  if (first) await page.getByRole("radio", { name: "Да", exact: true }).check();
  await page.getByRole("button", { name: "Далее", exact: true }).click();
  await page.getByRole("radio", { name: "9", exact: true }).check();
  await page.getByRole("button", { name: "Далее", exact: true }).click();
  await page.getByRole("button", { name: "Отправить", exact: true }).click();
  await page.getByRole("heading", { name: /^Спасибо/ }).waitFor();
}

describe("service-worker update", () => {
  let browser;
  let work;

  before(async () => {
    browser = await launch();
    work = await mkdtemp(join(tmpdir(), "otklik-e2e-update-"));
  });

  after(async () => {
    await browser?.close();
    await rm(work, { recursive: true, force: true });
  });

  test("a new version takes over only before the first answer or on «Спасибо»; queued answers arrive once", async () => {
    const [v1, v2] = ["v1", "v2"].map((tag) => join(work, tag));
    const cache1 = deploy(v1, "e2e-v1");
    const cache2 = deploy(v2, "e2e-v2");
    assert.notEqual(cache1, cache2);

    const server = await restartableServer({ pwaDir: v1 });
    const { url, api } = server;
    const restart = (pwaDir) => server.restart({ pwaDir });
    const token = await api.login("admin", "otklik-admin");
    const stats = () => api.stats(token, "mfc-center", "express");
    const before = (await stats()).responses;
    const context = await phone(browser);
    const page = await context.newPage();
    let loads = 0;
    page.on("load", () => loads++);
    try {
      // v1 installed; two answers queued offline.
      await openApp(page, `${url}/q/mfc-center-1`);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      assert.deepEqual(await cacheNames(page), [cache1]);
      await eventually("the sibling cached", () => storeCount(page, "points").then((n) => n >= 2));
      await server.stop();
      await context.setOffline(true);
      for (let n = 0; n < 2; n++) {
        await openApp(page, `${url}/q/mfc-center-1`);
        await answerExpress(page);
        await statusIs(page, "Ответ сохранён и будет отправлен");
      }
      assert.equal(await outboxCount(page), 2);

      // Mid-questionnaire when v2 is deployed and the network comes back.
      await openApp(page, `${url}/q/mfc-center-1`);
      await page.getByRole("radio", { name: "Да", exact: true }).check();
      await restart(v2);
      await context.setOffline(false);
      await eventually("the queued answers delivered", async () => (await outboxCount(page)) === 0);
      const loadsBefore = loads;
      // What the page's 30-minute timer does, without waiting 30 minutes.
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
      await eventually("v2 installed and waiting", async () => (await waitingWorker(page)) === "installed");
      await new Promise((ok) => setTimeout(ok, 1_000));
      assert.equal(loads, loadsBefore, "no reload mid-questionnaire");
      assert.ok(await page.getByRole("radio", { name: "Да", exact: true }).isChecked());
      assert.deepEqual((await cacheNames(page)).sort(), [cache1, cache2].sort(), "v1's cache kept until v2 is active");
      assert.equal(await waitingWorker(page), "installed", "v2 still waits");

      // «Спасибо»: v2 takes over, the old cache goes, the thanks and its status stay. Both
      // workers stopped first, as a browser stops idle workers within a minute: the answer's
      // delivery then starts v1 again, and the switch must still happen at once (a
      // `skipWaiting()` while v1 starts would wait out Chromium's 5-minute lame-duck timer).
      const devtools = await context.newCDPSession(page);
      await devtools.send("ServiceWorker.enable");
      await devtools.send("ServiceWorker.stopAllWorkers");
      await devtools.detach();
      await answerExpress(page, { first: false });
      await eventually("v2 active, v1 cache gone", async () => {
        const names = await cacheNames(page);
        return names.length === 1 && names[0] === cache2 && (await waitingWorker(page)) === null;
      });
      assert.equal(loads, loadsBefore, "the thanks screen is not reloaded away");
      await statusIs(page, "Ответ отправлен");
      assert.equal((await stats()).responses, before + 3, "every queued answer stored exactly once");

      // Another deploy (v1's files again, a different sw.js from v2's) found on a fresh screen:
      // applied at once, with a reload; IndexedDB (the point cache) untouched.
      await restart(v1);
      const loadsFresh = loads;
      await openApp(page, `${url}/q/mfc-center-1`);
      await eventually("reloaded onto the new version", async () => {
        const names = await cacheNames(page);
        return loads >= loadsFresh + 2 && names.length === 1 && names[0] === cache1;
      });
      await page.getByRole("heading", { name: "Вопрос 1 из 3" }).waitFor();

      // Cached questionnaires survived both updates: the sibling opens offline.
      await server.stop();
      await context.setOffline(true);
      await openApp(page, `${url}/q/mfc-center-2`);
      await page.getByRole("heading", { name: /^Вопрос 1 из / }).waitFor();
      assert.equal((await outboxCount(page)), 0);
    } finally {
      await context.close();
      await server.dispose();
    }
  });
});
