// «Ввод анкет» (paper and phone entry) in a real browser against the real server binary and its
// demo data: the demo operator picks «Точка», «Канал» and «Пачка», the server stops, three paper
// questionnaires are keyed in from the keyboard alone (digits, letters, Enter), the page counts
// them and says they wait; the server comes back on the same data and port, and the API shows
// exactly those three stored once, with their answers, batch and channel, also after a reload
// re-runs the sync. Keyed-in answers wait for a sign-in rather than going without a token, and
// the token is never written to IndexedDB. axe-core at desktop and phone sizes; an observer
// finds «Ввод анкет» with the walk-through channel only. Controls are found only by role and accessible name (contract.md §7).
import assert from "node:assert/strict";
import { after, afterEach, before, describe, test } from "node:test";

import { eventually, launch, violations, watchConsole } from "./helpers/browser.mjs";
import { pageToken, signIn } from "./helpers/dashboard.mjs";
import { restartableServer } from "./helpers/server.mjs";

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const POINT = "kcson-zarechye-1";
const ORG = "kcson-zarechye";

const entryHeading = (page) => page.getByRole("heading", { level: 1, name: "Ввод анкет", exact: true });

/** The status region's text, spaces normalised. */
const statusText = async (page) =>
  ((await page.getByRole("status").filter({ hasText: "Сохранено" }).textContent()) ?? "").replace(/\s+/g, " ");

/** Waits until the entry status says `saved` and `waiting`. */
async function statusSays(page, saved, waiting) {
  const want = [`Сохранено: ${saved}`, `Ожидают отправки: ${waiting}`];
  let text;
  try {
    return await eventually(`«${want.join("», «")}»`, async () => {
      text = await statusText(page);
      return want.every((w) => text.includes(w)) ? text : false;
    });
  } catch (e) {
    const seen = await page.evaluate(() => {
      const active = document.activeElement;
      const alerts = [...document.querySelectorAll("[role=alert]")].map((a) => a.textContent);
      const checked = [...document.querySelectorAll("input[type=radio]:checked")].map((i) => i.name);
      return JSON.stringify({ active: `${active?.tagName} ${active?.name ?? ""} ${active?.id ?? ""}`, alerts, checked });
    });
    throw new Error(`${e.message}; the status said «${text}»; ${seen}`);
  }
}

/** Every record of the PWA's IndexedDB outbox, as stored. */
const outboxRecords = (page) =>
  page.evaluate(
    () =>
      new Promise((ok, fail) => {
        const open = indexedDB.open("otklik");
        open.onerror = () => fail(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const all = db.transaction("outbox").objectStore("outbox").getAll();
          all.onsuccess = () => {
            db.close();
            ok(all.result);
          };
          all.onerror = () => fail(all.error);
        };
      }),
  );

/** Everything in the PWA's IndexedDB database, as text. */
const wholeDatabase = (page) =>
  page.evaluate(
    () =>
      new Promise((ok, fail) => {
        const open = indexedDB.open("otklik");
        open.onerror = () => fail(open.error);
        open.onsuccess = async () => {
          const db = open.result;
          const dump = {};
          for (const name of db.objectStoreNames) {
            dump[name] = await new Promise((done) => {
              const all = db.transaction(name).objectStore(name).getAll();
              all.onsuccess = () => done(all.result);
            });
          }
          db.close();
          ok(JSON.stringify(dump));
        };
      }),
  );

/** Presses `keys` in turn; a key of several characters is typed as text. */
async function press(page, keys) {
  for (const key of keys) {
    if (key.length > 1 && key !== "Enter") await page.keyboard.type(key);
    else await page.keyboard.press(key);
  }
}

/** `GET /api/v1/<path>` with `token`. */
async function get(base, token, path) {
  const res = await fetch(`${base}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  return path.includes(".csv") ? res.text() : res.json();
}

/** The rows of a CSV without quoted fields (the answers keyed in here have no commas). */
function csvRows(text) {
  const [header, ...lines] = text.replace(/^\uFEFF/, "").trim().split(/\r?\n/);
  const columns = header.split(",");
  return lines.map((line) => Object.fromEntries(line.split(",").map((v, i) => [columns[i], v])));
}

// nsi-satisfaction: process, documents, duration, simplicity, support (4-point), nps, then the
// optional suggestions. Each sheet is the keys the operator presses and what must be stored.
const SHEETS = [
  {
    keys: ["1", "Enter", "2", "Enter", "1", "Enter", "1", "Enter", "2", "Enter", "9", "Enter", "Enter"],
    stored: { process: "yes", documents: "rather_yes", duration: "yes", simplicity: "yes", support: "rather_yes", nps: "9" },
  },
  {
    // «Нет» opens the comment box, Enter goes into it; NPS 10 is 1 then 0.
    keys: ["4", "Enter", "долго ждали", "Enter", "3", "Enter", "Enter", "1", "Enter", "2", "Enter", "1", "Enter", "1", "0", "Enter", "Enter"],
    stored: { process: "no", "process.comment": "долго ждали", documents: "rather_no", duration: "yes", simplicity: "rather_yes", support: "yes", nps: "10" },
  },
  {
    // Letters (Latin here: the test's keyboard has a US layout only; а б в г are checked on
    // the host, in `entry::keys`); the last question typed in, Enter saves from it.
    keys: ["a", "Enter", "b", "Enter", "d", "Enter", "Enter", "a", "Enter", "b", "Enter", "0", "Enter", "больше окон", "Enter"],
    stored: { process: "yes", documents: "rather_yes", duration: "no", simplicity: "yes", support: "rather_yes", nps: "0", suggestions: "больше окон" },
  },
];

describe("«Ввод анкет»", () => {
  let server;
  let browser;

  before(async () => {
    server = await restartableServer();
    browser = await launch();
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  afterEach(() => server.ensureRunning());

  async function open(viewport = DESKTOP) {
    const context = await browser.newContext({ locale: "ru-RU", viewport });
    const page = await context.newPage();
    const console = watchConsole(page);
    await page.goto(`${server.url}/dashboard`);
    await page.getByRole("textbox", { name: "Логин", exact: true }).waitFor();
    return { context, page, console };
  }

  /** Chooses the point, the paper channel and the batch label, and waits for the form. */
  async function prepare(page, batch) {
    await entryHeading(page).waitFor();
    await page.getByRole("combobox", { name: "Точка", exact: true }).selectOption(POINT);
    await page.getByRole("combobox", { name: "Канал", exact: true }).selectOption("paper");
    await page.getByRole("textbox", { name: "Пачка", exact: true }).fill(batch);
    const { questionnaire } = await server.api.point(POINT);
    await page.getByRole("group", { name: questionnaire.questions[0].text }).waitFor();
    return questionnaire;
  }

  test("three paper questionnaires keyed in with the server stopped are stored exactly once", async () => {
    const batch = "Коробка 7";
    const { context, page, console } = await open();
    await signIn(page, "operator", "otklik-operator");
    // The operator's one section opens at once.
    const questionnaire = await prepare(page, batch);
    const first = questionnaire.questions[0];
    await statusSays(page, 0, 0);

    for (const size of [DESKTOP, PHONE]) {
      await page.setViewportSize(size);
      assert.deepEqual(await violations(page), [], `axe at ${size.width}×${size.height}`);
    }
    await page.setViewportSize(DESKTOP);

    await server.stop();
    // From the «Пачка» box, Tab reaches the first question; from there on, keys alone.
    await page.getByRole("textbox", { name: "Пачка", exact: true }).focus();
    await page.keyboard.press("Tab");
    for (const [i, sheet] of SHEETS.entries()) {
      await press(page, sheet.keys);
      await statusSays(page, i + 1, i + 1);
      // The form is empty again, with the focus back on its first question.
      await eventually("the focus on the first question", () =>
        page.evaluate((name) => document.activeElement?.name === name, first.id),
      );
      const checked = await page.getByRole("group", { name: first.text }).getByRole("radio", { checked: true }).count();
      assert.equal(checked, 0, `sheet ${i + 1} left the form filled in`);
    }
    const queued = await outboxRecords(page);
    assert.equal(queued.length, 3);
    assert.ok(queued.every((q) => q.entry_batch === batch && q.response.channel === "paper"));
    const ids = queued.map((q) => q.id).sort();

    await server.restart();
    // The «online» event is the sync engine's "network is back" trigger.
    await context.setOffline(true);
    await context.setOffline(false);
    await statusSays(page, 3, 0);

    const official = await server.api.login("official", "otklik-official");
    const stored = async () => {
      const { entries } = await get(server.url, official, `/entries?org=${ORG}`);
      return entries.filter((e) => e.entry_batch === batch);
    };
    assert.deepEqual(
      (await stored()).map(({ entered_by, channel, responses }) => ({ entered_by, channel, responses })),
      [{ entered_by: "operator", channel: "paper", responses: 3 }],
    );
    const csv = await get(server.url, official, `/export/responses.csv?org=${ORG}&questionnaire=${questionnaire.id}`);
    const rows = csvRows(csv).filter((r) => ids.includes(r.id));
    assert.deepEqual(rows.map((r) => r.id).sort(), ids, "each keyed-in id stored once");
    const byOrder = [...rows].sort((a, b) => a.id.localeCompare(b.id));
    for (const [i, sheet] of SHEETS.entries()) {
      const row = byOrder[i];
      assert.equal(row.channel, "paper");
      assert.equal(row.point, POINT);
      for (const [column, value] of Object.entries(sheet.stored)) {
        assert.equal(row[column], value, `sheet ${i + 1}, ${column}`);
      }
    }

    // A reload runs the sync again: nothing more is stored.
    await page.reload();
    await entryHeading(page).waitFor();
    await statusSays(page, 0, 0);
    assert.equal((await stored())[0].responses, 3);
    assert.equal(await outboxRecords(page).then((r) => r.length), 0);
    assert.deepEqual(console.csp(), []);
    await context.close();
  });

  test("keyed-in answers wait for a sign-in, and the token never reaches IndexedDB", async () => {
    const batch = "Пачка без входа";
    const { context, page } = await open();
    await signIn(page, "operator", "otklik-operator");
    await prepare(page, batch);
    const token = await pageToken(page);
    // Every upload of responses from this page, with whether it carried a token.
    const uploads = [];
    page.on("request", (r) => {
      if (r.method() === "POST" && new URL(r.url()).pathname === "/api/v1/responses") {
        uploads.push(/^Bearer ./.test(r.headers().authorization ?? ""));
      }
    });
    await server.stop();
    await page.keyboard.press("Tab");
    await press(page, SHEETS[0].keys);
    await statusSays(page, 1, 1);
    await page.getByRole("button", { name: "Выйти", exact: true }).click();
    await page.getByRole("textbox", { name: "Логин", exact: true }).waitFor();
    assert.ok(!(await wholeDatabase(page)).includes(token), "the token is in IndexedDB");

    await server.restart();
    await context.setOffline(true);
    await context.setOffline(false);
    const official = await server.api.login("official", "otklik-official");
    const count = async () => {
      const { entries } = await get(server.url, official, `/entries?org=${ORG}`);
      return entries.filter((e) => e.entry_batch === batch).reduce((n, e) => n + e.responses, 0);
    };
    // Signed out, it stays queued: nothing stored yet.
    assert.equal((await outboxRecords(page)).length, 1);
    assert.equal(await count(), 0);

    await signIn(page, "operator", "otklik-operator");
    await entryHeading(page).waitFor();
    await statusSays(page, 0, 0);
    assert.equal(await count(), 1);
    // It went once the operator was back, never without a token (which would have had it
    // refused for good).
    assert.ok(uploads.length > 0 && uploads.every(Boolean), JSON.stringify(uploads));
    await context.close();
  });

  test("an official reaches «Ввод анкет» by its link; an observer finds it for walk-throughs only", async () => {
    const { context, page } = await open(PHONE);
    await signIn(page, "official", "otklik-official");
    await page.getByRole("link", { name: "Ввод анкет", exact: true }).click();
    await entryHeading(page).waitFor();
    assert.equal(new URL(page.url()).pathname, "/dashboard/entry");
    await page.getByRole("combobox", { name: "Точка", exact: true }).waitFor();
    // Officials key in paper and phone, and walk-throughs.
    const channels = page.getByRole("combobox", { name: "Канал", exact: true }).getByRole("option");
    assert.deepEqual(await channels.allTextContents(), ["Бумажная анкета", "Телефон", "Интервью", "Наблюдение"]);
    await page.getByRole("button", { name: "Выйти", exact: true }).click();

    // The expert group's observer, signing in at the same address, keys in walk-throughs only…
    await signIn(page, "observer", "otklik-observer");
    await entryHeading(page).waitFor();
    await page.getByRole("combobox", { name: "Точка", exact: true }).waitFor();
    assert.deepEqual(await channels.allTextContents(), ["Наблюдение"]);
    // … and reads results first: the overview is their first section.
    await page.getByRole("link", { name: "Обзор", exact: true }).click();
    await page.getByRole("region", { name: "Ответов", exact: true }).waitFor();
    await page.goto(`${server.url}/dashboard`);
    await page.getByRole("region", { name: "Ответов", exact: true }).waitFor();
    await context.close();
  });
});
