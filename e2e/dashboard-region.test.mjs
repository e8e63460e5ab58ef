// The officials' dashboard on a generated region, not only on the demo: a district of 40
// institutions, each with its own level of satisfaction, whose ≈ 6,000 answers this quarter are
// sent through the public API as citizens send them. An official drills from the region to an
// institution of it, and every card read on the way equals `/stats` fetched with the same
// token for the same quarter: the figures a generated data set produces, not the demo's.
// Controls are found only by role and accessible name (contract.md §7).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";

import { eventually, launch } from "./helpers/browser.mjs";
import { openSignIn, pageToken, signIn } from "./helpers/dashboard.mjs";
import { startServer } from "./helpers/server.mjs";

const REGION = "Демонстрационная область";
const DISTRICT = "Сгенерированный район";
const INSTITUTIONS = 40;
const LIKERT = ["yes", "rather_yes", "rather_no", "no"];
const NUMERALS = ["I", "II", "III", "IV"];

/** A small seeded generator (mulberry32), so a failure is reproduced by its seed. */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n) => String(n).padStart(2, "0");
const code = (i) => `gen-${pad(i)}`;
const name = (i) => `Центр № ${i + 1} «Генерация»`;

/** The current quarter in Moscow (every generated institution's zone): its first day, today,
 * the address form and the picker's label. */
function currentQuarter() {
  const today = new Date(Date.now() + 3 * 3600_000).toISOString().slice(0, 10);
  const [year, month] = today.split("-").map(Number);
  const q = Math.floor((month - 1) / 3) + 1;
  const first = `${year}-${pad((q - 1) * 3 + 1)}-01`;
  const lastDay = [31, 30, 30, 31][q - 1];
  return { first, today, to: `${year}-${pad((q - 1) * 3 + 3)}-${lastDay}`, period: `${year}Q${q}` };
}

/** A value as the dashboard shows it: one decimal, half away from zero, comma, true minus. */
function shown(value) {
  const tenths = Math.round(Math.abs(value) * 10);
  return `${value < 0 && tenths > 0 ? "\u2212" : ""}${(tenths / 10).toFixed(1).replace(".", ",")}`;
}

/** A count as the card shows it: grouped in thousands from 10 000 on. */
const grouped = (n) => (n < 10000 ? String(n) : String(n).replace(/\B(?=(\d{3})+(?!\d))/g, " "));

describe("the dashboard on a generated region", () => {
  let server;
  let browser;
  let quarter;

  before(async () => {
    server = await startServer();
    browser = await launch();
    quarter = currentQuarter();

    // The district and its institutions, through the CLI as a region loads its registry.
    const dir = await mkdtemp(join(tmpdir(), "otklik-region-"));
    const csv = join(dir, "orgs.csv");
    const rows = ["code,name,kind,parent,sector,tz", `gen,${DISTRICT},municipality,demo,,Europe/Moscow`];
    for (let i = 0; i < INSTITUTIONS; i++) rows.push(`${code(i)},${name(i)},institution,gen,social,Europe/Moscow`);
    await writeFile(csv, rows.join("\n") + "\n");
    await promisify(execFile)(server.bin, ["org", "import", csv, "--database-url", server.databaseUrl]);
    await rm(dir, { recursive: true, force: true });

    // One express point per institution, then answers as citizens send them (channel qr,
    // anonymous), 500 per request. Institution i is satisfied with probability 0.35–0.95.
    const token = await login("official", "otklik-official");
    for (let i = 0; i < INSTITUTIONS; i++) {
      await api("/points", token, { method: "POST", body: { code: `${code(i)}-p`, org: code(i), questionnaire: "express" } });
    }
    const next = random(20261204);
    const start = Date.parse(`${quarter.first}T00:00:00+03:00`);
    const span = Math.max(Date.now() - 60_000 - start, 1);
    const items = [];
    for (let i = 0; i < INSTITUTIONS; i++) {
      const satisfied = 0.35 + (0.6 * i) / (INSTITUTIONS - 1);
      const count = 100 + Math.floor(next() * 100);
      for (let k = 0; k < count; k++) {
        const good = next() < satisfied;
        const overall = LIKERT[(good ? 0 : 2) + (next() < 0.5 ? 0 : 1)];
        const at = new Date(start + Math.floor(next() * span)).toISOString();
        items.push({
          id: randomUUID(),
          point: `${code(i)}-p`,
          questionnaire: "express",
          version: 1,
          channel: "qr",
          submitted_at: at,
          answers: [
            { q: "overall", v: overall },
            { q: "nps", v: Math.min(10, Math.floor(next() * 4) + (good ? 7 : 2)) },
          ],
        });
      }
    }
    for (let k = 0; k < items.length; k += 500) {
      const reply = await api("/responses", null, { method: "POST", body: { responses: items.slice(k, k + 500) } });
      const bad = reply.results.filter((r) => r.status !== "created");
      assert.deepEqual(bad, [], "every generated answer is stored");
    }
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  async function api(path, token, { method = "GET", body } = {}) {
    const headers = { "Content-Type": "application/json" };
    if (token) headers.Authorization = `Bearer ${token}`;
    const res = await fetch(`${server.url}/api/v1${path}`, { method, headers, body: body && JSON.stringify(body) });
    const json = await res.json();
    assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  const login = async (login, password) =>
    (await api("/auth/login", null, { method: "POST", body: { login, password } })).token;

  /** `/stats` of an org for the current quarter, as the overview asks for it. */
  const stats = (token, org) =>
    api(`/stats?org=${org}&questionnaire=express&from=${quarter.first}&to=${quarter.to}`, token);

  /** The text of a card, spaces normalised. */
  async function cardText(page, card) {
    const region = page.getByRole("region", { name: card, exact: true });
    await region.waitFor();
    return (await region.innerText()).replace(/\s+/g, " ");
  }

  /** Checks the «Ответов» and «Доля удовлетворённых» cards of the open org against `/stats`. */
  async function cardsMatch(page, token, org) {
    const reply = await stats(token, org);
    const overall = reply.questions.overall;
    assert.ok(overall?.n > 0, `${org} has answers: ${JSON.stringify(reply)}`);
    const text = await eventually(`${org}'s share satisfied`, async () => {
      const t = await cardText(page, "Доля удовлетворённых");
      return t.includes(shown(overall.satisfied_pct)) ? t : false;
    });
    const [lo, hi] = overall.ci95;
    assert.ok(text.includes(`${shown(lo)} … ${shown(hi)}`), text);
    assert.ok(text.includes(`n = ${grouped(overall.n)}`), text);
    assert.equal(overall.low_n, text.includes("мало ответов"), text);
    const responses = await cardText(page, "Ответов");
    assert.ok(responses.replace(/\u00a0|\s/g, "").includes(String(reply.responses)), `${responses} vs ${reply.responses}`);
    return reply;
  }

  test("an official drills from the region to a generated institution; each card equals /stats", async () => {
    const { context, page, console } = await openSignIn(
      browser,
      `${server.url}/dashboard?period=${quarter.period}&questionnaire=express`,
      { width: 1280, height: 800 },
    );
    await signIn(page, "official", "otklik-official");
    await page.getByRole("heading", { level: 1, name: REGION, exact: true }).waitFor();
    const token = await pageToken(page);
    const [year, q] = quarter.period.split("Q");
    assert.equal(
      await page.getByRole("combobox", { name: "Период", exact: true }).locator("option:checked").innerText(),
      `${year} — ${NUMERALS[Number(q) - 1]} квартал`,
    );

    const tree = page.getByRole("navigation", { name: "Структура" });
    await tree.getByRole("link", { name: DISTRICT, exact: true }).click();
    await page.getByRole("heading", { level: 1, name: DISTRICT, exact: true }).waitFor();
    const district = await cardsMatch(page, token, "gen");
    assert.ok(district.responses >= INSTITUTIONS * 100, `${district.responses} answers in the district`);

    for (const i of [0, INSTITUTIONS - 1]) {
      await tree.getByRole("link", { name: name(i), exact: true }).click();
      await page.getByRole("heading", { level: 1, name: name(i), exact: true }).waitFor();
      await cardsMatch(page, token, code(i));
      assert.ok(page.url().includes(`org=${code(i)}`), page.url());
    }
    // The generated levels show through: the last institution is far above the first.
    const [low, high] = await Promise.all([stats(token, code(0)), stats(token, code(INSTITUTIONS - 1))]);
    const share = (r) => r.questions.overall.satisfied_pct;
    assert.ok(share(high) - share(low) > 30, `${share(low)} → ${share(high)}`);
    assert.deepEqual(console.all().filter((m) => !/401|Unauthorized/.test(m)), []);
    await context.close();
  });
});
