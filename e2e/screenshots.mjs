// Renders the main screens of the demo to PNG (docs/screenshots/), so a newcomer sees what
// they get before running anything: the dashboard's sign-in, the region's overview with its
// charts, an institution, a chart's table, every other section of the dashboard (ranking, НОК,
// НСИ and its summary, comments, paper entry, points, tablets, management, НСИ data), and the
// citizen's survey on a phone. Run through scripts/screenshots.sh, which builds what it needs
// first.
import { mkdir } from "node:fs/promises";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { launch } from "./helpers/browser.mjs";
import { startServer } from "./helpers/server.mjs";

const OUT = resolve(fileURLToPath(new URL("../docs/screenshots", import.meta.url)));
const REGION = "Демонстрационная область";
const INSTITUTION = "КЦСОН «Заречье»";

const server = await startServer();
const browser = await launch();
try {
  await mkdir(OUT, { recursive: true });
  const context = await browser.newContext({ locale: "ru-RU", viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/dashboard`);
  await page.getByRole("textbox", { name: "Логин", exact: true }).waitFor();
  await page.screenshot({ path: `${OUT}/dashboard-sign-in.png` });

  await page.getByRole("textbox", { name: "Логин", exact: true }).fill("official");
  await page.getByLabel("Пароль", { exact: true }).fill("otklik-official");
  await page.getByRole("button", { name: "Войти", exact: true }).click();
  await page.getByRole("heading", { level: 1, name: REGION, exact: true }).waitFor();
  await page.getByRole("figure").filter({ hasText: "Динамика по кварталам" }).waitFor();
  await page.getByRole("region", { name: "Доля удовлетворённых", exact: true }).waitFor();
  await page.screenshot({ path: `${OUT}/dashboard-overview.png`, fullPage: true });

  const trend = page.getByRole("figure").filter({ hasText: "Динамика по кварталам" });
  await trend.getByRole("button", { name: "Таблица", exact: true }).click();
  await trend.getByRole("table").waitFor();
  await trend.screenshot({ path: `${OUT}/dashboard-trend-table.png` });

  await page.getByRole("navigation", { name: "Структура" }).getByRole("searchbox").fill("Заречье");
  await page.getByRole("link", { name: INSTITUTION, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: INSTITUTION, exact: true }).waitFor();
  await page.getByRole("region", { name: "Ответов", exact: true }).waitFor();
  await page.screenshot({ path: `${OUT}/dashboard-institution.png`, fullPage: true });

  // The other sections, each at its address (the session lives in the tab's sessionStorage).
  const sections = [
    ["ranking", "/dashboard/ranking?org=demo", page.getByRole("table", { name: /^Рейтинг/ })],
    ["nok", "/dashboard/nok?org=kcson-zarechye", page.getByRole("heading", { level: 2, name: "Чек-лист НОК", exact: true })],
    ["nsi", "/dashboard/nsi?org=demo&life_situation=job-via-employment-centre", page.getByRole("table", { name: /^Показатели НСИ по кварталам .*: Время процесса/ })],
    ["nsi-summary", "/dashboard/nsi?org=demo", page.getByRole("table", { name: /^Сводка НСИ/ })],
    ["comments", "/dashboard/comments?org=demo", page.getByRole("heading", { level: 1 })],
    ["entry", "/dashboard/entry", page.getByRole("heading", { level: 1, name: "Ввод анкет", exact: true })],
    ["points", "/dashboard/points?org=kcson-zarechye", page.getByRole("heading", { level: 1, name: `Точки опроса: ${INSTITUTION}`, exact: true })],
    ["devices", "/dashboard/devices?org=kcson-zarechye", page.getByRole("heading", { level: 1, name: `Планшеты: ${INSTITUTION}`, exact: true })],
    ["manage", "/dashboard/manage?org=kcson-zarechye", page.getByRole("table", { name: "Пользователи" })],
    ["nsi-data", "/dashboard/nsi-data?org=demo&life_situation=job-via-employment-centre", page.getByRole("table", { name: "История целей" })],
  ];
  for (const [name, path, ready] of sections) {
    await page.goto(`${server.url}${path}`);
    await ready.waitFor();
    await page.waitForLoadState("networkidle");
    // The comment feed runs long: its first screen shows what it is.
    await page.screenshot({ path: `${OUT}/dashboard-${name}.png`, fullPage: name !== "comments" });
  }
  await context.close();

  const phone = await browser.newContext({ locale: "ru-RU", viewport: { width: 360, height: 740 }, isMobile: true });
  const survey = await phone.newPage();
  await survey.goto(`${server.url}/q/mfc-center-1`);
  await survey.getByRole("button", { name: "Далее" }).waitFor();
  await survey.screenshot({ path: `${OUT}/survey-phone.png` });
  await phone.close();
  console.log(`screenshots in ${OUT}`);
} finally {
  await browser.close();
  await server.stop();
}
