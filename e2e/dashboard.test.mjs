// The officials' dashboard (/dashboard) in a real browser against the real server binary and
// its demo data: sign-in, drilling down the «Структура» tree by link names, a card's value
// checked against /stats fetched with the same token, the view kept in the address across a
// period change, a reload and an expired token, «Выйти», the operator's screen without
// results, axe-core at desktop and phone sizes, and the overview driven by the keyboard alone.
// Controls are found only by role and accessible name (contract.md §7).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";

import { eventually, launch, tabTo, violations } from "./helpers/browser.mjs";
import { openSignIn, pageToken, quarterDays, SESSION_KEY, shown, signIn } from "./helpers/dashboard.mjs";
import { startServer } from "./helpers/server.mjs";

const REGION = "Демонстрационная область";
const DISTRICT = "Зареченский муниципальный район";
const INSTITUTION = "КЦСОН «Заречье»";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const NUMERALS = ["I", "II", "III", "IV"];

/** A count as the card shows it (spaces already normalised): thousands apart from 10 000 on,
 * as Russian typography groups them. */
const grouped = (n) => (n < 10000 ? String(n) : String(n).replace(/\B(?=(\d{3})+(?!\d))/g, " "));

/** «2026 — I квартал» of the address form `2026Q1`. */
function quarterLabel(period) {
  const [year, q] = period.split("Q");
  return `${year} — ${NUMERALS[Number(q) - 1]} квартал`;
}

/** The quarter before `2026Q1` in the address form. */
function previousQuarter(period) {
  const [year, q] = period.split("Q").map(Number);
  return q === 1 ? `${year - 1}Q4` : `${year}Q${q - 1}`;
}

const structure = (page) => page.getByRole("navigation", { name: "Структура" });
const heading = (page, name) => page.getByRole("heading", { level: 1, name, exact: true });

/** Follows the tree's links from the region down to the demo КЦСОН. */
async function drillToInstitution(page) {
  const tree = structure(page);
  await heading(page, REGION).waitFor();
  await tree.getByRole("link", { name: DISTRICT, exact: true }).click();
  await heading(page, DISTRICT).waitFor();
  await tree.getByRole("link", { name: INSTITUTION, exact: true }).click();
  await heading(page, INSTITUTION).waitFor();
}

/** The text of a card once its figures are in. */
async function cardText(page, name) {
  const card = page.getByRole("region", { name, exact: true });
  await card.waitFor();
  return (await card.innerText()).replace(/\s+/g, " ");
}

describe("officials' dashboard", () => {
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

  const open = (viewport = DESKTOP, path = "/dashboard") => openSignIn(browser, `${server.url}${path}`, viewport);

  test("a wrong password is refused in Russian; the official drills down and reads /stats' value", async () => {
    const { context, page, console } = await open();
    await page.getByRole("textbox", { name: "Логин", exact: true }).fill("official");
    await page.getByLabel("Пароль", { exact: true }).fill("wrong");
    await page.getByRole("button", { name: "Войти", exact: true }).click();
    await eventually("the refusal", async () =>
      /Неверный логин или пароль/.test((await page.getByRole("alert").first().textContent()) ?? ""),
    );
    await signIn(page, "official", "otklik-official");
    // Right after signing in, the focus is on what opened.
    await eventually("the focus on the heading", () =>
      page.evaluate(() => document.activeElement?.tagName === "H1"),
    );
    await drillToInstitution(page);
    const url = new URL(page.url());
    assert.equal(url.searchParams.get("org"), "kcson-zarechye");
    assert.equal(
      await structure(page).getByRole("link", { name: INSTITUTION, exact: true }).getAttribute("aria-current"),
      "page",
    );

    const period = await page.getByRole("combobox", { name: "Период" }).inputValue();
    const questionnaire = await page.getByRole("combobox", { name: "Анкета" }).inputValue();
    const { from, to } = quarterDays(period);
    const token = await pageToken(page);
    const res = await fetch(
      `${server.url}/api/v1/stats?org=kcson-zarechye&questionnaire=${questionnaire}&from=${from}&to=${to}`,
      { headers: { Authorization: `Bearer ${token}` } },
    );
    assert.equal(res.status, 200);
    const stats = await res.json();
    const process = stats.questions.process ?? stats.questions.overall;
    assert.ok(process?.satisfied_pct ?? process?.yes_pct, `a share to compare: ${JSON.stringify(stats)}`);
    const value = process.satisfied_pct ?? process.yes_pct;
    const text = await eventually("the share satisfied", async () => {
      const t = await cardText(page, "Доля удовлетворённых");
      return t.includes(shown(value)) ? t : false;
    });
    const lines = (await page.getByRole("region", { name: "Доля удовлетворённых", exact: true }).innerText())
      .split("\n")
      .map((line) => line.replace(/\s+/g, " ").trim());
    assert.ok(lines.includes(`n = ${grouped(process.n)}`), JSON.stringify(lines));
    const [lo, hi] = process.ci95;
    assert.ok(text.includes(`${shown(lo)} … ${shown(hi)}`), text);
    assert.ok(text.includes("к прошлому кварталу") || text.includes("в прошлом квартале данных нет"), text);
    assert.equal(process.low_n, text.includes("мало ответов"), text);
    const responses = await cardText(page, "Ответов");
    assert.ok(responses.replace(/\u00a0/g, "").includes(String(stats.responses)), responses);
    // The channel split holds every channel /stats counts, observation apart.
    const channels = page.getByRole("table", { name: "Каналы" });
    for (const [channel, n] of Object.entries(stats.channels)) {
      if (channel === "observation" || n === 0) continue;
      const label = { qr: "QR-код", kiosk: "Планшет", link: "Ссылка", paper: "Бумажная анкета", phone: "Телефон", interview: "Интервью" }[channel];
      const row = channels.getByRole("row", { name: new RegExp(`^${label}`) });
      assert.equal((await row.getByRole("cell").textContent()).replace(/\u00a0/g, ""), String(n));
    }
    assert.deepEqual(console.all().filter((m) => !/401|Unauthorized/.test(m)), []);
    await context.close();
  });

  test("a chart's «Таблица» holds /trends' numbers; the NPS table /stats' answers per score", async () => {
    const { context, page, console } = await open();
    await signIn(page, "official", "otklik-official");
    await heading(page, REGION).waitFor();
    const period = await page.getByRole("combobox", { name: "Период" }).inputValue();
    const questionnaire = await page.getByRole("combobox", { name: "Анкета" }).inputValue();
    const token = await pageToken(page);
    const get = async (path) => {
      const res = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200, path);
      return res.json();
    };
    // Two years of quarters ending with the selected one, as the overview asks for them.
    let first = period;
    for (let i = 1; i < 8; i++) first = previousQuarter(first);
    const trends = await get(
      `/api/v1/trends?org=demo&questionnaire=${questionnaire}&question=process&grain=quarter` +
        `&from=${quarterDays(first).from}&to=${quarterDays(period).to}`,
    );
    assert.equal(trends.periods.length, 8, JSON.stringify(trends));

    const trend = page.getByRole("figure").filter({ hasText: "Динамика по кварталам" });
    await trend.getByRole("button", { name: "Таблица", exact: true }).click();
    const table = trend.getByRole("table");
    await table.waitFor();
    const rows = await table.locator("tbody tr").evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll("th, td")].map((c) => c.textContent.trim())),
    );
    assert.equal(rows.length, trends.periods.length);
    trends.periods.forEach((p, i) => {
      const [label, value, n, interval] = rows[i];
      assert.equal(label, quarterLabel(p.period), `row ${i}`);
      assert.equal(n, String(p.n), `${p.period} n`);
      if (p.value === null) {
        assert.equal(value, "—", `${p.period} value`);
      } else {
        assert.equal(value, shown(p.value).replace("\u2212", "-"), `${p.period} value`);
        assert.equal(
          interval,
          `[${shown(p.ci95[0]).replace("\u2212", "-")}; ${shown(p.ci95[1]).replace("\u2212", "-")}]`,
          `${p.period} interval`,
        );
      }
    });

    const { from, to } = quarterDays(period);
    const stats = await get(`/api/v1/stats?org=demo&questionnaire=${questionnaire}&from=${from}&to=${to}`);
    const nps = page.getByRole("figure").filter({ hasText: "NPS" }).last();
    await nps.getByRole("button", { name: "Таблица", exact: true }).click();
    const scoreRows = await nps.getByRole("table").locator("tbody tr").evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll("th, td")].map((c) => c.textContent.trim())),
    );
    stats.questions.nps.scores.forEach((count, score) => {
      assert.equal(scoreRows[score][0], String(score));
      assert.equal(scoreRows[score][2], String(count), `answers scoring ${score}`);
    });
    assert.deepEqual(console.all().filter((m) => !/401|Unauthorized/.test(m)), []);
    await context.close();
  });

  test("the period lives in the address; a reload keeps the view; «Выйти» ends the session", async () => {
    const { context, page } = await open();
    await signIn(page, "official", "otklik-official");
    await drillToInstitution(page);
    const combobox = page.getByRole("combobox", { name: "Период" });
    const current = await combobox.inputValue();
    assert.match(current, /^\d{4}Q[1-4]$/);
    assert.ok(await combobox.getByRole("option", { name: quarterLabel(current), exact: true }).count());
    const earlier = previousQuarter(current);
    await combobox.selectOption({ label: quarterLabel(earlier) });
    await eventually("the period in the address", () => new URL(page.url()).searchParams.get("period") === earlier);
    assert.equal(new URL(page.url()).searchParams.get("org"), "kcson-zarechye");
    await page.reload();
    await heading(page, INSTITUTION).waitFor();
    assert.equal(await page.getByRole("combobox", { name: "Период" }).inputValue(), earlier);
    await page.getByRole("region", { name: "Ответов", exact: true }).waitFor();
    // Back goes to the previous view.
    await page.goBack();
    await eventually("the previous period", async () =>
      (await page.getByRole("combobox", { name: "Период" }).inputValue()) === current,
    );
    await page.getByRole("button", { name: "Выйти", exact: true }).click();
    const login = page.getByRole("textbox", { name: "Логин", exact: true });
    await login.waitFor();
    // The focus goes where the person will type next, not back to the top of the page.
    await eventually("the focus in «Логин»", () => login.evaluate((el) => el === document.activeElement));
    assert.equal(await page.evaluate((key) => sessionStorage.getItem(key), SESSION_KEY), null);
    await page.reload();
    await page.getByRole("textbox", { name: "Логин", exact: true }).waitFor();
    assert.equal(await page.getByRole("button", { name: "Выйти" }).count(), 0);
    await context.close();
  });

  test("an expired token returns to the sign-in, then to the same view", async () => {
    const { context, page } = await open();
    await signIn(page, "official", "otklik-official");
    await drillToInstitution(page);
    const view = page.url();
    // A token the server never signed, expired an hour ago; the client's own clock still
    // thinks the session is fine, so it is the server's 401 that ends it.
    const forged = await page.evaluate((key) => {
      const b64 = (o) => btoa(JSON.stringify(o)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
      const session = JSON.parse(sessionStorage.getItem(key));
      const exp = Math.floor(Date.now() / 1000) - 3600;
      session.token = `${b64({ alg: "HS256", typ: "JWT" })}.${b64({ sub: "official", exp })}.${"x".repeat(43)}`;
      sessionStorage.setItem(key, JSON.stringify(session));
      return session.token;
    }, SESSION_KEY);
    assert.ok(forged.split(".").length === 3);
    await page.reload();
    await page.getByRole("textbox", { name: "Логин", exact: true }).waitFor();
    await page.getByRole("status").filter({ hasText: "Сеанс завершён" }).waitFor();
    assert.equal(page.url(), view, "the address is kept");
    await signIn(page, "official", "otklik-official");
    await heading(page, INSTITUTION).waitFor();
    assert.equal(page.url(), view);
    await page.getByRole("region", { name: "Доля удовлетворённых", exact: true }).waitFor();
    await context.close();
  });

  test("an operator finds no results; an observer reads them", async () => {
    const { context, page } = await open();
    await signIn(page, "operator", "otklik-operator");
    // Their first section, «Ввод анкет», opens at once.
    await page.getByRole("heading", { level: 1, name: "Ввод анкет", exact: true }).waitFor();
    for (const name of ["Ответов", "Доля удовлетворённых", "NPS", "Итоговый балл НОК"]) {
      assert.equal(await page.getByRole("region", { name }).count(), 0, name);
    }
    assert.equal(await page.getByRole("combobox", { name: "Период" }).count(), 0);
    // Only the operator's sections are linked: no overview.
    const sectionLinks = page.getByRole("navigation", { name: "Разделы" }).getByRole("link");
    assert.deepEqual(await sectionLinks.allInnerTexts(), ["Ввод анкет", "Точки опроса", "Планшеты"]);
    await page.getByRole("button", { name: "Выйти", exact: true }).click();
    // (At /dashboard/entry an observer would stay there, for walk-throughs; the results start
    // at /dashboard.)
    await page.goto(`${server.url}/dashboard`);
    await page.getByRole("textbox", { name: "Логин", exact: true }).waitFor();
    await signIn(page, "observer", "otklik-observer");
    await heading(page, REGION).waitFor();
    await page.getByRole("region", { name: "Ответов", exact: true }).waitFor();
    await context.close();
  });

  test("a bookmarked view opens after the sign-in; a quarter without answers says «мало ответов»", async () => {
    // Eight quarters back: before the demo's year of answers.
    const now = new Date();
    const quarter = `${now.getFullYear() - 2}Q${Math.floor(now.getMonth() / 3) + 1}`;
    const path = `/dashboard?org=kcson-zarechye&period=${quarter}&questionnaire=nsi-satisfaction`;
    const { context, page } = await open(DESKTOP, path);
    await signIn(page, "official", "otklik-official");
    await heading(page, INSTITUTION).waitFor();
    assert.equal(await page.getByRole("combobox", { name: "Период" }).inputValue(), quarter);
    for (const name of ["Ответов", "Доля удовлетворённых", "NPS"]) {
      const text = await cardText(page, name);
      assert.ok(text.includes("мало ответов"), `${name}: ${text}`);
    }
    assert.ok((await cardText(page, "Доля удовлетворённых")).includes("нет данных"));
    assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, path);
    await context.close();
  });

  test("English is one switch away, on the sign-in and in the workspace", async () => {
    const { context, page } = await open();
    await page.getByRole("button", { name: "English", exact: true }).click();
    await page.getByRole("textbox", { name: "Login", exact: true }).fill("official");
    await page.getByLabel("Password", { exact: true }).fill("otklik-official");
    await page.getByRole("button", { name: "Sign in", exact: true }).click();
    await page.getByRole("button", { name: "Sign out", exact: true }).waitFor();
    await page.getByRole("navigation", { name: "Structure" }).waitFor();
    await page.getByRole("region", { name: "Share satisfied", exact: true }).waitFor();
    const period = await page.getByRole("combobox", { name: "Period" }).inputValue();
    const [year, q] = period.split("Q");
    await page.getByRole("combobox", { name: "Period" }).getByRole("option", { name: `Q${q} ${year}`, exact: true }).waitFor({ state: "attached" });
    await page.getByRole("button", { name: "Русский", exact: true }).click();
    await page.getByRole("region", { name: "Доля удовлетворённых", exact: true }).waitFor();
    await context.close();
  });

  test("the search finds an institution by name or code", async () => {
    const { context, page } = await open();
    await signIn(page, "official", "otklik-official");
    await heading(page, REGION).waitFor();
    const search = structure(page).getByRole("searchbox", { name: "Поиск учреждения" });
    await search.fill("заречье");
    await structure(page).getByRole("link", { name: INSTITUTION, exact: true }).click();
    await heading(page, INSTITUTION).waitFor();
    assert.equal(new URL(page.url()).searchParams.get("q"), "заречье");
    await search.fill("kcson-zarechye");
    await structure(page).getByRole("link", { name: INSTITUTION, exact: true }).waitFor();
    await search.fill("нет такого учреждения");
    await structure(page).getByText("Ничего не найдено.").waitFor();
    await context.close();
  });

  test("axe finds nothing on the sign-in and the overview, on a desktop and a phone", async () => {
    const found = {};
    for (const [size, viewport] of Object.entries({ desktop: DESKTOP, phone: PHONE })) {
      const { context, page } = await open(viewport);
      found[`sign-in ${size}`] = await violations(page);
      await signIn(page, "official", "otklik-official");
      await drillToInstitution(page);
      await page.getByRole("region", { name: "Доля удовлетворённых", exact: true }).waitFor();
      found[`overview ${size}`] = await violations(page);
      await context.close();
    }
    assert.deepEqual(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length)), {});
  });

  test("the keyboard alone reaches the tree, drills down, changes the period and reaches the cards", async () => {
    const { context, page } = await open();
    await page.getByRole("textbox", { name: "Логин", exact: true }).focus();
    await page.keyboard.type("official");
    await page.keyboard.press("Tab");
    await page.keyboard.type("otklik-official");
    await page.keyboard.press("Enter");
    await heading(page, REGION).waitFor();
    // Start from the top bar, before the tree, as someone tabbing from the top of the page.
    await page.getByRole("button", { name: "Выйти", exact: true }).focus();
    const tree = structure(page);
    const district = tree.getByRole("link", { name: DISTRICT, exact: true });
    await tabTo(page, district);
    await page.keyboard.press("Enter");
    await heading(page, DISTRICT).waitFor();
    // The link just followed keeps the focus: drilling on is one more Tab.
    assert.ok(await district.evaluate((el) => el === document.activeElement));
    // …and what opened is said to screen readers.
    await eventually("the opened view announced", async () =>
      (await page.getByRole("status").filter({ hasText: `Открыто: ${DISTRICT}` }).count()) === 1,
    );
    const institution = tree.getByRole("link", { name: INSTITUTION, exact: true });
    await tabTo(page, institution, 10);
    await page.keyboard.press("Enter");
    await heading(page, INSTITUTION).waitFor();
    const period = page.getByRole("combobox", { name: "Период" });
    await tabTo(page, period);
    const before = await period.inputValue();
    await page.keyboard.press("ArrowDown");
    await eventually("another period in the address", () => {
      const now = new URL(page.url()).searchParams.get("period");
      return now !== null && now !== before;
    });
    await page.getByRole("region", { name: "Ответов", exact: true }).waitFor();
    for (const name of ["Ответов", "Доля удовлетворённых"]) {
      await tabTo(page, page.getByRole("region", { name, exact: true }));
    }
    await context.close();
  });

  test("2,000 institutions: the tree renders a bounded list and the search answers at once", async () => {
    // A district of 2,000 institutions, imported through the CLI into the running server's
    // database, as a region would load its registry.
    const dir = await mkdtemp(join(tmpdir(), "otklik-orgs-"));
    const csv = join(dir, "orgs.csv");
    const rows = ["code,name,kind,parent,sector,tz", "bulk,Массовый район,municipality,demo,,Europe/Moscow"];
    for (let i = 0; i < 2000; i++) {
      rows.push(`bulk-${String(i).padStart(4, "0")},Учреждение № ${i},institution,bulk,social,Europe/Moscow`);
    }
    await writeFile(csv, rows.join("\n") + "\n");
    await promisify(execFile)(server.bin, ["org", "import", csv, "--database-url", server.databaseUrl]);
    await rm(dir, { recursive: true, force: true });

    const { context, page } = await open();
    await signIn(page, "official", "otklik-official");
    const tree = structure(page);
    await tree.getByRole("link", { name: "Массовый район", exact: true }).click();
    await heading(page, "Массовый район").waitFor();
    await tree.getByText("Ещё 1900 — найдите их поиском.").waitFor();
    const links = await tree.getByRole("link").count();
    assert.ok(links < 150, `${links} links rendered in the tree`);
    const search = tree.getByRole("searchbox", { name: "Поиск учреждения" });
    const started = Date.now();
    await search.fill("bulk-1999");
    await tree.getByRole("link", { name: "Учреждение № 1999", exact: true }).waitFor();
    const took = Date.now() - started;
    assert.ok(took < 1000, `the search took ${took} ms`);
    await search.fill("Учреждение № 1");
    await tree.getByText("Показаны первые 50 из 1111: уточните запрос.").waitFor();
    assert.equal(await tree.getByRole("link").count(), 50);
    await context.close();
  });

  test("citizens never download the dashboard, and the service worker does not precache it", async () => {
    const sw = await (await fetch(`${server.url}/sw.js`)).text();
    const precache = sw.match(/const PRECACHE = (\[.*?\]);/)[1];
    assert.ok(!precache.includes("dashboard"), precache);
    assert.ok(!sw.match(/const KIOSK = (\[.*?\]);/)[1].includes("dashboard"));
    const context = await browser.newContext({ locale: "ru-RU", viewport: PHONE });
    const page = await context.newPage();
    const requested = [];
    page.on("request", (r) => requested.push(r.url()));
    await page.goto(`${server.url}/q/mfc-center-1`);
    await page.getByRole("button", { name: /^(English|Русский)$/ }).waitFor();
    assert.deepEqual(requested.filter((u) => /dashboard/.test(u)), []);
    await context.close();
  });
});
