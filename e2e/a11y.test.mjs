// Accessibility (ГОСТ Р 52872-2019 / WCAG 2.1 AA) of the PWA in a real browser: axe-core on
// every kind of screen, every built-in questionnaire completed with the keyboard alone, and
// text enlarged to 200 % on a 320 px screen without anything scrolling sideways.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { answerAll, launch, openApp, phone, statusIs, violations } from "./helpers/browser.mjs";
import { apiClient, startServer } from "./helpers/server.mjs";

/** Every built-in questionnaire and a demo point that runs it. */
const QUESTIONNAIRES = {
  "nsi-satisfaction": "kcson-zarechye-1",
  "nsi-core": "mfc-center-2",
  express: "mfc-center-1",
  "nok-social": "kcson-zarechye-nok",
  "nok-health": "polyclinic-1-nok",
  "nok-education": "school-7-nok",
  "nok-culture": "library-central-nok",
};

describe("accessibility", () => {
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

  test("axe finds nothing on the questionnaire, thanks, kiosk and dashboard screens", async () => {
    const { questionnaire } = await api.point("mfc-center-1");
    const context = await phone(browser);
    const page = await context.newPage();
    const found = {};
    await openApp(page, `${server.url}/q/mfc-center-1`);
    await answerAll(page, questionnaire.questions, {
      onScreen: async (question) => {
        found[`question ${question.id} (${question.kind})`] = await violations(page);
      },
    });
    await statusIs(page, "Ответ отправлен");
    found.thanks = await violations(page);
    // The comment box of a negative answer and the refusal alert of an unknown point.
    await openApp(page, `${server.url}/q/mfc-center-1`);
    await page.getByRole("radio", { name: "Нет", exact: true }).check();
    await page.getByRole("textbox", { name: "Расскажите, что было не так?" }).waitFor();
    found["comment box"] = await violations(page);
    await openApp(page, `${server.url}/q/no-such-point`);
    await page.getByRole("alert").waitFor();
    found["unknown point"] = await violations(page);
    for (const path of ["/kiosk", "/dashboard"]) {
      await openApp(page, `${server.url}${path}`);
      await page.getByRole("heading", { level: 1 }).first().waitFor();
      found[path] = await violations(page);
    }
    assert.deepEqual(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length)), {});
    await context.close();
  });

  for (const [id, code] of Object.entries(QUESTIONNAIRES)) {
    test(`${id}: completed with the keyboard alone, text at 200 % on a 320 px screen`, async () => {
      const { questionnaire } = await api.point(code);
      assert.equal(questionnaire.id, id);
      const context = await phone(browser);
      const page = await context.newPage();
      await page.setViewportSize({ width: 320, height: 640 });
      await openApp(page, `${server.url}/q/${code}`);
      // What a browser's "text size 200 %" does to a page sized in rem.
      await page.evaluate(() => {
        document.documentElement.style.fontSize = "200%";
      });
      const overflow = [];
      await answerAll(page, questionnaire.questions, {
        keyboard: true,
        onScreen: async (question) => {
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > 320) overflow.push(`${question.id}: ${width} px`);
        },
      });
      await statusIs(page, "Ответ отправлен");
      assert.deepEqual(overflow, [], "nothing scrolls sideways at 200 %");
      await context.close();
    });
  }
});
