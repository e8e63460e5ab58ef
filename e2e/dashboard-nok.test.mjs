// The dashboard's НОК page («Чек-лист НОК») and «Комментарии» in a real browser against the real
// server binary and its demo data: Sn and an indicator read from the page and checked against
// /stats with the same token; the checklist of an institution that has none yet entered by
// ticking its items' checkboxes, Sn appearing after «Сохранить чек-лист» and equal to /stats; a
// bad entry refused in Russian; the observer sees the figures and the comments but no form; the
// comments feed equal to /comments (order, masking), a filter, «Показать ещё» paging without
// repeats; axe-core on both screens at desktop and phone sizes. Controls are found only by role
// and accessible name (contract.md §7).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { eventually, launch, violations, watchConsole } from "./helpers/browser.mjs";
import { pageToken, quarterDays, shown, signIn } from "./helpers/dashboard.mjs";
import { startServer } from "./helpers/server.mjs";

const REGION = "Демонстрационная область";
const DISTRICT = "Зареченский муниципальный район";
const INSTITUTION = "КЦСОН «Заречье»";
const NEW_ORG = "kcson-e2e";
const NEW_NAME = "КЦСОН «Новый»";
/** Responses (each with a free-text suggestion) posted to the new institution: more than one
 * page of comments (100). */
const NEW_RESPONSES = 130;
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

const heading = (page, name, level = 1) => page.getByRole("heading", { level, name, exact: true });
const snCard = (page) => page.getByRole("region", { name: "Итоговый балл НОК", exact: true });
const feed = (page) => page.getByRole("list", { name: "Комментарии, сначала новые" });
const normal = (s) => s.replace(/\s+/g, " ").trim();

describe("dashboard: НОК page and comments", () => {
  let server;
  let browser;
  let api;

  before(async () => {
    server = await startServer();
    browser = await launch();
    const call = async (path, { token, method = "GET", body } = {}) => {
      const res = await fetch(`${server.url}/api/v1${path}`, {
        method,
        headers: {
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(body ? { "Content-Type": "application/json" } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
      const json = await res.json();
      assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    api = call;
    // A new social-services institution with a НОК point and answers, but no checklist.
    const { token } = await call("/auth/login", {
      method: "POST",
      body: { login: "official", password: "otklik-official" },
    });
    await call("/orgs", {
      token,
      method: "POST",
      body: { code: NEW_ORG, name: NEW_NAME, kind: "institution", parent: "demo-zarechny", sector: "social", tz: "Europe/Moscow" },
    });
    await call("/points", {
      token,
      method: "POST",
      body: { code: `${NEW_ORG}-nok`, org: NEW_ORG, questionnaire: "nok-social" },
    });
    const { questions } = await call("/questionnaires/nok-social/1");
    const now = Date.now();
    const responses = Array.from({ length: NEW_RESPONSES }, (_, i) => ({
      id: crypto.randomUUID(),
      point: `${NEW_ORG}-nok`,
      questionnaire: "nok-social",
      version: 1,
      channel: "qr",
      device: null,
      seq: null,
      // A minute apart, all within the last few hours: newest first is by this.
      submitted_at: new Date(now - (NEW_RESPONSES - i) * 60_000).toISOString(),
      answers: [
        ...questions
          .filter((q) => q.kind === "yes_no")
          .map((q) => ({ q: q.id, v: !(q.id === "overall" && i % 4 === 0) && !(q.id === "recommend" && i % 3 === 0) })),
        { q: "suggestions", v: `Предложение ${i}: перезвоните мне, +7 912 345-67-${String(10 + (i % 80)).padStart(2, "0")}` },
      ],
    }));
    const { results } = await call("/responses", { method: "POST", body: { responses } });
    assert.deepEqual(new Set(results.map((r) => r.status)), new Set(["created"]), JSON.stringify(results.slice(0, 3)));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  /** A fresh page at `path`, signed in as `login`. */
  async function open(login, password, path, viewport = DESKTOP) {
    const context = await browser.newContext({ locale: "ru-RU", viewport });
    const page = await context.newPage();
    const console = watchConsole(page);
    await page.goto(`${server.url}${path}`);
    await signIn(page, login, password);
    return { context, page, console };
  }

  /** `GET` with the page's own token. */
  async function asPage(page, path) {
    const token = await pageToken(page);
    return api(path, { token });
  }

  /** /stats of the page's institution and period, as the page asks for it. */
  async function statsOf(page, org) {
    const period = await page.getByRole("combobox", { name: "Период" }).inputValue();
    const { from, to } = quarterDays(period);
    return asPage(page, `/stats?org=${org}&questionnaire=nok-social&from=${from}&to=${to}`);
  }

  test("the official opens «Чек-лист НОК» and reads Sn and an indicator as /stats gives them", async () => {
    const { context, page, console } = await open("official", "otklik-official", "/dashboard");
    await page.getByRole("navigation", { name: "Разделы" }).getByRole("link", { name: "Чек-лист НОК", exact: true }).click();
    await heading(page, REGION).waitFor();
    // Above one institution the page lists the institutions to open.
    await page.getByText("Показатели НОК и чек-лист ведутся по учреждению. Выберите учреждение:").waitFor();
    assert.equal(await page.getByRole("checkbox").count(), 0, "no form above one institution");
    const tree = page.getByRole("navigation", { name: "Структура" });
    await tree.getByRole("link", { name: DISTRICT, exact: true }).click();
    await heading(page, DISTRICT).waitFor();
    await tree.getByRole("link", { name: INSTITUTION, exact: true }).click();
    await heading(page, INSTITUTION).waitFor();
    assert.equal(new URL(page.url()).pathname, "/dashboard/nok");

    const stats = await statsOf(page, "kcson-zarechye");
    const nok = stats.nok;
    assert.ok(nok && nok.total !== null, JSON.stringify(nok));
    const card = await eventually("Sn", async () => {
      const text = normal(await snCard(page).innerText());
      return text.includes(shown(nok.total)) ? text : false;
    });
    const [lo, hi] = nok.ci95.total;
    assert.ok(card.includes(`${shown(lo)} … ${shown(hi)}`), card);
    assert.ok(card.includes(`n = ${nok.n}`), card);
    // An indicator's row: its value and its n.
    const indicators = page.getByRole("table", { name: /^Показатели НОК/ });
    const row = indicators.getByRole("row", { name: /^5\.3 / });
    const cells = await row.getByRole("cell").allInnerTexts();
    assert.equal(cells[0], shown(nok.indicators["5.3"]));
    assert.equal(cells[1].replace(/\s/g, ""), String(nok.indicator_n["5.3"]));
    const checklistRow = await indicators.getByRole("row", { name: /^1\.2 / }).getByRole("cell").allInnerTexts();
    assert.deepEqual([checklistRow[0], checklistRow[1]], [shown(nok.indicators["1.2"]), "чек-лист"]);
    const k1 = await page.getByRole("table", { name: "Критерии НОК" }).getByRole("row", { name: /^K1 / }).getByRole("cell").allInnerTexts();
    assert.equal(k1[0], shown(nok.criteria.K1));
    // Which rule and methodology produced them.
    await page.getByText(`Рассчитано: правило Otklik, методика ${nok.methodology}.`).waitFor();
    // The form shows the stored checklist of the year.
    await heading(page, "Чек-лист НОК", 2).waitFor();
    const year = quarterDays(await page.getByRole("combobox", { name: "Период" }).inputValue()).to.slice(0, 4);
    const stored = await asPage(page, `/nok/checklists/kcson-zarechye/${year}`);
    const { indicators: table } = await asPage(page, "/nok/methodology");
    for (const list of table.filter((i) => i.items)) {
      for (const item of list.items) {
        const box = page.getByRole("checkbox", { name: item.name, exact: true });
        await eventually(`${item.id} as stored`, async () =>
          (await box.isChecked()) === stored.checklist[list.code].includes(item.id),
        );
      }
    }
    assert.deepEqual(console.all().filter((m) => !/401|Unauthorized/.test(m)), []);
    await context.close();
  });

  test("a checklist entered for an institution without one makes Sn appear, equal to /stats", async () => {
    const { context, page, console } = await open("official", "otklik-official", `/dashboard/nok?org=${NEW_ORG}`);
    await heading(page, NEW_NAME).waitFor();
    const before = await statsOf(page, NEW_ORG);
    assert.equal(before.nok.total, null, "no Sn without a checklist");
    await eventually("no Sn yet", async () => normal(await snCard(page).innerText()).includes("нет данных"));
    const year = quarterDays(await page.getByRole("combobox", { name: "Период" }).inputValue()).to.slice(0, 4);
    await page.getByRole("status").filter({ hasText: `За ${year} год чек-лист ещё не вводился.` }).waitFor();

    const counts = {
      "Пунктов информации на стендах: размещено": "12",
      "Пунктов информации на стендах: требуется": "10",
      "Пунктов информации на сайте: размещено": "18",
      "Пунктов информации на сайте: требуется": "20",
    };
    for (const [name, value] of Object.entries(counts)) {
      await page.getByRole("textbox", { name, exact: true }).fill(value);
    }
    const ticked = {
      "1.2": ["Телефон", "Электронная почта"],
      "2.1": ["Доступность питьевой воды", "Наличие и понятность навигации внутри организации"],
      "3.1": ["Оборудование входных групп пандусами (подъёмными платформами)", "Наличие сменных кресел-колясок"],
      "3.2": ["Возможность предоставления услуги в дистанционном режиме или на дому"],
    };
    for (const names of Object.values(ticked)) {
      for (const name of names) await page.getByRole("checkbox", { name, exact: true }).check();
    }
    const save = page.getByRole("button", { name: "Сохранить чек-лист", exact: true });
    // A bad entry: more items present on the stands than required.
    await save.click();
    await page.getByRole("alert").filter({ hasText: "Показатель 1.1: требуемое число пунктов должно быть больше нуля, а размещённое — не больше требуемого." }).waitFor();
    await assert.rejects(asPage(page, `/nok/checklists/${NEW_ORG}/${year}`), /404/, "nothing was sent");

    await page.getByRole("textbox", { name: "Пунктов информации на стендах: размещено", exact: true }).fill("9");
    await save.click();
    await page.getByRole("status").filter({ hasText: `Чек-лист за ${year} год сохранён. Баллы: 1.1 — 90,0; 1.2 — 60,0; 2.1 — 40,0; 3.1 — 40,0; 3.2 — 20,0.` }).waitFor();
    const stored = await asPage(page, `/nok/checklists/${NEW_ORG}/${year}`);
    assert.deepEqual(stored.checklist["1.1"], { stand_present: 9, stand_required: 10, site_present: 18, site_required: 20 });
    assert.deepEqual(stored.checklist["3.1"], ["ramps", "wheelchairs"]);
    const after = await statsOf(page, NEW_ORG);
    assert.ok(after.nok.total !== null, JSON.stringify(after.nok));
    await eventually("Sn after saving", async () => normal(await snCard(page).innerText()).includes(shown(after.nok.total)));
    assert.deepEqual(console.all().filter((m) => !/401|404|Unauthorized/.test(m)), []);
    await context.close();
  });

  test("the observer sees the НОК figures and the comments, but no checklist form", async () => {
    const { context, page } = await open("observer", "otklik-observer", "/dashboard/nok?org=kcson-zarechye");
    await heading(page, INSTITUTION).waitFor();
    await eventually("Sn", async () => /\d,\d/.test(await snCard(page).innerText()));
    await page.getByRole("table", { name: "Критерии НОК" }).waitFor();
    assert.equal(await heading(page, "Чек-лист НОК", 2).count(), 0);
    assert.equal(await page.getByRole("button", { name: "Сохранить чек-лист" }).count(), 0);
    assert.equal(await page.getByRole("checkbox", { name: "Телефон", exact: true }).count(), 0);
    await page.getByRole("navigation", { name: "Разделы" }).getByRole("link", { name: "Комментарии", exact: true }).click();
    await heading(page, INSTITUTION).waitFor();
    const api = await asPage(page, "/comments?org=kcson-zarechye");
    assert.ok(api.comments.length > 0, "the demo institution has comments");
    await eventually("the feed", async () => (await feed(page).getByRole("listitem").count()) === api.comments.length);
    await context.close();
  });

  test("the comments feed equals /comments, filters and pages with «Показать ещё» without repeats", async () => {
    const { context, page, console } = await open("official", "otklik-official", `/dashboard/comments?org=${NEW_ORG}`);
    await heading(page, NEW_NAME).waitFor();
    const first = await asPage(page, `/comments?org=${NEW_ORG}`);
    assert.equal(first.comments.length, 100);
    assert.ok(first.next_cursor);
    // Each item quotes the comment's text, after the line saying when, where and on what.
    const texts = async () => (await feed(page).getByRole("blockquote").allInnerTexts()).map((t) => t.trim());
    await eventually("the first page", async () => (await texts()).length === 100);
    assert.deepEqual(await texts(), first.comments.map((c) => c.text), "the same comments in the same order");
    // Masked: the phone numbers are not on the page.
    assert.ok(first.comments[0].text.includes("***"), first.comments[0].text);
    assert.equal(await page.getByText("912 345").count(), 0);
    assert.match(first.comments[0].text, new RegExp(`^Предложение ${NEW_RESPONSES - 1}:`), "newest first");

    await page.getByRole("button", { name: "Показать ещё", exact: true }).click();
    await eventually("the second page", async () => (await texts()).length === NEW_RESPONSES);
    const second = await asPage(page, `/comments?org=${NEW_ORG}&cursor=${encodeURIComponent(first.next_cursor)}`);
    const all = await texts();
    assert.deepEqual(all, [...first.comments, ...second.comments].map((c) => c.text));
    assert.equal(new Set(all).size, all.length, "no comment twice");
    await page.getByText("Показаны все комментарии.").waitFor();
    assert.equal(await page.getByRole("button", { name: "Показать ещё" }).count(), 0);

    // «только негативные»: free-text answers are no complaints about an answer.
    await page.getByRole("checkbox", { name: "только негативные", exact: true }).check();
    const negative = await asPage(page, `/comments?org=${NEW_ORG}&negative=true`);
    await eventually("the negative feed", async () => (await texts()).length === negative.comments.length);
    await page.getByText("Комментариев нет.").waitFor();
    await page.getByRole("checkbox", { name: "только негативные", exact: true }).uncheck();
    // A period: the quarter before holds none of them.
    const period = page.getByRole("combobox", { name: "Период" });
    assert.equal(await period.inputValue(), "", "all time by default");
    const options = await period.locator("option").evaluateAll((os) => os.map((o) => o.value));
    await period.selectOption(options[2]);
    await eventually("the period in the address", async () => new URL(page.url()).searchParams.get("period") === options[2]);
    const { from, to } = quarterDays(options[2]);
    const older = await asPage(page, `/comments?org=${NEW_ORG}&from=${from}&to=${to}`);
    await eventually("the older quarter's feed", async () => (await texts()).length === older.comments.length);
    assert.deepEqual(console.all().filter((m) => !/401|Unauthorized/.test(m)), []);
    await context.close();
  });

  for (const [size, viewport] of [["1280×800", DESKTOP], ["360×740", PHONE]]) {
    test(`axe-core finds nothing on the НОК page and the comments at ${size}`, async () => {
      const { context, page } = await open("official", "otklik-official", "/dashboard/nok?org=kcson-zarechye", viewport);
      await heading(page, INSTITUTION).waitFor();
      await page.getByRole("button", { name: "Сохранить чек-лист", exact: true }).waitFor();
      await eventually("Sn", async () => /\d,\d/.test(await snCard(page).innerText()));
      assert.deepEqual(await violations(page), []);
      await page.goto(`${server.url}/dashboard/comments?org=${NEW_ORG}`);
      await eventually("the feed", async () => (await feed(page).getByRole("listitem").count()) === 100);
      assert.deepEqual(await violations(page), []);
      await context.close();
    });
  }
});
