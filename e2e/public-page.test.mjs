// The public page «Вы сказали — мы сделали» (/r/<org>, issue 16 item 5) on the demo: the
// employment centre's «сделано» answer and measures, no citizen's text, axe-core clean, no CSP
// violation, and it opens offline after one visit; the survey's thanks screen links to it.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { answerAll, eventually, launch, openApp, phone, violations, watchConsole } from "./helpers/browser.mjs";
import { apiClient, startServer } from "./helpers/server.mjs";

const ORG = "czn-center";
const POINT = "czn-center-1";

describe("public page /r/<org>", () => {
  let server;
  let browser;
  let api;

  before(async () => {
    server = await startServer();
    browser = await launch();
    api = apiClient(server.url);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** Every comment text of the org as officials read them (masked), to look for on the page. */
  async function citizenTexts() {
    const token = await api.login("official", "otklik-official");
    const res = await fetch(`${server.url}/api/v1/comments?org=${ORG}&limit=500`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    const { comments } = await res.json();
    assert.ok(comments.length > 0, "the demo centre has comments");
    return [...new Set(comments.map((c) => c.text))];
  }

  test("shows the officials' answers and measures, never a citizen's text, and opens offline", async () => {
    const texts = await citizenTexts();
    const context = await phone(browser);
    const page = await context.newPage();
    const messages = watchConsole(page);
    await page.goto(`${server.url}/r/${ORG}`);

    await page.getByRole("heading", { level: 1, name: "Вы сказали — мы сделали" }).waitFor();
    const main = page.getByRole("main");
    const shown = await main.innerText();
    assert.match(shown, /Центр занятости населения г\. Демонстрационный/);
    assert.match(shown, /Открыли второе окно регистрации/);
    assert.match(shown, /Сделано/);
    assert.match(shown, /Электронная очередь и второе окно регистрации/);
    const html = await page.content();
    for (const text of texts) assert.ok(!html.includes(text), `a citizen's text is on the page: ${text}`);
    assert.equal(await page.evaluate(() => document.documentElement.lang), "ru");
    assert.deepEqual(await violations(page), []);

    // One visit keeps it: the worker controls the page and the page is in its cache.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await eventually("the page in the otklik-public cache", () =>
      page.evaluate(async () => {
        const cache = await caches.open("otklik-public");
        const kept = await Promise.all(
          [location.pathname, "/r/assets/public.css", "/r/assets/public.js"].map((u) => cache.match(u)),
        );
        return kept.every(Boolean);
      }),
    );

    await context.setOffline(true);
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Вы сказали — мы сделали" }).waitFor();
    assert.match(await page.getByRole("main").innerText(), /Открыли второе окно регистрации/);
    // Its stylesheet came from the cache too.
    assert.equal(await page.evaluate(() => getComputedStyle(document.querySelector("main")).maxWidth), "640px");
    // A fresh navigation (not a reload) as well.
    const again = await context.newPage();
    await again.goto(`${server.url}/r/${ORG}`);
    assert.match(await again.getByRole("main").innerText(), /Открыли второе окно регистрации/);
    await context.setOffline(false);
    assert.deepEqual(messages.csp(), []);
    await context.close();
  });

  test("an unknown org gets a Russian 404 page", async () => {
    const context = await phone(browser);
    const page = await context.newPage();
    const res = await page.goto(`${server.url}/r/no-such-org`);
    assert.equal(res.status(), 404);
    await page.getByRole("heading", { level: 1, name: "Страница не найдена" }).waitFor();
    assert.deepEqual(await violations(page), []);
    await context.close();
  });

  test("the thanks screen links to the institution's page, which leads back", async () => {
    const { questionnaire } = await api.point(POINT);
    const context = await phone(browser);
    const page = await context.newPage();
    await openApp(page, `${server.url}/q/${POINT}`);
    await answerAll(page, questionnaire.questions);

    await page.getByRole("link", { name: "Вы сказали — мы сделали" }).click();
    await page.waitForURL(`${server.url}/r/${ORG}`);
    await page.getByRole("heading", { level: 1, name: "Вы сказали — мы сделали" }).waitFor();
    await page.getByRole("button", { name: "Вернуться назад" }).click();
    await page.waitForURL(`${server.url}/q/${POINT}`);
    await context.close();
  });
});
