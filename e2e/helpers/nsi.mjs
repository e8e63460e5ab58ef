// What the browser tests of issue 16 (НСИ and the comment loop) share: the demo's region, life
// situation and the employment centre whose comments it reviews; figures and quarters written as
// the НСИ tables write them, a table's row by its header, the way an official opens ЖС-8's
// report from the sections' links, and the comments feed narrowed to the new ones.
import assert from "node:assert/strict";

import { eventually } from "./browser.mjs";
import { heading } from "./dashboard.mjs";

/** The demo's region (the official's scope) and the life situation its НСИ data are for. */
export const REGION = "Демонстрационная область";
export const SITUATION = "job-via-employment-centre";
/** The employment centre whose comments the demo reviews and whose /r/<org> has answers. */
export const CENTRE = { code: "czn-center", name: "Центр занятости населения г. Демонстрационный" };

const NUMERALS = ["I", "II", "III", "IV"];

/** A table cell's figure: one decimal, half away from zero, decimal comma, ASCII minus. */
export function cell(value) {
  if (value === null || value === undefined) return "—";
  const tenths = Math.round(Math.abs(value) * 10);
  return `${value < 0 && tenths > 0 ? "-" : ""}${(tenths / 10).toFixed(1).replace(".", ",")}`;
}

/** «2026 — IV квартал» of `2026Q4`. */
export const quarterName = (q) => `${q.slice(0, 4)} — ${NUMERALS[Number(q.slice(5)) - 1]} квартал`;

/** A table by its caption. */
export const table = (page, name) => page.getByRole("table", { name });

/** A row's cells (header first) by the row header's exact text. */
export async function rowCells(tableLocator, head) {
  return eventually(`the row «${head}»`, async () => {
    const rows = await tableLocator.locator("tbody tr").evaluateAll((trs) =>
      trs.map((tr) => [...tr.querySelectorAll("th, td")].map((c) => c.textContent.replace(/\s+/g, " ").trim())),
    );
    return rows.find((r) => r[0] === head) ?? false;
  });
}

/** The quarters' table of one KPI (its name as the caption ends) in `year`. */
export const quartersTable = (page, year, name) =>
  table(page, new RegExp(`^Показатели НСИ по кварталам ${year} года: ${name}$`));

/** Opens «НСИ» from the sections' links and chooses ЖС-8; resolves with the year shown. */
export async function openSituation(page) {
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

/** «Комментарии»' feed. */
export const commentFeed = (page) => page.getByRole("list", { name: "Комментарии, сначала новые" });

/** Narrows the open «Комментарии» to «Новый» and waits until the feed lists only new ones (the
 * list of the previous filter stays on screen until the new one is in). */
export async function showNewComments(page) {
  await page.getByRole("combobox", { name: "Статус", exact: true }).selectOption({ label: "Новый" });
  const items = commentFeed(page).getByRole("listitem");
  await eventually("only new comments listed", async () => {
    const texts = await items.allInnerTexts();
    return texts.length > 0 && texts.every((t) => /Статус: Новый/.test(t));
  });
}
