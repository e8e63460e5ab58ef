// «НСИ» and «Данные НСИ» in a real browser against the real server binary and its demo data
// (ЖС-8 with baselines from 46 %, approved targets, time measurements with one centre under
// ten): the demo official opens «НСИ», chooses ЖС-8 and reads each quarter against the target,
// checked against /nsi/report fetched with the page's token; sees the warning under ten
// measurements; downloads «Скачать XLSX» and reads the same numbers from it through headless
// LibreOffice; opens the region-wide «Сводка НСИ» (checked against /nsi/overview); sets a
// target from the gap25 proposal and sees its new version in the history; a bad value is
// refused in Russian; observers read the report without the data forms, operators have no
// «НСИ»; axe-core finds nothing at desktop and phone sizes. Controls are found only by role and
// accessible name.
import assert from "node:assert/strict";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { eventually, launch, violations } from "./helpers/browser.mjs";
import { openSignIn, pageToken, sameNumber, signIn, xlsxRows } from "./helpers/dashboard.mjs";
import { startServer } from "./helpers/server.mjs";

const REGION = "Демонстрационная область";
const SITUATION = "job-via-employment-centre";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const NUMERALS = ["I", "II", "III", "IV"];

/** A table cell's figure: one decimal, half away from zero, decimal comma, ASCII minus. */
function cell(value) {
  if (value === null || value === undefined) return "—";
  const tenths = Math.round(Math.abs(value) * 10);
  return `${value < 0 && tenths > 0 ? "-" : ""}${(tenths / 10).toFixed(1).replace(".", ",")}`;
}

/** «2026 — IV квартал» of `2026Q4`. */
const quarterName = (q) => `${q.slice(0, 4)} — ${NUMERALS[Number(q.slice(5)) - 1]} квартал`;

const heading = (page, name) => page.getByRole("heading", { level: 1, name, exact: true });
const table = (page, name) => page.getByRole("table", { name });
const normal = (s) => s.replace(/\s+/g, " ").trim();

/** A row's cells (header first) by the row header's exact text. */
async function rowCells(tableLocator, head) {
  return eventually(`the row «${head}»`, async () => {
    const rows = await tableLocator.locator("tbody tr").evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll("th, td")].map((c) => c.textContent.replace(/\s+/g, " ").trim())),
    );
    return rows.find((r) => r[0] === head) ?? false;
  });
}

describe("dashboard: «НСИ» and «Данные НСИ»", () => {
  let server;
  let browser;
  let dir;
  /** Whether the server has the stage view (`/nsi/stages`); without it the page's request for
   * it is answered 404, which the browser logs, and the page says so. */
  let hasStages;

  before(async () => {
    server = await startServer();
    browser = await launch();
    dir = await mkdtemp(join(tmpdir(), "otklik-nsi-"));
    hasStages = (await fetch(`${server.url}/api/v1/nsi/stages?org=demo&life_situation=${SITUATION}`)).status !== 404;
  });

  /** The console's errors, but the 404 of a server without the stage view. */
  const errors = (console) => console.all().filter((m) => hasStages || !/status of 404/.test(m));

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function open(login = "official", viewport = DESKTOP, path = "/dashboard") {
    const { context, page, console } = await openSignIn(browser, `${server.url}${path}`, viewport);
    await signIn(page, login, `otklik-${login}`);
    return { context, page, console };
  }

  /** GET with the page's token. */
  async function get(page, path) {
    const token = await pageToken(page);
    const res = await fetch(`${server.url}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200, path);
    return res.json();
  }

  /** Opens «НСИ» from the sections' links and chooses ЖС-8; resolves with the year shown. */
  async function openSituation(page) {
    await heading(page, REGION).waitFor();
    await page.getByRole("navigation", { name: "Разделы" }).getByRole("link", { name: "НСИ", exact: true }).click();
    await table(page, /^Сводка НСИ/).waitFor();
    const situation = page.getByRole("combobox", { name: "Жизненная ситуация" });
    await situation.selectOption({ label: "ЖС-8 · Трудоустроиться через Центр занятости" });
    await table(page, /^Показатели НСИ по кварталам .*: Доля удовлетворённых/).waitFor();
    const year = await page.getByRole("combobox", { name: "Год" }).inputValue();
    const url = new URL(page.url());
    assert.equal(url.pathname, "/dashboard/nsi");
    assert.equal(url.searchParams.get("life_situation"), SITUATION);
    return year;
  }

  test("ЖС-8's quarters against the target, the warning and the workbook are /nsi/report", async () => {
    const { context, page, console } = await open();
    const year = await openSituation(page);
    const report = await get(page, `/nsi/report?org=demo&life_situation=${SITUATION}&year=${year}`);
    const { satisfied, nps, time } = report.kpis;
    assert.ok(satisfied.quarters.length > 0 && satisfied.target, JSON.stringify(satisfied).slice(0, 200));

    // Each KPI's quarters: n, value, interval and the verdict against the approved target.
    for (const [kpi, name] of [[satisfied, "Доля удовлетворённых, %"], [nps, "NPS"]]) {
      const quarters = table(page, new RegExp(`^Показатели НСИ по кварталам ${year} года: ${name}$`));
      for (const q of kpi.quarters) {
        const [, n, value, interval, verdict] = await rowCells(quarters, quarterName(q.quarter));
        assert.equal(n, String(q.n), `${name} ${q.quarter} n`);
        assert.ok(value.startsWith(cell(q.value)), `${name} ${q.quarter}: ${value} vs ${q.value}`);
        assert.equal(interval, `[${cell(q.ci95[0])}; ${cell(q.ci95[1])}]`);
        const reached = q.value >= kpi.target.value;
        assert.equal(verdict, reached ? "достигнут" : "не достигнут", `${name} ${q.quarter}`);
      }
    }
    // The reference table: baseline, target (with who approved it), benchmark, the verdict.
    const reference = table(page, new RegExp(`^Показатели НСИ — ЖС-8 · .*, ${year} год: база, цель, ориентир$`));
    const sat = await rowCells(reference, "Доля удовлетворённых, %");
    assert.ok(sat[1].startsWith(cell(satisfied.baseline.value)), sat[1]);
    assert.ok(sat[2].startsWith(cell(satisfied.target.value)) && sat[2].includes(satisfied.target.approved_by), sat[2]);
    assert.equal(sat[3], "90,0");
    assert.equal(sat[4], cell(satisfied.quarters.at(-1).value));
    assert.equal(sat[5], satisfied.achieved ? "достигнут" : "не достигнут");
    const timeRef = await rowCells(reference, "Время процесса, дни");
    assert.equal(timeRef[3], "нет (длительность)", "time has no benchmark");

    // Time: count, median, worst, and the warning under ten measurements.
    const latestTime = time.quarters.at(-1);
    assert.equal(latestTime.warning, "fewer_than_10_measurements");
    const times = table(page, new RegExp(`^Показатели НСИ по кварталам ${year} года: Время процесса, дни$`));
    const [, count, median, worst, , warning] = await rowCells(times, quarterName(latestTime.quarter));
    assert.deepEqual([count, median, worst], [String(latestTime.measurements), cell(latestTime.median), cell(latestTime.worst)]);
    assert.match(warning, /^менее 10 замеров: Центр занятости населения Зареченского района — 6$/);

    // The time people reported themselves (the demo's exit point asks): a table of its own,
    // answers, median and longest per quarter, no verdict against the measured time's target.
    assert.ok(time.reported.length > 0, "the demo's exit point asks how long it took");
    const reported = table(page, `Время со слов граждан, дни, ${year} год (отдельно от замеров, в итог не входит)`);
    assert.deepEqual(await reported.locator("thead th").allInnerTexts(), ["Квартал", "Ответов (n)", "Медиана", "Наибольшее"]);
    for (const q of time.reported) {
      const [, n, median, longest] = await rowCells(reported, quarterName(q.quarter));
      assert.deepEqual([n, median, longest], [String(q.n), cell(q.median), cell(q.longest)], q.quarter);
    }

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

    // «Скачать XLSX»: the report's workbook, the same numbers to 15 digits.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Скачать XLSX", exact: true }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `otklik-nsi-demo-${SITUATION}-${year}.xlsx`);
    const xlsx = join(dir, download.suggestedFilename());
    await download.saveAs(xlsx);
    const sheet = await xlsxRows(xlsx);
    const column = (name) => sheet[0].indexOf(name);
    for (const [kpi, name] of [[satisfied, "Доля удовлетворённых"], [nps, "NPS"]]) {
      for (const q of kpi.quarters) {
        const row = sheet.find((r) => r[0] === name && r[column("Квартал")] === q.quarter);
        assert.ok(row, `${name} ${q.quarter} in the workbook`);
        assert.equal(Number(row[column("n (ответов или замеров)")]), q.n);
        sameNumber(row[column("Значение")], q.value, `${name} ${q.quarter}`);
        sameNumber(row[column("Целевое значение")], kpi.target.value, `${name} target`);
      }
    }
    const timeRow = sheet.find((r) => r[0].startsWith("Время процесса") && r[column("Квартал")] === latestTime.quarter);
    sameNumber(timeRow[column("Значение")], latestTime.worst, "time worst");
    assert.equal(timeRow[column("Предупреждение")], "менее 10 замеров в учреждении");
    for (const q of time.reported) {
      const row = sheet.find((r) => r[0] === "Время со слов граждан (медиана)" && r[column("Квартал")] === q.quarter);
      assert.ok(row, `reported ${q.quarter} in the workbook`);
      assert.equal(Number(row[column("n (ответов или замеров)")]), q.n);
      sameNumber(row[column("Значение")], q.median, `reported ${q.quarter}`);
      assert.equal(row[column("Целевое значение")], "", "no target beside the reported time");
    }

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
    const { rows } = await get(page, `/nsi/overview?org=demo&year=${year}`);
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
    const before = await get(page, `/nsi/targets?org=demo&life_situation=${SITUATION}`);
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
    assert.equal((await get(page, `/nsi/targets?org=demo&life_situation=${SITUATION}`)).history.length, before.history.length);

    await form.getByRole("button", { name: "Подставить предложение", exact: true }).click();
    assert.equal(await form.getByRole("textbox", { name: "Значение", exact: true }).inputValue(), "57,0");
    assert.equal(await form.getByRole("combobox", { name: "Метод", exact: true }).inputValue(), "0");
    await form.getByRole("button", { name: "Сохранить цель", exact: true }).click();
    await form.getByRole("status").filter({ hasText: "Цель сохранена" }).waitFor();
    const after = await get(page, `/nsi/targets?org=demo&life_situation=${SITUATION}`);
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
      await page.goto(`${server.url}/dashboard/nsi?org=demo`);
      await table(page, /^Сводка НСИ/).waitFor();
      assert.deepEqual(await violations(page), []);
      await page.goto(`${server.url}/dashboard/nsi-data?org=demo&life_situation=${SITUATION}`);
      await table(page, "История целей").waitFor();
      assert.deepEqual(await violations(page), []);
      await context.close();
    });
  }
});
