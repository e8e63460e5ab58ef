// The dashboard's «Рейтинг» and the exports of the current view, in a real browser against the
// real server binary and its demo data: the ranking table read back and compared with
// /rankings fetched with the same token (order, values, n, intervals, tied groups, the
// low-n institutions apart), sorting by the keyboard, the click-through to an institution,
// «Скачать XLSX» converted by headless LibreOffice and compared with /stats, «Скачать CSV»
// with the «;» separator, and axe-core on the ranking at desktop and phone sizes.
// Controls are found only by role and accessible name (contract.md §7).
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { eventually, launch, tabTo, violations } from "./helpers/browser.mjs";
import { openSignIn, pageToken, parseCsv, quarterDays, sameNumber, signIn, xlsxRows } from "./helpers/dashboard.mjs";
import { startServer } from "./helpers/server.mjs";

const REGION = "Демонстрационная область";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const TIE = "не различаются статистически";

/** A table cell's figure: one decimal, half away from zero, decimal comma, ASCII minus. */
function cell(value) {
  if (value === null) return "—";
  const tenths = Math.round(Math.abs(value) * 10);
  return `${value < 0 && tenths > 0 ? "-" : ""}${(tenths / 10).toFixed(1).replace(".", ",")}`;
}

const heading = (page, name) => page.getByRole("heading", { level: 1, name, exact: true });
const rankingTable = (page) => page.getByRole("table", { name: /^Рейтинг/ });
const lowNTable = (page) => page.getByRole("table", { name: /мало ответов/ });

/** The cells' texts of a table's body rows, row by row. */
const bodyRows = (table) =>
  table.locator("tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [...tr.querySelectorAll("th, td")].map((c) => c.textContent.replace(/\s+/g, " ").trim())),
  );

describe("«Рейтинг» and the exports of the view", () => {
  let server;
  let browser;
  let dir;

  before(async () => {
    server = await startServer();
    browser = await launch();
    dir = await mkdtemp(join(tmpdir(), "otklik-ranking-"));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function open(viewport = DESKTOP) {
    const { context, page, console } = await openSignIn(browser, `${server.url}/dashboard`, viewport);
    await signIn(page, "official", "otklik-official");
    await heading(page, REGION).waitFor();
    return { context, page, console };
  }

  /** GET with the page's token; the parsed JSON or, with `raw`, the response. */
  async function get(page, path, raw = false) {
    const token = await pageToken(page);
    const res = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
    assert.equal(res.status, 200, path);
    return raw ? res : res.json();
  }

  /** Opens «Рейтинг» from the sections' links and waits for the ranked table. */
  async function openRanking(page) {
    await page.getByRole("navigation", { name: "Разделы" }).getByRole("link", { name: "Рейтинг", exact: true }).click();
    await rankingTable(page).waitFor();
    assert.equal(new URL(page.url()).pathname, "/dashboard/ranking");
  }

  /** The view's period, questionnaire and metric as the pickers hold them. */
  async function pickers(page) {
    return {
      period: await page.getByRole("combobox", { name: "Период" }).inputValue(),
      questionnaire: await page.getByRole("combobox", { name: "Анкета" }).inputValue(),
      metric: await page.getByRole("combobox", { name: "Показатель" }).inputValue(),
    };
  }

  test("the region's ranking is /rankings: order, values, groups, ties, low n apart", async () => {
    const { context, page, console } = await open();
    await openRanking(page);
    const { period, questionnaire, metric } = await pickers(page);
    assert.equal(metric, "satisfied", "the НСИ default is the share satisfied");
    const { from, to } = quarterDays(period);
    const reply = await get(
      page,
      `/api/v1/rankings?org=demo&questionnaire=${questionnaire}&metric=${metric}&from=${from}&to=${to}`,
    );
    const ranked = reply.institutions.filter((i) => i.rank !== null);
    const unranked = reply.institutions.filter((i) => i.rank === null);
    assert.ok(ranked.length >= 3, JSON.stringify(reply));
    const size = (group) => ranked.filter((i) => i.group === group).length;

    const rows = await bodyRows(rankingTable(page));
    assert.equal(rows.length, ranked.length);
    ranked.forEach((inst, i) => {
      const [rank, name, value, n, interval, group] = rows[i];
      assert.equal(rank, String(inst.rank), `${inst.name} rank`);
      assert.equal(name, inst.name);
      assert.equal(value, cell(inst.value), `${inst.name} value`);
      assert.equal(n, String(inst.n), `${inst.name} n`);
      assert.equal(interval, `[${cell(inst.ci95[0])}; ${cell(inst.ci95[1])}]`, `${inst.name} interval`);
      assert.equal(group.split(" ")[0], String(inst.group), `${inst.name} group`);
      assert.equal(group.includes(TIE), size(inst.group) > 1, `${inst.name}: ${group}`);
    });
    // Each tied group is its own row group, in the server's order.
    const groups = await rankingTable(page).locator("tbody").evaluateAll((bodies) => bodies.map((b) => b.rows.length));
    assert.deepEqual(groups, [...new Set(ranked.map((i) => i.group))].map(size));
    // Every ranked institution's interval is drawn.
    assert.equal(await rankingTable(page).locator("tbody svg .whisker").count(), ranked.filter((i) => i.ci95).length);
    // The demo ranks its employment centres last.
    if (ranked.some((i) => i.org.startsWith("czn-"))) {
      assert.match(ranked.at(-1).name, /^Центр занятости/);
      assert.match(rows.at(-1)[1], /^Центр занятости/);
    }

    // The institutions with too few answers are apart, unranked.
    if (unranked.length) {
      const few = await bodyRows(lowNTable(page));
      assert.deepEqual(few.map((r) => r[0]).sort(), unranked.map((i) => i.name).sort());
      for (const inst of unranked) {
        const row = few.find((r) => r[0] === inst.name);
        assert.deepEqual(row.slice(1, 3), [cell(inst.value), String(inst.n)], inst.name);
      }
    } else {
      assert.equal(await lowNTable(page).count(), 0);
    }

    // Another metric: the table follows /rankings of NPS.
    await page.getByRole("combobox", { name: "Показатель" }).selectOption("nps");
    const nps = await get(
      page,
      `/api/v1/rankings?org=demo&questionnaire=${questionnaire}&metric=nps&from=${from}&to=${to}`,
    );
    const first = nps.institutions.find((i) => i.rank === 1);
    await rankingTable(page).filter({ hasText: "NPS" }).waitFor();
    const npsRows = await bodyRows(rankingTable(page));
    assert.deepEqual(npsRows[0].slice(1, 3), [first.name, cell(first.value)]);
    assert.deepEqual(console.all().filter((m) => !/401|Unauthorized/.test(m)), []);
    await context.close();
  });

  test("the keyboard sorts by a column; a name opens that institution's overview", async () => {
    const { context, page } = await open();
    await openRanking(page);
    const table = rankingTable(page);
    const nHeader = table.getByRole("columnheader", { name: "n", exact: true });
    const nButton = table.getByRole("button", { name: "n", exact: true });
    assert.equal(await nHeader.getAttribute("aria-sort"), "none");
    await page.getByRole("combobox", { name: "Показатель" }).focus();
    await tabTo(page, nButton);
    await page.keyboard.press("Enter");
    await eventually("sorted by n, largest first", async () => (await nHeader.getAttribute("aria-sort")) === "descending");
    const counts = (await bodyRows(table)).map((r) => Number(r[3]));
    assert.deepEqual(counts, [...counts].sort((a, b) => b - a));
    // Sorted by another column the table is one row group: the tied groups belong to the ranks.
    assert.equal(await table.locator("tbody").count(), 1);
    await page.keyboard.press("Enter");
    await eventually("smallest first", async () => (await nHeader.getAttribute("aria-sort")) === "ascending");
    const ascending = (await bodyRows(table)).map((r) => Number(r[3]));
    assert.deepEqual(ascending, [...ascending].sort((a, b) => a - b));

    const byName = table.getByRole("button", { name: "Учреждение", exact: true });
    await byName.focus();
    await page.keyboard.press("Space");
    await eventually("sorted by name", async () =>
      (await table.getByRole("columnheader", { name: "Учреждение" }).getAttribute("aria-sort")) === "ascending",
    );
    assert.equal(await nHeader.getAttribute("aria-sort"), "none");
    const names = (await bodyRows(table)).map((r) => r[1]);
    assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, "ru")));

    // Click through: the overview of that institution, for the same period.
    const period = await page.getByRole("combobox", { name: "Период" }).inputValue();
    await table.getByRole("link", { name: names[0], exact: true }).click();
    await heading(page, names[0]).waitFor();
    const url = new URL(page.url());
    assert.equal(url.pathname, "/dashboard");
    await page.getByRole("region", { name: "Доля удовлетворённых", exact: true }).waitFor();
    assert.equal(await page.getByRole("combobox", { name: "Период" }).inputValue(), period);
    await context.close();
  });

  test("«Скачать XLSX» on the overview holds /stats' numbers; «Скачать CSV» with «;» is Russian CSV", async () => {
    const { context, page } = await open();
    const period = await page.getByRole("combobox", { name: "Период" }).inputValue();
    const questionnaire = await page.getByRole("combobox", { name: "Анкета" }).inputValue();
    const { from, to } = quarterDays(period);
    const query = `org=demo&questionnaire=${questionnaire}&from=${from}&to=${to}`;
    const stats = await get(page, `/api/v1/stats?${query}`);
    // The export's English header names the columns; the workbook has them in the same order.
    const header = parseCsv((await (await get(page, `/api/v1/export/stats.csv?${query}`, true)).text()).replace(/^\uFEFF/, ""), ",")[0];
    const column = (name) => {
      const i = header.indexOf(name);
      assert.ok(i >= 0, `${name} in ${header}`);
      return i;
    };

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Скачать XLSX", exact: true }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `otklik-demo-${period}.xlsx`);
    const xlsx = join(dir, download.suggestedFilename());
    await download.saveAs(xlsx);
    const sheet = await xlsxRows(xlsx);
    const total = sheet[1];
    assert.equal(total[column("org")], "demo");
    assert.equal(Number(total[column("responses")]), stats.responses);
    const process = stats.questions.process;
    assert.equal(Number(total[column("process.n")]), process.n);
    sameNumber(total[column("process.satisfied_pct")], process.satisfied_pct, "satisfied_pct");
    sameNumber(total[column("process.ci_low")], process.ci95[0], "ci_low");
    sameNumber(total[column("nps.nps")], stats.questions.nps.nps, "nps");
    assert.ok(sheet.length > 2, "one row per institution after the total");

    // CSV with «;»: BOM, semicolons, decimal commas.
    await page.getByRole("checkbox", { name: /«;»/ }).check();
    const [csvDownload] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Скачать CSV", exact: true }).click(),
    ]);
    assert.equal(csvDownload.suggestedFilename(), `otklik-demo-${period}.csv`);
    const csvPath = join(dir, "semicolon.csv");
    await csvDownload.saveAs(csvPath);
    const bytes = await readFile(csvPath);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "UTF-8 with BOM");
    const rows = parseCsv(bytes.toString("utf8").replace(/^\uFEFF/, ""), ";");
    assert.deepEqual(rows[0].slice(0, 3), ["org", "name", "responses"]);
    assert.equal(rows[0].length, header.length, "one field per column: «;» separates them");
    assert.equal(rows[1][column("process.satisfied_pct")], String(process.satisfied_pct).replace(".", ","));
    assert.equal(Number(rows[1][column("responses")]), stats.responses);
    await context.close();
  });

  test("a failed download says so in Russian", async () => {
    const { context, page } = await open();
    await page.route("**/api/v1/export/**", (route) =>
      route.fulfill({ status: 503, contentType: "application/json", body: '{"error":{"code":"unavailable","message":"busy"}}' }),
    );
    await page.getByRole("button", { name: "Скачать CSV", exact: true }).click();
    await page.getByRole("alert").filter({ hasText: "Не удалось скачать файл" }).waitFor();
    await context.close();
  });

  test("axe finds nothing on «Рейтинг», on a desktop and a phone", async () => {
    const found = {};
    for (const [size, viewport] of Object.entries({ desktop: DESKTOP, phone: PHONE })) {
      const { context, page } = await open(viewport);
      await openRanking(page);
      found[size] = await violations(page);
      await context.close();
    }
    assert.deepEqual(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length)), {});
  });
});
