// «НСИ» and «Данные НСИ» in a real browser against the real server binary and its demo data
// (ЖС-8 with baselines from 46 %, approved targets, time measurements with one centre under
// ten), beyond what nsi-journey.test.mjs proves (there: the reference table, each quarter
// against the target, the warning under ten and the workbook): the demo official reads ЖС-8's
// institutions and its urban/rural split, checked against /nsi/report fetched with the page's
// token, with «Проблемные этапы» and «Печать» on the page; opens the region-wide «Сводка НСИ»
// (checked against /nsi/overview); sets a target from the gap25 proposal and sees its new
// version in the history; a bad value is refused in Russian; observers read the report without
// the data forms, operators have no «НСИ»; axe-core finds nothing at desktop and phone sizes.
// Controls are found only by role and accessible name.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";

import { eventually, violations } from "./helpers/browser.mjs";
import { DESKTOP, PHONE, getAsPage, signedIn } from "./helpers/dashboard.mjs";
import { REGION, SITUATION, cell, openSituation, quarterName, rowCells, table } from "./helpers/nsi.mjs";
import { demoSuite } from "./helpers/suite.mjs";

const normal = (s) => s.replace(/\s+/g, " ").trim();

describe("dashboard: «НСИ» and «Данные НСИ»", () => {
  const suite = demoSuite();
  /** Whether the server has the stage view (`/nsi/stages`); without it the page's request for
   * it is answered 404, which the browser logs, and the page says so. */
  let hasStages;

  before(async () => {
    hasStages = (await fetch(`${suite.server.url}/api/v1/nsi/stages?org=demo&life_situation=${SITUATION}`)).status !== 404;
  });

  /** The console's errors, but the 404 of a server without the stage view. */
  const errors = (console) => console.all().filter((m) => hasStages || !/status of 404/.test(m));

  const open = (login = "official", viewport = DESKTOP, path = "/dashboard") =>
    signedIn(suite.browser, `${suite.server.url}${path}`, login, viewport);

  test("ЖС-8's institutions and urban/rural are /nsi/report; «Проблемные этапы» and «Печать» are there", async () => {
    const { context, page, console } = await open();
    const year = await openSituation(page);
    const report = await getAsPage(page, `/nsi/report?org=demo&life_situation=${SITUATION}&year=${year}`);

    // Institutions and the urban/rural split of the latest quarter.
    const institutions = table(page, /^Показатели НСИ по учреждениям/);
    for (const i of report.institutions) {
      const row = await rowCells(institutions, i.name);
      assert.deepEqual(row.slice(1), [
        { urban: "город", rural: "село" }[i.settlement],
        cell(i.satisfied.value),
        String(i.satisfied.n),
        cell(i.nps.value),
        String(i.nps.n),
      ]);
    }
    const rural = await rowCells(table(page, /^Показатели НСИ: город и село/), "село");
    assert.equal(rural[1], cell(report.settlement.rural.satisfied.value));

    // «Проблемные этапы»: the stage view (or, on a server without it, a notice).
    await page.getByRole("heading", { level: 2, name: "Проблемные этапы" }).waitFor();
    // «Печать» is there for the quarterly letter.
    await page.getByRole("button", { name: "Печать", exact: true }).waitFor();
    assert.deepEqual(errors(console), []);
    await context.close();
  });

  test("the region-wide «Сводка НСИ» is /nsi/overview and links to each situation's report", async () => {
    const { context, page } = await open();
    await openSituation(page);
    const year = await page.getByRole("combobox", { name: "Год" }).inputValue();
    await page.getByRole("combobox", { name: "Жизненная ситуация" }).selectOption({ label: "Все ситуации — сводка" });
    const summary = table(page, new RegExp(`^Сводка НСИ — ${REGION}, ${year} год`));
    await summary.waitFor();
    assert.equal(new URL(page.url()).searchParams.get("life_situation"), null);
    const { rows } = await getAsPage(page, `/nsi/overview?org=demo&year=${year}`);
    assert.equal(await summary.getByRole("link").count(), rows.length, "every situation, each a link");
    const job = rows.find((r) => r.life_situation.code === SITUATION);
    // The ЖС-8 group: its satisfied line holds the quarter, n, value, target and verdict.
    const line = normal(await summary.getByRole("row").filter({ hasText: "ЖС-8" }).first().innerText());
    assert.ok(line.includes(`${quarterName(job.satisfied.quarter)} ${job.satisfied.n} ${cell(job.satisfied.value)} ${cell(job.satisfied.target)} ${job.satisfied.achieved ? "достигнут" : "не достигнут"}`), line);
    await summary.getByRole("link", { name: /^ЖС-8 · / }).click();
    await table(page, /^Показатели НСИ по кварталам .*: NPS$/).waitFor();
    assert.equal(new URL(page.url()).searchParams.get("life_situation"), SITUATION);
    await context.close();
  });

  test("the official sets a target from the gap25 proposal and sees its new version; a bad value is refused", async () => {
    const { context, page, console } = await open();
    await openSituation(page);
    await page.getByRole("link", { name: "Ввести цели, базовые значения и замеры", exact: true }).click();
    const form = page.getByRole("form", { name: "Утверждённая цель" });
    await form.waitFor();
    assert.equal(new URL(page.url()).pathname, "/dashboard/nsi-data");
    const year = await page.getByRole("combobox", { name: "Год" }).inputValue();
    const before = await getAsPage(page, `/nsi/targets?org=demo&life_situation=${SITUATION}`);
    const versions = before.history.filter((t) => t.kpi === "satisfied" && t.year === Number(year)).length;
    const history = table(page, "История целей");
    await eventually("the history as stored", async () => (await history.locator("tbody tr").count()) === before.history.length);

    // The proposal: the baseline 46,0 plus a quarter of the gap to 90 is 57,0.
    await form.getByText("Предложение по методу gap25: 57,0 (база 46,0 + 25 % разрыва до ориентира 90,0).", { exact: false }).waitFor();
    // A value out of range is refused with the server's field, in Russian; nothing is stored.
    await form.getByRole("textbox", { name: "Значение", exact: true }).fill("150");
    await form.getByRole("textbox", { name: "Источник", exact: true }).fill("Протокол штаба № 7");
    await form.getByRole("textbox", { name: "Кем утверждено", exact: true }).fill("Штаб по НСИ при губернаторе");
    await form.getByRole("button", { name: "Сохранить цель", exact: true }).click();
    await form.getByRole("alert").filter({ hasText: "«Значение»: доля удовлетворённых — от 0 до 100." }).waitFor();
    assert.equal((await getAsPage(page, `/nsi/targets?org=demo&life_situation=${SITUATION}`)).history.length, before.history.length);

    await form.getByRole("button", { name: "Подставить предложение", exact: true }).click();
    assert.equal(await form.getByRole("textbox", { name: "Значение", exact: true }).inputValue(), "57,0");
    assert.equal(await form.getByRole("combobox", { name: "Метод", exact: true }).inputValue(), "0");
    await form.getByRole("button", { name: "Сохранить цель", exact: true }).click();
    await form.getByRole("status").filter({ hasText: "Цель сохранена" }).waitFor();
    const after = await getAsPage(page, `/nsi/targets?org=demo&life_situation=${SITUATION}`);
    const latest = after.current.find((t) => t.kpi === "satisfied" && t.year === Number(year));
    assert.deepEqual(
      [latest.value, latest.method, latest.source, latest.approved_by, latest.version],
      [57, "gap25", "Протокол штаба № 7", "Штаб по НСИ при губернаторе", versions + 1],
    );
    await eventually("the new version in the history", async () => (await history.locator("tbody tr").count()) === after.history.length);
    const row = normal(await history.getByRole("row").filter({ hasText: "Протокол штаба № 7" }).innerText());
    assert.ok(row.startsWith(`Доля удовлетворённых, % ${year} ${versions + 1} 57,0`), row);
    await table(page, "История базовых значений").waitFor();
    await page.getByRole("form", { name: "Замер времени" }).waitFor();
    assert.deepEqual(errors(console).filter((m) => !/status of 422/.test(m)), []);
    await context.close();
  });

  test("observers read «НСИ» without the data forms; operators have no «НСИ»", async () => {
    const { context, page } = await open("observer");
    await openSituation(page);
    const sections = page.getByRole("navigation", { name: "Разделы" });
    assert.equal(await sections.getByRole("link", { name: "Данные НСИ" }).count(), 0);
    assert.equal(await page.getByRole("link", { name: "Ввести цели, базовые значения и замеры" }).count(), 0);
    await context.close();
    const operator = await open("operator");
    await operator.page.getByRole("navigation", { name: "Разделы" }).getByRole("link", { name: "Ввод анкет", exact: true }).waitFor();
    assert.equal(await operator.page.getByRole("link", { name: "НСИ", exact: true }).count(), 0);
    await operator.context.close();
  });

  for (const [size, viewport] of [["1280×800", DESKTOP], ["360×740", PHONE]]) {
    test(`axe-core finds nothing on «НСИ», «Сводка НСИ» and «Данные НСИ» at ${size}`, async () => {
      const { context, page } = await open("official", viewport, `/dashboard/nsi?org=demo&life_situation=${SITUATION}`);
      await table(page, /^Показатели НСИ по кварталам .*: Время процесса/).waitFor();
      await page.getByRole("heading", { level: 2, name: "Проблемные этапы" }).waitFor();
      assert.deepEqual(await violations(page), []);
      await page.goto(`${suite.server.url}/dashboard/nsi?org=demo`);
      await table(page, /^Сводка НСИ/).waitFor();
      assert.deepEqual(await violations(page), []);
      await page.goto(`${suite.server.url}/dashboard/nsi-data?org=demo&life_situation=${SITUATION}`);
      await table(page, "История целей").waitFor();
      assert.deepEqual(await violations(page), []);
      await context.close();
    });
  }
});
