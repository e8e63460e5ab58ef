// What the dashboard's browser tests share: signing in on the sign-in screen by the contract's
// control names, the token the page holds (to check the screen against the API, and to read the
// API as the page may), a fresh context on the sign-in screen, figures and quarters written as
// the dashboard writes them, and a downloaded workbook read back through headless LibreOffice.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";

import { watchConsole } from "./browser.mjs";

/** The viewports the dashboard's tests use: a desktop and a phone. */
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };

/** A page's level-1 heading (the selected org's name, say) by its exact text. */
export const heading = (page, name) => page.getByRole("heading", { level: 1, name, exact: true });

/** The `sessionStorage` key of the dashboard's session (token, login, role). */
export const SESSION_KEY = "otklik.dashboard.session";

/** A value as the dashboard shows it: one decimal, half away from zero, comma, true minus. */
export function shown(value) {
  const tenths = Math.round(Math.abs(value) * 10);
  return `${value < 0 && tenths > 0 ? "\u2212" : ""}${(tenths / 10).toFixed(1).replace(".", ",")}`;
}

/** `from` and `to` of a quarter in the address form `2026Q1`, as the dashboard asks /stats. */
export function quarterDays(period) {
  const [year, q] = period.split("Q").map(Number);
  const first = (q - 1) * 3 + 1;
  const last = [31, 30, 30, 31][q - 1];
  const pad = (n) => String(n).padStart(2, "0");
  return { from: `${year}-${pad(first)}-01`, to: `${year}-${pad(first + 2)}-${last}` };
}

/** Signs in on the sign-in screen and waits for the workspace. */
export async function signIn(page, login, password) {
  await page.getByRole("textbox", { name: "Логин", exact: true }).fill(login);
  await page.getByLabel("Пароль", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Войти", exact: true }).click();
  await page.getByRole("button", { name: "Выйти", exact: true }).waitFor();
}

/** The token the page signed in with. */
export const pageToken = (page) =>
  page.evaluate((key) => JSON.parse(sessionStorage.getItem(key)).token, SESSION_KEY);

/** A new browser context of `viewport` in Russian (downloads accepted), opened at `url` on the
 * sign-in screen; its console is watched from the start. */
export async function openSignIn(browser, url, viewport) {
  const context = await browser.newContext({ locale: "ru-RU", viewport, acceptDownloads: true });
  const page = await context.newPage();
  const console = watchConsole(page);
  await page.goto(url);
  await page.getByRole("textbox", { name: "Логин", exact: true }).waitFor();
  return { context, page, console };
}

/** A new context at `url` (as `openSignIn`) signed in as the demo's `login`, whose password is
 * `otklik-<login>`. */
export async function signedIn(browser, url, login = "official", viewport = DESKTOP) {
  const opened = await openSignIn(browser, url, viewport);
  await signIn(opened.page, login, `otklik-${login}`);
  return opened;
}

/** `GET /api/v1<path>` of the page's server with the page's token; must answer 200. */
export async function getAsPage(page, path) {
  const token = await pageToken(page);
  const res = await fetch(`${new URL(page.url()).origin}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
  assert.equal(res.status, 200, path);
  return res.json();
}

/** Parses CSV text (quoted fields, `sep`) into rows of strings. */
export function parseCsv(text, sep) {
  const rows = [[]];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === sep) {
      rows.at(-1).push(field);
      field = "";
    } else if (c === "\n") {
      rows.at(-1).push(field.replace(/\r$/, ""));
      field = "";
      rows.push([]);
    } else field += c;
  }
  if (field || rows.at(-1).length) rows.at(-1).push(field);
  else rows.pop();
  return rows;
}

/**
 * A spreadsheet's number equals the API's to the 15 significant digits a spreadsheet keeps.
 * LibreOffice rounds the shortest decimal that reads back as the double (half up), not the
 * double's exact binary value, so the two roundings part on a tie in the 16th digit:
 * 224/321 × 100 is 69.78193146417445 shortest but 69.781931464174448… exactly, which LibreOffice
 * shows as …745 and `toPrecision(15)` as …744. Either is the same double to 15 digits.
 */
export function sameNumber(text, value, what) {
  const shown = Number(text).toPrecision(15);
  const [digits, exponent] = value.toExponential().replace("-", "").replace(".", "").split("e");
  let fromShortest = value.toPrecision(15);
  if (digits.length > 15) {
    const rounded = BigInt(digits.slice(0, 15)) + (digits[15] >= "5" ? 1n : 0n);
    const sign = value < 0 ? "-" : "";
    fromShortest = Number(`${sign}${rounded}e${Number(exponent) - 14}`).toPrecision(15);
  }
  assert.ok(
    shown === value.toPrecision(15) || shown === fromShortest,
    `${what}: the spreadsheet shows ${text}, the API says ${value}`,
  );
}

/** The first sheet of the workbook at `xlsx` as rows of raw cell values (not as shown), read
 * through headless LibreOffice into a UTF-8 CSV beside it. */
export async function xlsxRows(xlsx) {
  const dir = xlsx.slice(0, xlsx.lastIndexOf("/"));
  // Comma-separated, UTF-8; token 9 = false: the values, not as formatted.
  await promisify(execFile)(
    "soffice",
    ["--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false", "--outdir", dir, xlsx],
    { timeout: 120_000 },
  );
  return parseCsv(await readFile(xlsx.replace(/\.xlsx$/, ".csv"), "utf8"), ",");
}
