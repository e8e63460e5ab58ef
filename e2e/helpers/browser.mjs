// Debian's Chromium driven by playwright-core (no browser download), and small helpers that
// find things the way a screen reader does: by role and accessible name.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

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

/** The browser, with `extraArgs` added to the usual flags (a benchmark's host mapping, say). */
export function launch(extraArgs = []) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [...ARGS, ...extraArgs],
    headless: true,
  });
}

/**
 * A tablet-sized Russian context whose profile (IndexedDB, service worker, caches) lives in
 * `userDataDir`: closing it and launching again with the same directory is a browser restart.
 */
export function launchPersistent(userDataDir) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ARGS,
    headless: true,
    locale: "ru-RU",
    viewport: { width: 800, height: 1000 },
    serviceWorkers: "allow",
    acceptDownloads: true,
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

/** The app's language switch, by role and name: there once the app itself runs. */
export const APP_SWITCH = { name: /^(English|Русский)$/ };

/**
 * Opens a page of the app and waits until the app itself runs (its language switch is there).
 * A first visit to `/q/<point>` shows the server-rendered first question before that; tests
 * that are not about that hand-over wait for the app, so they never race it.
 */
export async function openApp(page, url) {
  await page.goto(url);
  await page.getByRole("button", APP_SWITCH).waitFor();
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

/**
 * Adds `count` copies of the oldest queued response to the PWA's outbox, each under a fresh
 * id, in the app's own record format (`{id, response, queued_at}`, `response.id === id`), in
 * one transaction. Volume tests queue one response through the UI and clone it this way, so
 * thousands of records take a second instead of thousands of clicks.
 */
export function cloneQueued(page, count) {
  return page.evaluate(
    (count) =>
      new Promise((ok, fail) => {
        const open = indexedDB.open("otklik");
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction("outbox", "readwrite");
          const store = tx.objectStore("outbox");
          const first = store.openCursor();
          first.onsuccess = () => {
            if (!first.result) return fail(new Error("the outbox is empty: nothing to clone"));
            const template = first.result.value;
            for (let n = 0; n < count; n++) {
              const id = crypto.randomUUID();
              store.add({ ...template, id, response: { ...template.response, id }, queued_at: Date.now() });
            }
          };
          tx.oncomplete = () => {
            db.close();
            ok();
          };
          tx.onerror = () => fail(tx.error);
        };
      }),
    count,
  );
}

/** The value the first option of `question` stands for, as the wire carries it. */
function firstValue(question) {
  switch (question.kind) {
    case "likert4":
      return "yes";
    case "yes_no":
      return true;
    case "nps":
      return 0;
    case "choice":
      return question.options[0].id;
    default:
      return undefined;
  }
}

/**
 * Answers the whole questionnaire `questions` (as `GET /points` returns them) on the page,
 * with the keyboard only when `keyboard` is set (Tab to each control, Space on the first
 * option or typing, Tab to «Далее»/«Отправить», Enter) or else by clicking. Always takes the
 * first option, follows the skip rules that choice triggers, and ends on the thanks heading.
 * `onScreen(question)`, if given, runs once each question is on screen, before it is answered.
 */
export async function answerAll(page, questions, { keyboard = false, onScreen } = {}) {
  const skipped = new Set();
  const shown = [];
  for (const question of questions) {
    if (skipped.has(question.id)) continue;
    shown.push(question);
    if (question.skip && JSON.stringify(question.skip.when) === JSON.stringify(firstValue(question))) {
      for (const id of question.skip.questions) skipped.add(id);
    }
  }
  for (const [index, question] of shown.entries()) {
    const last = index === shown.length - 1;
    const typed = { number: String(question.min ?? 1), text: "Всё понятно, спасибо" }[question.kind];
    const control =
      typed === undefined
        ? page.getByRole("group", { name: question.text }).getByRole("radio").first()
        : page.getByRole("textbox", { name: question.text });
    const button = page.getByRole("button", { name: last ? "Отправить" : "Далее", exact: true });
    if (onScreen) {
      await control.waitFor();
      await onScreen(question);
    }
    if (keyboard) {
      await tabTo(page, control);
      if (typed === undefined) await page.keyboard.press("Space");
      else await page.keyboard.type(typed);
      await tabTo(page, button);
      await page.keyboard.press("Enter");
    } else {
      if (typed === undefined) await control.check();
      else await control.fill(typed);
      await button.click();
    }
  }
  await page.getByRole("heading", { name: /^Спасибо/ }).waitFor();
}

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * axe-core's violations on the page as it is now (every rule axe enables by default: WCAG 2.x
 * A/AA and best practices such as landmarks), as short readable lines.
 */
export async function violations(page) {
  // Evaluated through the DevTools protocol, so the page's CSP (script-src 'self') allows it.
  await page.evaluate(AXE);
  const found = await page.evaluate(async () => (await window.axe.run(document)).violations);
  return found.map((v) => `${v.id}: ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}
