// «Наблюдение» and walk-throughs in a real browser against the real server binary and its demo
// data: the demo observer (an expert group member) reads the overview's citizen cards, opens
// «Наблюдение» (labelled as expert observation, not citizens' figures), keys in a walk-through
// on «Ввод анкет» where the only channel offered is «Наблюдение», finds it counted on
// «Наблюдение» in the batch they keyed in, and the overview's citizen cards unchanged. An
// operator is offered neither «Наблюдение» nor the walk-through channel. axe-core at desktop and
// phone sizes. Controls are found only by role and accessible name (contract.md §7).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { eventually, launch, violations } from "./helpers/browser.mjs";
import { openSignIn, pageToken, quarterDays, signIn } from "./helpers/dashboard.mjs";
import { startServer } from "./helpers/server.mjs";

const REGION = "Демонстрационная область";
const POINT = "kcson-zarechye-1";
const BATCH = "Обход 7";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const APART = "Контрольная закупка / наблюдение — не входит в оценки граждан";

const sections = (page) => page.getByRole("navigation", { name: "Разделы" });
const regionHeading = (page) => page.getByRole("heading", { level: 1, name: REGION, exact: true });
const observationHeading = (page) =>
  page.getByRole("heading", { level: 1, name: `Наблюдение — ${REGION}`, exact: true });
const entryHeading = (page) => page.getByRole("heading", { level: 1, name: "Ввод анкет", exact: true });

/** The text of a card once its figures are in, spaces normalised. */
async function cardText(page, name) {
  const card = page.getByRole("region", { name, exact: true });
  await card.waitFor();
  return (await card.innerText()).replace(/\s+/g, " ");
}

/** The current quarter as the dashboard names it in the address (`2026Q4`). */
function thisQuarter() {
  const now = new Date();
  return `${now.getFullYear()}Q${Math.floor(now.getMonth() / 3) + 1}`;
}

describe("«Наблюдение»: walk-throughs apart from citizens' figures", () => {
  let server;
  let browser;

  before(async () => {
    server = await startServer();
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** `GET /api/v1<path>` with `token`, which must answer 200. */
  async function get(path, token) {
    const res = await fetch(`${server.url}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200, path);
    return res.json();
  }

  test("an observer keys in a walk-through and finds it on «Наблюдение», not in citizens' cards", async () => {
    const { context, page, console } = await openSignIn(browser, `${server.url}/dashboard`, DESKTOP);
    await signIn(page, "observer", "otklik-observer");
    await regionHeading(page).waitFor();
    const citizens = {
      responses: await cardText(page, "Ответов"),
      satisfied: await cardText(page, "Доля удовлетворённых"),
    };
    const token = await pageToken(page);
    const { from, to } = quarterDays(thisQuarter());
    const query = `org=demo&questionnaire=nsi-satisfaction&from=${from}&to=${to}`;
    const statsBefore = await get(`/stats?${query}`, token);
    const walked = (await get(`/observations?${query}`, token)).figures.responses;

    // «Наблюдение», labelled as the experts' own.
    await sections(page).getByRole("link", { name: "Наблюдение", exact: true }).click();
    await observationHeading(page).waitFor();
    await page.getByText(APART, { exact: true }).waitFor();
    if (walked > 0) {
      assert.ok((await cardText(page, "Ответов")).includes(`n = ${walked}`));
    }
    for (const size of [DESKTOP, PHONE]) {
      await page.setViewportSize(size);
      assert.deepEqual(await violations(page), [], `axe on «Наблюдение» at ${size.width}×${size.height}`);
    }
    await page.setViewportSize(DESKTOP);

    // «Ввод анкет» offers the observer walk-throughs only.
    await sections(page).getByRole("link", { name: "Ввод анкет", exact: true }).click();
    await entryHeading(page).waitFor();
    const channel = page.getByRole("combobox", { name: "Канал", exact: true });
    await channel.waitFor();
    assert.deepEqual(await channel.getByRole("option").allTextContents(), ["Наблюдение"]);
    await page.getByRole("combobox", { name: "Точка", exact: true }).selectOption(POINT);
    await page.getByRole("textbox", { name: "Пачка", exact: true }).fill(BATCH);
    const { questionnaire } = await (await fetch(`${server.url}/api/v1/points/${POINT}`)).json();
    await page.getByRole("group", { name: questionnaire.questions[0].text }).waitFor();
    assert.deepEqual(await violations(page), [], "axe on «Ввод анкет»");
    // process, documents, duration, simplicity, support, nps, then the optional suggestions.
    await page.getByRole("textbox", { name: "Пачка", exact: true }).focus();
    await page.keyboard.press("Tab");
    for (const key of ["1", "Enter", "2", "Enter", "1", "Enter", "1", "Enter", "2", "Enter", "9", "Enter", "Enter"]) {
      await page.keyboard.press(key);
    }
    await eventually("the walk-through saved and sent", async () => {
      const text = (await page.getByRole("status").filter({ hasText: "Сохранено" }).textContent()) ?? "";
      return text.includes("Сохранено: 1") && text.includes("Ожидают отправки: 0");
    });

    // Counted on «Наблюдение», in the observer's own batch.
    await sections(page).getByRole("link", { name: "Наблюдение", exact: true }).click();
    await observationHeading(page).waitFor();
    await eventually(`n = ${walked + 1} on «Наблюдение»`, async () =>
      (await cardText(page, "Ответов")).includes(`n = ${walked + 1}`),
    );
    const batches = page.getByRole("table", { name: "Пачки наблюдений" });
    const row = batches.getByRole("row").filter({ hasText: BATCH });
    assert.equal((await row.innerText()).split(/\t|\n/).slice(0, 3).join("|"), `${BATCH}|observer|1`);

    // The citizens' cards did not move, nor their /stats.
    await sections(page).getByRole("link", { name: "Обзор", exact: true }).click();
    await regionHeading(page).waitFor();
    assert.deepEqual(
      { responses: await cardText(page, "Ответов"), satisfied: await cardText(page, "Доля удовлетворённых") },
      citizens,
    );
    const statsAfter = await get(`/stats?${query}`, token);
    assert.equal(statsAfter.responses, statsBefore.responses);
    assert.deepEqual(statsAfter.questions, statsBefore.questions);
    assert.equal(statsAfter.channels.observation ?? 0, walked + 1);
    assert.deepEqual(console.csp(), []);
    await context.close();
  });

  test("an operator is offered neither «Наблюдение» nor the walk-through channel", async () => {
    const { context, page } = await openSignIn(browser, `${server.url}/dashboard/observation`, DESKTOP);
    await signIn(page, "operator", "otklik-operator");
    // The page's address opens the operator's first section instead.
    await entryHeading(page).waitFor();
    assert.equal(await page.getByRole("link", { name: "Наблюдение" }).count(), 0);
    assert.equal(await observationHeading(page).count(), 0);
    const channel = page.getByRole("combobox", { name: "Канал", exact: true });
    assert.deepEqual(await channel.getByRole("option").allTextContents(), [
      "Бумажная анкета",
      "Телефон",
      "Интервью",
    ]);
    await context.close();
  });
});
