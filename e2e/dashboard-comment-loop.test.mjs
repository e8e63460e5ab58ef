// The loop from complaint to fix (issue 16 item 5) in a real browser against the real server and
// its demo: the demo official takes a new comment of the employment centre on «Комментарии»,
// is told in Russian that «Сделано» needs an answer, tags it with a stage and a loss, moves it to
// «Сделано» with a public answer; /comments then holds that review, and the public page
// /r/<org> (no sign-in) shows the answer and never the citizen's text. The observer reads the
// feed but is offered no review. axe-core on the open form at desktop and phone sizes. Controls
// are found only by role and accessible name (contract.md §7).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";

import { eventually, launch, violations } from "./helpers/browser.mjs";
import { openSignIn, pageToken, signIn } from "./helpers/dashboard.mjs";
import { startServer } from "./helpers/server.mjs";

const ORG = "czn-center";
const CENTRE = "Центр занятости населения г. Демонстрационный";
const ANSWER = "Поставили терминал электронной очереди у входа";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

const heading = (page, name) => page.getByRole("heading", { level: 1, name, exact: true });
const feed = (page) => page.getByRole("list", { name: "Комментарии, сначала новые" });

describe("dashboard: the comment loop", () => {
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

  /** A page signed in as `login` on the centre's comments, only the new ones listed. */
  async function newComments(login, password, viewport = DESKTOP) {
    const opened = await openSignIn(browser, `${server.url}/dashboard/comments?org=${ORG}`, viewport);
    await signIn(opened.page, login, password);
    await heading(opened.page, CENTRE).waitFor();
    await opened.page.getByRole("combobox", { name: "Статус", exact: true }).selectOption({ label: "Новый" });
    await eventually("new comments listed", async () => (await feed(opened.page).getByRole("listitem").count()) > 0);
    return opened;
  }

  /** `path` of the API read with the page's own token. */
  const asPage = async (page, path) =>
    page.evaluate(
      async ([path, token]) => (await fetch(`/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } })).json(),
      [path, await pageToken(page)],
    );

  test("an official moves a new comment to «Сделано» with a public answer; /r/<org> shows the answer, not the comment", async () => {
    const { context, page, console } = await newComments("official", "otklik-official");
    const listed = await asPage(page, `/comments?org=${ORG}&status=new`);
    assert.ok(listed.comments.every((c) => c.review.status === "new"));
    const target = listed.comments[0];
    const item = feed(page).getByRole("listitem").first();
    assert.equal((await item.getByRole("blockquote").innerText()).trim(), target.text, "newest first, as /comments");
    assert.match(await item.innerText(), /Статус: Новый/);

    await item.getByRole("button", { name: "Разобрать", exact: true }).click();
    const form = item.getByRole("group", { name: "Ход работы" });
    await form.getByRole("radio", { name: "Сделано", exact: true }).check();
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
    const text = await item.innerText();
    assert.match(text, new RegExp(`Этап: ${stages[1]}`));
    assert.match(text, /Потери: Ожидание/);
    assert.match(text, new RegExp(`Ответ гражданам: ${ANSWER}`));
    assert.equal(await item.getByRole("button", { name: "Разобрать" }).count(), 1, "the form closed");

    // Stored as shown.
    const done = await asPage(page, `/comments?org=${ORG}&status=done&limit=500`);
    const stored = done.comments.find((c) => c.response === target.response && c.question === target.question);
    assert.ok(stored, "the comment is listed as done");
    assert.equal(stored.review.public_answer, ANSWER);
    assert.equal(stored.review.loss, "waiting");
    assert.ok(stored.review.stage);
    assert.deepEqual(console.all().filter((m) => !/401|Unauthorized/.test(m)), []);
    await context.close();

    // The public page, without signing in: the answer, never the citizen's words.
    const visitor = await browser.newContext({ locale: "ru-RU" });
    const pub = await visitor.newPage();
    await pub.goto(`${server.url}/r/${ORG}`);
    await pub.getByRole("heading", { level: 1, name: "Вы сказали — мы сделали" }).waitFor();
    assert.match(await pub.getByRole("main").innerText(), new RegExp(ANSWER));
    assert.ok(!(await pub.content()).includes(target.text), "the citizen's text is not published");
    await visitor.close();
  });

  test("the observer reads the comments but is offered no review", async () => {
    const { context, page } = await newComments("observer", "otklik-observer");
    assert.equal(await page.getByRole("button", { name: "Разобрать" }).count(), 0);
    await context.close();
  });

  for (const [size, viewport] of [["1280×800", DESKTOP], ["360×740", PHONE]]) {
    test(`axe-core finds nothing on the open review form at ${size}`, async () => {
      const { context, page } = await newComments("official", "otklik-official", viewport);
      const item = feed(page).getByRole("listitem").first();
      await item.getByRole("button", { name: "Разобрать", exact: true }).click();
      await item.getByRole("textbox", { name: "Ответ для граждан", exact: true }).waitFor();
      assert.deepEqual(await violations(page), []);
      await context.close();
    });
  }
});
