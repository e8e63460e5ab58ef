// What the dashboard's browser tests share: signing in on the sign-in screen by the contract's
// control names, the token the page holds (to check the screen against the API), a fresh
// context on the sign-in screen.
import { watchConsole } from "./browser.mjs";

/** The `sessionStorage` key of the dashboard's session. */
export const SESSION_KEY = "otklik.dashboard.session";

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

/** A new browser context of `viewport` in Russian, opened at `url` on the sign-in screen;
 * its console is watched from the start. */
export async function openSignIn(browser, url, viewport) {
  const context = await browser.newContext({ locale: "ru-RU", viewport });
  const page = await context.newPage();
  const console = watchConsole(page);
  await page.goto(url);
  await page.getByRole("textbox", { name: "Логин", exact: true }).waitFor();
  return { context, page, console };
}
