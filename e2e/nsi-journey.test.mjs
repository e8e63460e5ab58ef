// Issue 16's acceptance journey as one story, in one browser against one server and its demo.
// The demo official signs in, opens «НСИ», chooses ЖС-8 and reads it against the approved
// target: the reference table (baseline, target and who approved it, benchmark, the latest
// quarter and the verdict) and each KPI's quarters (n, value, interval and the verdict; time's
// count, median, worst, verdict and the warning under ten measurements; the time people
// reported themselves, a table apart), all checked against /nsi/report fetched with the page's
// token. Then «Комментарии» of the employment centre the
// demo reviews: the official takes the newest «новый» comment (the first listed, as /comments),
// is told in Russian that «Сделано» needs an answer, tags it with a stage and a loss and moves it
// to «Сделано» with a public answer, which the feed shows and /comments then holds. Back on
// ЖС-8's report, «Скачать XLSX» gives the same numbers, read through headless LibreOffice. Last,
// a citizen on a phone, without signing in, opens the centre's /r/<org>: the new answer beside
// the demo's answer and measure, none of the centre's comment texts (the reviewed one included),
// axe-core and the CSP find nothing, and after that one visit it opens offline (a reload and a
// fresh navigation), its stylesheet included. Controls are found only by role and accessible
// name (contract.md §7).
import assert from "node:assert/strict";
import { join } from "node:path";
import { describe, test } from "node:test";

import { eventually, phone, violations, watchConsole } from "./helpers/browser.mjs";
import { getAsPage, heading, sameNumber, signedIn, xlsxRows } from "./helpers/dashboard.mjs";
import {
  CENTRE,
  REGION,
  SITUATION,
  cell,
  commentFeed,
  openSituation,
  quarterName,
  quartersTable,
  rowCells,
  showNewComments,
  table,
} from "./helpers/nsi.mjs";
import { demoSuite } from "./helpers/suite.mjs";

const ANSWER = "Поставили терминал электронной очереди у входа";
/** What the demo's own «сделано» review and improvement measure say on /r/czn-center. */
const DEMO_ANSWER = /Открыли второе окно регистрации/;
const DEMO_MEASURE = /Электронная очередь и второе окно регистрации/;
const verdict = (reached) => (reached ? "достигнут" : "не достигнут");

describe("issue 16's journey: from ЖС-8's report to the answer on /r/<org>", () => {
  const suite = demoSuite({ scratch: true });

  test("the official reads ЖС-8 against the target, answers a comment, downloads the same numbers; the citizen reads the answer, offline too", async () => {
    const { browser, server, dir } = suite;
    const { context, page, console } = await signedIn(browser, `${server.url}/dashboard`);
    const sections = page.getByRole("navigation", { name: "Разделы" });
    const structure = page.getByRole("navigation", { name: "Структура" });

    // «НСИ», ЖС-8: the reference and each KPI's quarters against the target, as /nsi/report.
    const year = await openSituation(page);
    const report = await getAsPage(page, `/nsi/report?org=demo&life_situation=${SITUATION}&year=${year}`);
    const { satisfied, nps, time } = report.kpis;
    assert.ok(satisfied.quarters.length > 0 && satisfied.target, JSON.stringify(satisfied).slice(0, 200));
    const reference = table(page, new RegExp(`^Показатели НСИ — ЖС-8 · .*, ${year} год: база, цель, ориентир$`));
    const sat = await rowCells(reference, "Доля удовлетворённых, %");
    assert.ok(sat[1].startsWith(cell(satisfied.baseline.value)), sat[1]);
    assert.ok(sat[2].startsWith(cell(satisfied.target.value)) && sat[2].includes(satisfied.target.approved_by), sat[2]);
    assert.equal(sat[3], "90,0");
    assert.equal(sat[4], cell(satisfied.quarters.at(-1).value));
    assert.equal(sat[5], verdict(satisfied.achieved));
    const timeRef = await rowCells(reference, "Время процесса, дни");
    assert.equal(timeRef[3], "нет (длительность)", "time has no benchmark");
    for (const [kpi, name] of [[satisfied, "Доля удовлетворённых, %"], [nps, "NPS"]]) {
      const quarters = quartersTable(page, year, name);
      for (const q of kpi.quarters) {
        const [, n, value, interval, reached] = await rowCells(quarters, quarterName(q.quarter));
        assert.equal(n, String(q.n), `${name} ${q.quarter} n`);
        assert.ok(value.startsWith(cell(q.value)), `${name} ${q.quarter}: ${value} vs ${q.value}`);
        assert.equal(interval, `[${cell(q.ci95[0])}; ${cell(q.ci95[1])}]`);
        assert.equal(reached, verdict(q.value >= kpi.target.value), `${name} ${q.quarter}`);
      }
    }
    const latestTime = time.quarters.at(-1);
    assert.equal(latestTime.warning, "fewer_than_10_measurements");
    const times = quartersTable(page, year, "Время процесса, дни");
    for (const q of time.quarters) {
      const [, count, median, worst, reached] = await rowCells(times, quarterName(q.quarter));
      assert.deepEqual([count, median, worst], [String(q.measurements), cell(q.median), cell(q.worst)], `time ${q.quarter}`);
      // Time is achieved at or below its target.
      assert.equal(reached, verdict(q.worst <= time.target.value), `time ${q.quarter}`);
    }
    const warning = (await rowCells(times, quarterName(latestTime.quarter)))[5];
    assert.match(warning, /^менее 10 замеров: Центр занятости населения Зареченского района — 6$/);
    // The time people reported themselves (the demo's exit point asks): a table of its own,
    // answers, median and longest per quarter, no verdict against the measured time's target.
    assert.ok(time.reported.length > 0, "the demo's exit point asks how long it took");
    const reported = table(page, `Время со слов граждан, дни, ${year} год (отдельно от замеров, в итог не входит)`);
    assert.deepEqual(await reported.locator("thead th").allInnerTexts(), ["Квартал", "Ответов (n)", "Медиана", "Наибольшее"]);
    for (const q of time.reported) {
      const [, n, median, longest] = await rowCells(reported, quarterName(q.quarter));
      assert.deepEqual([n, median, longest], [String(q.n), cell(q.median), cell(q.longest)], `reported ${q.quarter}`);
    }

    // «Комментарии» of the centre: its newest new comment, as /comments lists it.
    await sections.getByRole("link", { name: "Комментарии", exact: true }).click();
    await structure.getByRole("link", { name: CENTRE.name, exact: true }).click();
    await heading(page, CENTRE.name).waitFor();
    assert.deepEqual([new URL(page.url()).pathname, new URL(page.url()).searchParams.get("org")], ["/dashboard/comments", CENTRE.code]);
    await showNewComments(page);
    const listed = await getAsPage(page, `/comments?org=${CENTRE.code}&status=new`);
    assert.ok(listed.comments.every((c) => c.review.status === "new"));
    const comment = listed.comments[0];
    const item = commentFeed(page).getByRole("listitem").first();
    assert.equal((await item.getByRole("blockquote").innerText()).trim(), comment.text, "newest first, as /comments");
    assert.match(await item.innerText(), /Статус: Новый/);

    // «Сделано» without an answer is refused in Russian; with a stage, a loss and one it is saved.
    await item.getByRole("button", { name: "Разобрать", exact: true }).click();
    await item.getByRole("group", { name: "Ход работы" }).getByRole("radio", { name: "Сделано", exact: true }).check();
    await item.getByRole("button", { name: "Сохранить", exact: true }).click();
    await item.getByRole("alert").getByText("Для статуса «Сделано» напишите ответ для граждан.").waitFor();
    // The centre's points are bound to ЖС-8: its stages are offered.
    const stage = item.getByRole("combobox", { name: "Этап", exact: true });
    const stages = await stage.locator("option").allInnerTexts();
    assert.ok(stages.length > 1, `stages offered: ${stages}`);
    await stage.selectOption({ index: 1 });
    await item.getByRole("combobox", { name: "Потери", exact: true }).selectOption({ label: "Ожидание" });
    await item.getByRole("textbox", { name: "Ответ для граждан", exact: true }).fill(ANSWER);
    await item.getByRole("button", { name: "Сохранить", exact: true }).click();
    await page.getByRole("status").getByText("Разбор сохранён.").waitFor();
    await eventually("the review listed", async () => /Статус: Сделано/.test(await item.innerText()));
    const listedText = await item.innerText();
    assert.match(listedText, new RegExp(`Этап: ${stages[1]}`));
    assert.match(listedText, /Потери: Ожидание/);
    assert.match(listedText, new RegExp(`Ответ гражданам: ${ANSWER}`));
    assert.equal(await item.getByRole("button", { name: "Разобрать" }).count(), 1, "the form closed");
    const done = await getAsPage(page, `/comments?org=${CENTRE.code}&status=done&limit=500`);
    const stored = done.comments.find((c) => c.response === comment.response && c.question === comment.question);
    assert.ok(stored, "the comment is listed as done");
    assert.deepEqual([stored.review.public_answer, stored.review.loss], [ANSWER, "waiting"]);
    assert.ok(stored.review.stage);
    // Every comment text of the centre, as officials read them: none may be on its public page.
    const all = await getAsPage(page, `/comments?org=${CENTRE.code}&limit=500`);
    assert.equal(all.next_cursor, null, "every comment of the centre in one page");
    const texts = new Set(all.comments.map((c) => c.text));
    assert.ok(texts.has(comment.text));

    // Back to the region's ЖС-8 report: «Скачать XLSX» holds the numbers read above.
    await sections.getByRole("link", { name: "НСИ", exact: true }).click();
    await structure.getByRole("link", { name: REGION, exact: true }).click();
    await heading(page, REGION).waitFor();
    await quartersTable(page, year, "Доля удовлетворённых, %").waitFor();
    assert.equal(new URL(page.url()).searchParams.get("life_situation"), SITUATION);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Скачать XLSX", exact: true }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `otklik-nsi-demo-${SITUATION}-${year}.xlsx`);
    const xlsx = join(dir, download.suggestedFilename());
    await download.saveAs(xlsx);
    const sheet = await xlsxRows(xlsx);
    const column = (name) => sheet[0].indexOf(name);
    for (const [kpi, name] of [[satisfied, "Доля удовлетворённых"], [nps, "NPS"]]) {
      for (const q of kpi.quarters) {
        const row = sheet.find((r) => r[0] === name && r[column("Квартал")] === q.quarter);
        assert.ok(row, `${name} ${q.quarter} in the workbook`);
        assert.equal(Number(row[column("n (ответов или замеров)")]), q.n);
        sameNumber(row[column("Значение")], q.value, `${name} ${q.quarter}`);
        sameNumber(row[column("95 % ДИ, от")], q.ci95[0], `${name} ${q.quarter} interval from`);
        sameNumber(row[column("95 % ДИ, до")], q.ci95[1], `${name} ${q.quarter} interval to`);
        sameNumber(row[column("Целевое значение")], kpi.target.value, `${name} target`);
      }
    }
    const timeRow = sheet.find((r) => r[0].startsWith("Время процесса") && r[column("Квартал")] === latestTime.quarter);
    assert.equal(Number(timeRow[column("n (ответов или замеров)")]), latestTime.measurements);
    sameNumber(timeRow[column("Медиана (время)")], latestTime.median, "time median");
    sameNumber(timeRow[column("Значение")], latestTime.worst, "time worst");
    sameNumber(timeRow[column("Целевое значение")], time.target.value, "time target");
    assert.equal(timeRow[column("Предупреждение")], "менее 10 замеров в учреждении");
    for (const q of time.reported) {
      const row = sheet.find((r) => r[0] === "Время со слов граждан (медиана)" && r[column("Квартал")] === q.quarter);
      assert.ok(row, `reported ${q.quarter} in the workbook`);
      assert.equal(Number(row[column("n (ответов или замеров)")]), q.n);
      sameNumber(row[column("Значение")], q.median, `reported ${q.quarter}`);
      assert.equal(row[column("Целевое значение")], "", "no target beside the reported time");
    }
    assert.deepEqual(console.all(), []);
    await context.close();

    // The citizen's phone, no sign-in: the centre's «Вы сказали — мы сделали».
    const visitor = await phone(browser);
    const pub = await visitor.newPage();
    const messages = watchConsole(pub);
    await pub.goto(`${server.url}/r/${CENTRE.code}`);
    const title = pub.getByRole("heading", { level: 1, name: "Вы сказали — мы сделали" });
    await title.waitFor();
    const shown = await pub.getByRole("main").innerText();
    assert.ok(shown.includes(CENTRE.name), shown);
    assert.ok(shown.includes(ANSWER), shown);
    assert.match(shown, DEMO_ANSWER);
    assert.match(shown, /Сделано/);
    assert.match(shown, DEMO_MEASURE);
    const html = await pub.content();
    for (const text of texts) assert.ok(!html.includes(text), `a citizen's text is on the page: ${text}`);
    assert.equal(await pub.evaluate(() => document.documentElement.lang), "ru");
    assert.deepEqual(await violations(pub), []);

    // That one visit keeps it: the worker controls the page and the page is in its cache.
    await pub.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await eventually("the page in the otklik-public cache", () =>
      pub.evaluate(async () => {
        const cache = await caches.open("otklik-public");
        const kept = await Promise.all(
          [location.pathname, "/r/assets/public.css", "/r/assets/public.js"].map((u) => cache.match(u)),
        );
        return kept.every(Boolean);
      }),
    );
    await visitor.setOffline(true);
    await pub.reload();
    await title.waitFor();
    const offline = await pub.getByRole("main").innerText();
    assert.ok(offline.includes(ANSWER), offline);
    assert.match(offline, DEMO_ANSWER);
    // Its stylesheet came from the cache too.
    assert.equal(await pub.evaluate(() => getComputedStyle(document.querySelector("main")).maxWidth), "640px");
    // A fresh navigation (not a reload) as well.
    const again = await visitor.newPage();
    await again.goto(`${server.url}/r/${CENTRE.code}`);
    const navigated = await again.getByRole("main").innerText();
    assert.ok(navigated.includes(ANSWER), navigated);
    assert.match(navigated, DEMO_ANSWER);
    await visitor.setOffline(false);
    assert.deepEqual(messages.csp(), []);
    await visitor.close();
  });
});
