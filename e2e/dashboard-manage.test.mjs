// «Управление» in a real browser against the real server binary and its demo data: the
// official adds an org under a municipality and finds it in «Структура», renames it, imports a
// CSV file with broken lines (every broken line listed as «Строка N», nothing stored, checked
// through the API) and then a good one; adds a user scoped to an institution, who signs in
// elsewhere, is disabled after a confirmation and finds their session refused; the API's
// refusals read in Russian; observer and operator are not offered the page, not even by its
// address; axe-core at desktop and phone sizes. Controls are found only by role and
// accessible name (contract.md §7).
import assert from "node:assert/strict";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";

import { eventually, launch, violations } from "./helpers/browser.mjs";
import { openSignIn, pageToken, signIn } from "./helpers/dashboard.mjs";
import { startServer } from "./helpers/server.mjs";

const REGION = "Демонстрационная область";
const DISTRICT = "Зареченский муниципальный район";
const INSTITUTION = "КЦСОН «Заречье»";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };

const structure = (page) => page.getByRole("navigation", { name: "Структура" });
const sections = (page) => page.getByRole("navigation", { name: "Разделы" });
const manageHeading = (page) => page.getByRole("heading", { level: 1, name: "Управление", exact: true });
const form = (page, name) => page.getByRole("form", { name });
const field = (scope, name) => scope.getByRole("textbox", { name, exact: true });

/** The text of the status line above the section (what the last org change said). */
const news = (page) => page.locator(".dash-news").textContent();

describe("«Управление»: orgs, users and who is offered them", () => {
  let server;
  let browser;
  let dir;

  before(async () => {
    server = await startServer();
    browser = await launch();
    dir = await mkdtemp(join(tmpdir(), "otklik-manage-"));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const open = (path, viewport = DESKTOP) => openSignIn(browser, `${server.url}${path}`, viewport);

  /** `GET /api/v1<path>` with `token`: the status and the JSON body. */
  async function api(path, token) {
    const res = await fetch(`${server.url}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
    return { status: res.status, body: await res.json() };
  }

  /** The codes of every org the token's scope holds. */
  async function orgCodes(token) {
    const { status, body } = await api("/orgs", token);
    assert.equal(status, 200);
    return body.orgs.map((o) => o.code);
  }

  test("the official adds an org under a municipality, finds it in «Структура» and renames it", async () => {
    const { context, page, console } = await open("/dashboard/manage?org=demo-zarechny");
    await signIn(page, "official", "otklik-official");
    await manageHeading(page).waitFor();
    const add = form(page, `Новая организация в «${DISTRICT}»`);
    // Under a municipality only what may sit there is offered.
    const kinds = await add.getByRole("combobox", { name: "Вид" }).locator("option").allTextContents();
    assert.deepEqual(kinds, ["орган власти", "учреждение"]);
    await field(add, "Код").fill("zarechye-library");
    await field(add, "Название").fill("Библиотека села Заречье");
    await add.getByRole("combobox", { name: "Вид" }).selectOption({ label: "учреждение" });
    await add.getByRole("combobox", { name: "Отрасль" }).selectOption({ label: "Культура" });
    await add.getByRole("combobox", { name: "Тип поселения" }).selectOption({ label: "Сельское" });
    await add.getByRole("button", { name: "Добавить организацию", exact: true }).click();

    const link = structure(page).getByRole("link", { name: "Библиотека села Заречье", exact: true });
    await link.waitFor();
    assert.equal(await news(page), "Добавлено: Библиотека села Заречье.");
    const token = await pageToken(page);
    const { body } = await api("/orgs?parent=demo-zarechny", token);
    const stored = body.orgs.find((o) => o.code === "zarechye-library");
    assert.deepEqual(
      [stored?.kind, stored?.sector, stored?.settlement, stored?.parent],
      ["institution", "culture", "rural", "demo-zarechny"],
    );

    // A taken code is refused in Russian and nothing changes.
    const again = form(page, `Новая организация в «${DISTRICT}»`);
    await field(again, "Код").fill("zarechye-library");
    await field(again, "Название").fill("Вторая библиотека");
    await again.getByRole("button", { name: "Добавить организацию", exact: true }).click();
    await eventually("the refusal", async () =>
      /код — от 1 до 64 латинских букв.*не должен быть занят/i.test(
        (await again.getByRole("alert").textContent()) ?? "",
      ),
    );

    // Selecting it in the tree keeps the page; its edit form renames it.
    await link.click();
    const edit = form(page, "Изменить: Библиотека села Заречье");
    await field(edit, "Название").fill("Сельская библиотека «Заречье»");
    await edit.getByRole("button", { name: "Сохранить изменения", exact: true }).click();
    await structure(page).getByRole("link", { name: "Сельская библиотека «Заречье»", exact: true }).waitFor();
    assert.equal(await structure(page).getByRole("link", { name: "Библиотека села Заречье", exact: true }).count(), 0);
    assert.equal(new URL(page.url()).pathname, "/dashboard/manage");
    const renamed = (await api("/orgs?parent=demo-zarechny", token)).body.orgs.find((o) => o.code === "zarechye-library");
    assert.equal(renamed.name, "Сельская библиотека «Заречье»");
    // Only the refusal above reached the console (as the browser logs every failed request).
    assert.deepEqual(console.all().filter((m) => !/status of 422/.test(m)), []);
    await context.close();
  });

  test("a CSV with broken lines stores nothing and names each line; a good one adds its orgs", async () => {
    const { context, page } = await open("/dashboard/manage?org=demo-zarechny");
    await signIn(page, "official", "otklik-official");
    await manageHeading(page).waitFor();
    const token = await pageToken(page);
    const bad = join(dir, "bad.csv");
    await writeFile(
      bad,
      [
        "code,name,kind,parent,sector,tz,settlement",
        "zar-school-1,Школа № 1 с. Заречье,institution,demo-zarechny,education,,rural",
        "zar-shop,Магазин,shop,demo-zarechny,,,",
        "zar-club,Клуб,institution,no-such-org,culture,,",
        "",
      ].join("\n"),
    );
    const importForm = form(page, "Загрузка из CSV");
    await importForm.getByLabel("Файл CSV", { exact: true }).setInputFiles(bad);
    await importForm.getByRole("button", { name: "Загрузить", exact: true }).click();
    const alert = importForm.getByRole("alert");
    await alert.waitFor();
    const lines = await alert.getByRole("listitem").allTextContents();
    assert.equal(lines.length, 2, lines.join("\n"));
    assert.match(lines[0], /^Строка 3: такой вид организации/);
    assert.match(lines[1], /^Строка 4: вышестоящей организации нет/);
    assert.match(await alert.textContent(), /ничего не сохранено/);
    // All or nothing: the good line 2 is not stored either.
    assert.ok(!(await orgCodes(token)).includes("zar-school-1"));

    // axe-core with the refusal on screen, at both sizes.
    assert.deepEqual(await violations(page), []);
    await page.setViewportSize(PHONE);
    assert.deepEqual(await violations(page), []);
    await page.setViewportSize(DESKTOP);

    const good = join(dir, "good.csv");
    // Semicolons, as a Russian spreadsheet saves them.
    await writeFile(
      good,
      [
        "code;name;kind;parent;sector;tz;settlement",
        "zar-school-1;Школа № 1 с. Заречье;institution;demo-zarechny;education;;rural",
        "zar-school-1-branch;Филиал школы № 1;department;zar-school-1;education;;rural",
        "",
      ].join("\r\n"),
    );
    await importForm.getByLabel("Файл CSV", { exact: true }).setInputFiles(good);
    await importForm.getByRole("button", { name: "Загрузить", exact: true }).click();
    await structure(page).getByRole("link", { name: "Школа № 1 с. Заречье", exact: true }).waitFor();
    assert.equal(await news(page), "Загружено организаций: 2.");
    const codes = await orgCodes(token);
    assert.ok(codes.includes("zar-school-1") && codes.includes("zar-school-1-branch"));
    await context.close();
  });

  test("a user added with a scope signs in; once disabled, their session returns to the sign-in", async () => {
    const { context, page } = await open(`/dashboard/manage?org=kcson-zarechye`);
    await signIn(page, "official", "otklik-official");
    await manageHeading(page).waitFor();
    const add = form(page, "Новый пользователь");
    // An official may not grant admin, so it is not offered.
    const roles = await add.getByRole("combobox", { name: "Роль" }).locator("option").allTextContents();
    assert.deepEqual(roles, ["должностное лицо", "наблюдатель", "оператор"]);
    assert.match(await add.textContent(), /Зона ответственности: КЦСОН «Заречье»/);

    // The API's refusals, in Russian.
    await field(add, "Логин").fill("zar-observer");
    await add.getByLabel("Пароль", { exact: true }).fill("short");
    await add.getByRole("combobox", { name: "Роль" }).selectOption({ label: "наблюдатель" });
    await add.getByRole("button", { name: "Добавить пользователя", exact: true }).click();
    await eventually("the password rule", async () =>
      ((await add.getByRole("alert").textContent()) ?? "").includes("Пароль — не короче 8 знаков."),
    );
    await field(add, "Логин").fill("observer");
    await add.getByLabel("Пароль", { exact: true }).fill("parol-zarechye");
    await add.getByRole("button", { name: "Добавить пользователя", exact: true }).click();
    await eventually("the taken login", async () =>
      ((await add.getByRole("alert").textContent()) ?? "").includes("Пользователь с таким логином уже есть."),
    );

    await field(add, "Логин").fill("zar-observer");
    await add.getByLabel("Пароль", { exact: true }).fill("parol-zarechye");
    await add.getByRole("button", { name: "Добавить пользователя", exact: true }).click();
    const table = page.getByRole("table", { name: "Пользователи" });
    const row = table.getByRole("row").filter({ hasText: "zar-observer" });
    await row.waitFor();
    assert.deepEqual(await row.getByRole("cell").allTextContents(), ["наблюдатель", INSTITUTION, "Активен", "Отключить"]);
    await eventually("the status", async () =>
      ((await add.getByRole("status").textContent()) ?? "").includes("Пользователь zar-observer добавлен."),
    );

    // The new account, in another browser, reads its institution.
    const other = await open("/dashboard");
    await signIn(other.page, "zar-observer", "parol-zarechye");
    await other.page.getByRole("heading", { level: 1, name: INSTITUTION, exact: true }).waitFor();
    const theirToken = await pageToken(other.page);

    // Disabling asks first; «Отмена» leaves the account as it was.
    await row.getByRole("button", { name: "Отключить zar-observer", exact: true }).click();
    await page.getByRole("button", { name: "Отмена", exact: true }).click();
    assert.equal(await page.getByRole("button", { name: "Да, отключить", exact: true }).count(), 0);
    assert.equal((await api("/orgs", theirToken)).status, 200);
    await row.getByRole("button", { name: "Отключить zar-observer", exact: true }).click();
    const confirm = page.getByRole("group", { name: /Отключить пользователя zar-observer\?/ });
    await eventually("the focus on the confirming button", () =>
      confirm.getByRole("button", { name: "Да, отключить" }).evaluate((el) => el === document.activeElement),
    );
    await page.keyboard.press("Enter");
    await eventually("the disabled state", async () =>
      (await row.getByRole("cell").allTextContents()).includes("Отключён"),
    );
    assert.equal(await row.getByRole("button").count(), 0);
    const refused = await api("/orgs", theirToken);
    assert.deepEqual([refused.status, refused.body.error.code], [401, "token_revoked"]);

    // Their next request is refused and their screen returns to the sign-in.
    await other.page.reload();
    await other.page.getByRole("textbox", { name: "Логин", exact: true }).waitFor();
    assert.equal(await other.page.getByRole("button", { name: "Выйти", exact: true }).count(), 0);
    await other.context.close();
    await context.close();
  });

  test("«Управление» is offered to the official and not to the observer or the operator", async () => {
    const official = await open("/dashboard");
    await signIn(official.page, "official", "otklik-official");
    await sections(official.page).getByRole("link", { name: "Управление", exact: true }).click();
    await manageHeading(official.page).waitFor();
    assert.equal(new URL(official.page.url()).pathname, "/dashboard/manage");
    await official.context.close();

    // The observer reads results; the page's address opens the overview instead.
    const observer = await open("/dashboard/manage");
    await signIn(observer.page, "observer", "otklik-observer");
    await observer.page.getByRole("heading", { level: 1, name: REGION, exact: true }).waitFor();
    await observer.page.getByRole("region", { name: "Ответов", exact: true }).waitFor();
    assert.equal(await observer.page.getByRole("link", { name: "Управление" }).count(), 0);
    assert.equal(await manageHeading(observer.page).count(), 0);
    assert.equal(await observer.page.getByRole("form").count(), 0);
    await observer.context.close();

    // The operator sees no results and no management: the page's address opens their first
    // section, «Ввод анкет», whose one form is the questionnaire's.
    const operator = await open("/dashboard/manage");
    await signIn(operator.page, "operator", "otklik-operator");
    await operator.page.getByRole("heading", { level: 1, name: "Ввод анкет", exact: true }).waitFor();
    assert.equal(await operator.page.getByRole("link", { name: "Управление" }).count(), 0);
    assert.equal(await manageHeading(operator.page).count(), 0);
    assert.equal(await operator.page.getByLabel("Файл CSV", { exact: true }).count(), 0);
    assert.equal(await operator.page.getByRole("region", { name: "Ответов" }).count(), 0);
    await operator.context.close();
  });

  test("the page has no axe-core violations at 1280×800 and 360×740, with the confirmation open", async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const { context, page } = await open("/dashboard/manage?org=demo", viewport);
      await signIn(page, "official", "otklik-official");
      await manageHeading(page).waitFor();
      await page.getByRole("table", { name: "Пользователи" }).waitFor();
      assert.deepEqual(await violations(page), [], `${viewport.width}×${viewport.height}`);
      await page.getByRole("button", { name: "Отключить observer", exact: true }).click();
      await page.getByRole("button", { name: "Да, отключить", exact: true }).waitFor();
      assert.deepEqual(await violations(page), [], `${viewport.width}×${viewport.height}, confirming`);
      await context.close();
    }
  });
});
