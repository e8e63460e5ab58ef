// The citizen survey (/q/<point>) in a real browser against the real server binary, including
// the server-rendered first question of a first visit and its hand-over to the app.
// Controls are found only by role and accessible name (contract.md §7).
// Long because each scenario (every question kind, hand-over, offline, errors) drives the whole
// survey with its own setup; split, they would repeat the page helpers.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import {
  APP_SWITCH,
  cloneQueued,
  eventually,
  launch,
  openApp,
  outboxCount,
  phone,
  statusIs,
  storeCount,
  tabTo,
  violations,
  watchConsole,
} from "./helpers/browser.mjs";
import { apiClient, startServer } from "./helpers/server.mjs";

/** A page whose app wasm downloads only when `release()` is called. */
async function slowPage(browser) {
  const context = await phone(browser);
  const page = await context.newPage();
  let release;
  const held = new Promise((ok) => (release = ok));
  await page.route(/_bg-[0-9a-f]{16}\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  return { context, page, release };
}

/** The elements under `selector` that are on screen, as [tag, attributes, own text] rows. */
function structure(page, selector) {
  return page.evaluate((selector) => {
    const KEPT = ["class", "id", "type", "name", "for", "aria-describedby", "aria-hidden", "tabindex", "max", "disabled"];
    const rows = [];
    const walk = (el) => {
      if (!el.checkVisibility()) return;
      const attrs = KEPT.filter((a) => el.hasAttribute(a)).map((a) => `${a}=${el.getAttribute(a)}`);
      const text = [...el.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => n.textContent.trim())
        .join("");
      rows.push([el.tagName.toLowerCase(), attrs.join(" "), text]);
      [...el.children].forEach(walk);
    };
    walk(document.querySelector(selector));
    return rows;
  }, selector);
}

describe("citizen survey", () => {
  let server;
  let browser;
  let api;
  let token;

  before(async () => {
    server = await startServer();
    browser = await launch();
    api = apiClient(server.url);
    token = await api.login("admin", "otklik-admin");
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  test("a QR respondent answers the express questionnaire and the server counts it", async () => {
    const point = await api.point("mfc-center-1");
    const [overall, nps, suggestions] = point.questionnaire.questions;
    assert.deepEqual(
      point.questionnaire.questions.map((q) => [q.id, q.kind]),
      [["overall", "likert4"], ["nps", "nps"], ["suggestions", "text"]],
    );
    const before = await api.stats(token, "mfc-center", "express");

    const context = await phone(browser);
    const page = await context.newPage();
    const messages = watchConsole(page);
    await openApp(page, `${server.url}/q/mfc-center-1`);
    assert.equal(await page.locator("html").getAttribute("lang"), "ru");

    const scale = page.getByRole("group", { name: overall.text });
    await scale.waitFor();
    for (const name of ["Да", "Скорее да", "Скорее нет", "Нет"]) {
      assert.equal(await scale.getByRole("radio", { name, exact: true }).count(), 1, name);
    }
    const next = page.getByRole("button", { name: "Далее", exact: true });
    assert.ok(await next.isDisabled(), "a required question blocks «Далее» until answered");
    assert.equal(await page.getByRole("button", { name: "Назад", exact: true }).count(), 0);
    assert.ok(await page.getByRole("heading", { name: "Вопрос 1 из 3" }).isVisible());

    // A negative answer opens the comment box; a positive one closes it again.
    const comment = page.getByRole("textbox", { name: "Расскажите, что было не так?" });
    await page.getByRole("radio", { name: "Нет", exact: true }).check();
    await comment.waitFor();
    await page.getByRole("radio", { name: "Скорее да", exact: true }).check();
    await comment.waitFor({ state: "detached" });
    await next.click();

    // NPS: eleven radios «0»…«10» in one row on a 320 px screen.
    await page.getByRole("group", { name: nps.text }).waitFor();
    await page.setViewportSize({ width: 320, height: 640 });
    const boxes = await Promise.all(
      Array.from({ length: 11 }, (_, n) => page.getByRole("radio", { name: String(n), exact: true }).boundingBox()),
    );
    assert.ok(boxes.every((b) => b && Math.abs(b.y - boxes[0].y) < 1 && b.x + b.width <= 320), "0–10 fit in one row");
    await page.getByRole("button", { name: "Назад", exact: true }).click();
    assert.ok(await page.getByRole("radio", { name: "Скорее да", exact: true }).isChecked(), "«Назад» keeps the answer");
    await next.click();
    await page.getByRole("radio", { name: "9", exact: true }).check();
    await next.click();

    await page.getByRole("textbox", { name: suggestions.text }).fill("Больше окон приёма");
    await page.getByRole("button", { name: "Отправить", exact: true }).click();
    await page.getByRole("heading", { name: /^Спасибо/ }).waitFor();
    await statusIs(page, "Ответ отправлен");
    assert.equal(await outboxCount(page), 0);

    const after = await api.stats(token, "mfc-center", "express");
    assert.equal(after.responses, before.responses + 1);
    const counts = (stats, q, key) => stats.questions[q]?.counts?.[key] ?? 0;
    assert.equal(counts(after, "overall", "rather_yes"), counts(before, "overall", "rather_yes") + 1);
    assert.equal(after.questions.nps.promoters, (before.questions.nps?.promoters ?? 0) + 1);
    assert.deepEqual(messages.csp(), []);
    await context.close();
  });

  test("a НОК respondent answers with the keyboard only; a «Нет» filter skips its question", async () => {
    const point = await api.point("kcson-zarechye-nok");
    const { questions } = point.questionnaire;
    assert.equal(point.questionnaire.id, "nok-social");
    const filter = questions.find((q) => q.kind === "yes_no" && q.skip);
    assert.ok(filter, "nok-social has a filter question");
    const skipped = new Set(filter.skip.questions);
    const shown = questions.filter((q) => !skipped.has(q.id));
    const org = point.org.code;
    const before = await api.stats(token, org, "nok-social");

    const context = await phone(browser);
    const page = await context.newPage();
    const messages = watchConsole(page);
    await openApp(page, `${server.url}/q/kcson-zarechye-nok`);

    for (const [index, question] of shown.entries()) {
      // The total counts the questions reachable so far, so it shrinks once the filter says «Нет».
      const total = index > questions.indexOf(filter) ? shown.length : questions.length;
      await page.getByRole("heading", { name: `Вопрос ${index + 1} из ${total}` }).waitFor();
      for (const id of skipped) {
        const text = questions.find((q) => q.id === id).text;
        assert.equal(await page.getByText(text, { exact: true }).count(), 0, `skipped «${id}» never appears`);
      }
      switch (question.kind) {
        case "number":
          await tabTo(page, page.getByRole("textbox", { name: question.text }));
          await page.keyboard.type("67");
          break;
        case "text":
          await tabTo(page, page.getByRole("textbox", { name: question.text }));
          await page.keyboard.type("Спасибо за заботу");
          break;
        default: {
          const group = page.getByRole("group", { name: question.text });
          await tabTo(page, group.getByRole("radio").first());
          if (question === filter) {
            await page.keyboard.press("ArrowDown"); // «Да» → «Нет», selecting it
            assert.ok(await group.getByRole("radio", { name: "Нет", exact: true }).isChecked());
          } else {
            await page.keyboard.press("Space");
          }
        }
      }
      const last = index === shown.length - 1;
      await tabTo(page, page.getByRole("button", { name: last ? "Отправить" : "Далее", exact: true }));
      await page.keyboard.press("Enter");
    }

    await page.getByRole("heading", { name: /^Спасибо/ }).waitFor();
    await statusIs(page, "Ответ отправлен");
    const after = await api.stats(token, org, "nok-social");
    assert.equal(after.responses, before.responses + 1);
    const n = (stats, q) => stats.questions[q]?.n ?? 0;
    assert.equal(n(after, filter.id), n(before, filter.id) + 1);
    for (const id of skipped) assert.equal(n(after, id), n(before, id), `no answer stored for skipped «${id}»`);
    assert.deepEqual(messages.csp(), []);
    await context.close();
  });

  test("a 200 that is not a receipt (captive portal) keeps the answer until a real receipt", async () => {
    const context = await phone(browser);
    const page = await context.newPage();
    const messages = watchConsole(page);
    let portalHits = 0;
    await page.route("**/api/v1/responses", (route) => {
      portalHits++;
      return route.fulfill({ status: 200, contentType: "text/html", body: "<html><body>Wi-Fi login</body></html>" });
    });
    await openApp(page, `${server.url}/q/mfc-center-1`);
    await page.getByRole("radio", { name: "Да", exact: true }).check();
    await page.getByRole("button", { name: "Далее", exact: true }).click();
    await page.getByRole("radio", { name: "10", exact: true }).check();
    await page.getByRole("button", { name: "Далее", exact: true }).click();
    await page.getByRole("button", { name: "Отправить", exact: true }).click();
    await page.getByRole("heading", { name: /^Спасибо/ }).waitFor();
    await statusIs(page, "Ответ сохранён и будет отправлен");
    assert.equal(await outboxCount(page), 1);
    // A longer queue (two batches) behind the same portal: another run, still nothing leaves.
    await cloneQueued(page, 149);
    const hits = portalHits;
    await context.setOffline(true);
    await context.setOffline(false);
    await eventually("another upload attempt", () => portalHits > hits);
    await new Promise((ok) => setTimeout(ok, 300));
    assert.equal(await outboxCount(page), 150);
    assert.equal(await storeCount(page, "dead_letter"), 0);

    // The network "comes back": the online event triggers the sync.
    await page.unroute("**/api/v1/responses");
    await context.setOffline(true);
    await context.setOffline(false);
    await statusIs(page, "Ответ отправлен");
    await eventually("an empty outbox", async () => (await outboxCount(page)) === 0);
    assert.deepEqual(messages.csp(), []);
    await context.close();
  });

  test("a refused answer moves to the dead-letter store, never silently dropped", async () => {
    const context = await phone(browser);
    const page = await context.newPage();
    await page.route("**/api/v1/responses", (route) => {
      const [item] = route.request().postDataJSON().responses;
      const error = { code: "invalid_answer", message: "test refusal", details: { q: "nps" } };
      route.fulfill({ json: { results: [{ id: item.id, status: "rejected", error }] } });
    });
    await openApp(page, `${server.url}/q/mfc-center-1`);
    await page.getByRole("radio", { name: "Да", exact: true }).check();
    await page.getByRole("button", { name: "Далее", exact: true }).click();
    await page.getByRole("radio", { name: "8", exact: true }).check();
    await page.getByRole("button", { name: "Далее", exact: true }).click();
    await page.getByRole("button", { name: "Отправить", exact: true }).click();
    await page.getByRole("heading", { name: /^Спасибо/ }).waitFor();
    await statusIs(page, "Ответ сохранён на устройстве, но сервер его не принял");
    assert.equal(await outboxCount(page), 0);
    assert.equal(await storeCount(page, "dead_letter"), 1);
    await context.close();
  });

  test("after one visit the survey reloads offline and the answer waits for the network", async () => {
    const context = await phone(browser);
    const page = await context.newPage();
    const messages = watchConsole(page);
    await openApp(page, `${server.url}/q/mfc-center-1`);
    await page.getByRole("heading", { name: "Вопрос 1 из 3" }).waitFor();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

    await context.setOffline(true);
    await page.reload();
    await page.getByRole("radio", { name: "Скорее нет", exact: true }).check();
    await page.getByRole("textbox", { name: "Расскажите, что было не так?" }).fill("Долго ждали в очереди");
    await page.getByRole("button", { name: "Далее", exact: true }).click();
    await page.getByRole("radio", { name: "6", exact: true }).check();
    await page.getByRole("button", { name: "Далее", exact: true }).click();
    await page.getByRole("button", { name: "Отправить", exact: true }).click();
    await page.getByRole("heading", { name: /^Спасибо/ }).waitFor();
    await statusIs(page, "Ответ сохранён и будет отправлен");
    assert.equal(await outboxCount(page), 1);

    await context.setOffline(false);
    await statusIs(page, "Ответ отправлен");
    assert.equal(await outboxCount(page), 0);
    assert.deepEqual(messages.csp(), []);
    await context.close();
  });

  test("a first visit, service-worker install included, transfers at most 250 KB", async () => {
    const context = await phone(browser);
    const transfers = [];
    context.on("requestfinished", async (request) => {
      const sizes = await request.sizes();
      transfers.push([request.url(), sizes.responseBodySize + sizes.responseHeadersSize]);
    });
    const page = await context.newPage();
    await openApp(page, `${server.url}/q/mfc-center-1`);
    await page.getByRole("heading", { name: "Вопрос 1 из 3" }).waitFor();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await page.waitForLoadState("networkidle");
    const total = transfers.reduce((sum, [, bytes]) => sum + bytes, 0);
    const wasm = transfers.filter(([url, bytes]) => url.endsWith(".wasm") && bytes > 0);
    assert.equal(wasm.length, 1, `the wasm is downloaded once: ${JSON.stringify(transfers)}`);
    assert.ok(total <= 250 * 1024, `first visit transferred ${total} bytes: ${JSON.stringify(transfers)}`);
    await context.close();
  });

  test("deep links, placeholders and unknown points", async () => {
    const context = await phone(browser);
    const page = await context.newPage();
    await openApp(page, `${server.url}/q/mfc-center-1/`);
    await page.getByRole("heading", { name: "Вопрос 1 из 3" }).waitFor();
    await page.goto(`${server.url}/kiosk`);
    await page.getByRole("heading", { name: "Режим киоска" }).waitFor();
    await page.goto(`${server.url}/dashboard`);
    await page.getByRole("heading", { name: "Кабинет" }).waitFor();
    await page.goto(`${server.url}/nowhere`);
    await page.getByRole("heading", { name: "Страница не найдена" }).waitFor();
    await openApp(page, `${server.url}/q/no-such-point`);
    await page.getByRole("alert").getByText("Опрос не найден", { exact: false }).waitFor();
    // English is one tap away and remembered; <html lang> follows.
    await page.getByRole("button", { name: "English" }).click();
    await page.getByRole("alert").getByText("Survey not found", { exact: false }).waitFor();
    assert.equal(await page.locator("html").getAttribute("lang"), "en");
    await page.reload();
    await page.getByRole("button", { name: "Русский" }).waitFor();
    await context.close();
  });

  // The first question the server renders into `/q/<point>` (server/src/routes/survey_page.rs):
  // a respondent on slow data answers it before the app has downloaded, and the app takes the
  // answer over without losing anything. The test holds the app's wasm back to make "slow".
  describe("server-rendered first question", () => {
    test("answered, commented and left with «Далее» before the app runs: nothing is lost", async () => {
      const point = await api.point("mfc-center-1");
      const [overall] = point.questionnaire.questions;
      const before = await api.stats(token, "mfc-center", "express");
      const { context, page, release } = await slowPage(browser);
      const messages = watchConsole(page);
      const sent = [];
      page.on("request", (r) => r.url().endsWith("/api/v1/responses") && sent.push(r.postData()));

      await page.goto(`${server.url}/q/mfc-center-1`);
      await page.getByRole("group", { name: overall.text }).waitFor();
      assert.equal(await page.getByRole("button", APP_SWITCH).count(), 0, "the app is not running yet");
      const next = page.getByRole("button", { name: "Далее", exact: true });
      assert.ok(await next.isDisabled(), "a required question blocks «Далее» until answered");
      await page.getByRole("radio", { name: "Нет", exact: true }).check();
      // The negative answer opens the comment box here too (no script: the stylesheet shows it).
      const comment = page.getByRole("textbox", { name: "Расскажите, что было не так?" });
      await comment.fill("Долго ждали в очереди");
      await next.click();
      // Pressed before the app runs: recorded, and the button says the app is coming.
      await page.getByRole("button", { name: "Загружаем анкету…", exact: true }).waitFor();
      assert.equal(new URL(page.url()).search, "", "the form was not submitted as a page load");

      release();
      await page.getByRole("heading", { name: "Вопрос 2 из 3" }).waitFor();
      await page.getByRole("button", APP_SWITCH).waitFor();
      assert.equal(await page.getByRole("group", { name: overall.text }).count(), 0, "one copy of the page");
      await page.getByRole("button", { name: "Назад", exact: true }).click();
      assert.ok(await page.getByRole("radio", { name: "Нет", exact: true }).isChecked(), "the answer was taken over");
      assert.equal(await comment.inputValue(), "Долго ждали в очереди", "the comment was taken over");
      await next.click();
      await page.getByRole("radio", { name: "4", exact: true }).check();
      await next.click();
      await page.getByRole("button", { name: "Отправить", exact: true }).click();
      await statusIs(page, "Ответ отправлен");

      const after = await api.stats(token, "mfc-center", "express");
      const counts = (stats, q, key) => stats.questions[q]?.counts?.[key] ?? 0;
      assert.equal(after.responses, before.responses + 1);
      assert.equal(counts(after, "overall", "no"), counts(before, "overall", "no") + 1);
      const [item] = sent.flatMap((body) => JSON.parse(body).responses);
      assert.deepEqual(
        item.answers.find((a) => a.q === "overall"),
        { q: "overall", v: "no", comment: "Долго ждали в очереди" },
      );
      assert.deepEqual(messages.all(), []);
      await context.close();
    });

    test("a keyboard user keeps their place across the hand-over", async () => {
      const { context, page, release } = await slowPage(browser);
      await page.goto(`${server.url}/q/mfc-center-1`);
      const yes = page.getByRole("radio", { name: "Да", exact: true });
      await yes.focus();
      await page.keyboard.press("ArrowDown"); // «Скорее да», checked by the browser itself
      assert.ok(await page.getByRole("radio", { name: "Скорее да", exact: true }).isChecked());
      release();
      await page.getByRole("button", APP_SWITCH).waitFor();
      const focused = () => page.evaluate(() => document.activeElement?.closest("label")?.textContent ?? "");
      assert.equal(await focused(), "Скорее да", "focus is on the same option in the app");
      await page.keyboard.press("Enter"); // the form's implicit submission: «Далее»
      await page.getByRole("heading", { name: "Вопрос 2 из 3" }).waitFor();
      await context.close();
    });

    test("the rendered question is the app's own markup, and passes axe", async () => {
      for (const code of ["mfc-center-1", "kcson-zarechye-nok"]) {
        const { context, page, release } = await slowPage(browser);
        await page.goto(`${server.url}/q/${code}`);
        await page.getByRole("radio").first().waitFor();
        const rendered = await structure(page, "#prerender main");
        assert.deepEqual(await violations(page), [], `${code}: axe on the rendered page`);

        release();
        await page.getByRole("button", APP_SWITCH).waitFor();
        const app = await structure(page, "main");
        // The app's main also has its (empty) status region after the form.
        const status = app.findIndex(([tag, attrs]) => tag === "p" && attrs.includes("class=status"));
        assert.ok(status > 0, `${code}: the app has its status region`);
        assert.deepEqual(rendered, [...app.slice(0, status), ...app.slice(status + 1)], code);
        await context.close();
      }
    });

    test("an unknown point gets the plain shell, and the app says so", async () => {
      const context = await phone(browser);
      const page = await context.newPage();
      await page.goto(`${server.url}/q/no-such-point`);
      await page.getByRole("button", APP_SWITCH).waitFor();
      await page.getByText("Опрос не найден", { exact: false }).waitFor();
      assert.equal(await page.getByRole("radio").count(), 0);
      await context.close();
    });
  });
});
