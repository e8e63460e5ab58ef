// Debian's Chromium driven by playwright-core (no browser download), and small helpers that
// find things the way a screen reader does: by role and accessible name.
import { chromium } from "playwright-core";

const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--headless=new",
];

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ARGS,
    headless: true,
  });
}

/** A phone-sized Russian context; service workers allowed (the default, stated for clarity). */
export function phone(browser) {
  return browser.newContext({
    locale: "ru-RU",
    viewport: { width: 360, height: 740 },
    serviceWorkers: "allow",
  });
}

/** Records console errors and warnings and uncaught page errors. */
export function watchConsole(page) {
  const messages = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") messages.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => messages.push(`pageerror: ${e.message}`));
  return {
    all: () => [...messages],
    csp: () => messages.filter((m) => /Content Security Policy/i.test(m)),
  };
}

/** Polls `probe` until it returns a truthy value; fails with `what` and the last value seen. */
export async function eventually(what, probe, timeout = 15_000) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

/** Waits until the status region's text is exactly `text`. */
export function statusIs(page, text) {
  const status = page.getByRole("status");
  return eventually(`status «${text}»`, async () => ((await status.textContent())?.trim() === text ? text : false));
}

/** Presses Tab until `locator` has the focus (keyboard-only navigation). */
export async function tabTo(page, locator, max = 40) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press("Tab");
    if (await locator.evaluate((el) => el === document.activeElement).catch(() => false)) return;
  }
  throw new Error(`Tab never reached ${locator}`);
}

/** How many records the PWA's IndexedDB store holds: `outbox` (waiting) or `dead_letter` (refused). */
export function storeCount(page, store) {
  return page.evaluate(
    (store) =>
      new Promise((ok, fail) => {
        const open = indexedDB.open("otklik");
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const count = db.transaction(store).objectStore(store).count();
          count.onsuccess = () => {
            db.close();
            ok(count.result);
          };
          count.onerror = () => fail(count.error);
        };
      }),
    store,
  );
}

/** How many responses wait in the PWA's IndexedDB outbox. */
export const outboxCount = (page) => storeCount(page, "outbox");
