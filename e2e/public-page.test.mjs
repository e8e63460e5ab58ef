// The public page «Вы сказали — мы сделали» (/r/<org>, issue 16 item 5) on the demo, beyond what
// nsi-journey.test.mjs proves (there: the employment centre's page shows the officials' answers
// and measures, the one just given included, no citizen's text, passes axe-core, breaks no CSP
// rule and opens offline after one visit): an unknown org gets a Russian 404 page, and the
// survey's thanks screen links to the institution's page, which leads back.
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { answerAll, openApp, phone, violations } from "./helpers/browser.mjs";
import { CENTRE } from "./helpers/nsi.mjs";
import { apiClient } from "./helpers/server.mjs";
import { demoSuite } from "./helpers/suite.mjs";

const POINT = "czn-center-1";

describe("public page /r/<org>", () => {
  const suite = demoSuite();

  test("an unknown org gets a Russian 404 page", async () => {
    const context = await phone(suite.browser);
    const page = await context.newPage();
    const res = await page.goto(`${suite.server.url}/r/no-such-org`);
    assert.equal(res.status(), 404);
    await page.getByRole("heading", { level: 1, name: "Страница не найдена" }).waitFor();
    assert.deepEqual(await violations(page), []);
    await context.close();
  });

  test("the thanks screen links to the institution's page, which leads back", async () => {
    const { server } = suite;
    const { questionnaire } = await apiClient(server.url).point(POINT);
    const context = await phone(suite.browser);
    const page = await context.newPage();
    await openApp(page, `${server.url}/q/${POINT}`);
    await answerAll(page, questionnaire.questions);

    await page.getByRole("link", { name: "Вы сказали — мы сделали" }).click();
    await page.waitForURL(`${server.url}/r/${CENTRE.code}`);
    await page.getByRole("heading", { level: 1, name: "Вы сказали — мы сделали" }).waitFor();
    await page.getByRole("button", { name: "Вернуться назад" }).click();
    await page.waitForURL(`${server.url}/q/${POINT}`);
    await context.close();
  });
});
