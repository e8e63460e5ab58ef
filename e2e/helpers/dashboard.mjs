// What the dashboard's browser tests share: signing in on the sign-in screen by the contract's
// control names, the token the page holds (to check the screen against the API), a fresh
// context on the sign-in screen, and figures and quarters written as the dashboard writes them.
import { watchConsole } from "./browser.mjs";

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
