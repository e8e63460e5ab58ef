// The dashboard's «Точки опроса» and «Планшеты» sections in a real browser against the real
// server binary and its demo data: the official sees an institution's points with their QR
// codes, downloads an A4 poster whose rendered QR decodes to the point's address, downloads the
// ZIP, adds a point (and is told in Russian why a taken code is refused); sees the demo
// tablet's seq gap written out, revokes it after confirming in the page and finds /devices
// agreeing; mints an enrolment code whose QR decodes to the kiosk address that fills the code
// in. An operator lists both but is offered neither «Отключить» nor «Добавить точку» nor any
// results. axe-core on both screens at desktop and phone sizes. Controls are found by role
// and accessible name only (contract.md §7).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";

import { eventually, launch, violations } from "./helpers/browser.mjs";
import { openSignIn, pageToken, signIn } from "./helpers/dashboard.mjs";
import { startServer } from "./helpers/server.mjs";

const run = promisify(execFile);
const DISTRICT = "Зареченский муниципальный район";
const INSTITUTION = "КЦСОН «Заречье»";
const INSTITUTION_CODE = "kcson-zarechye";
const KIOSK = "Планшет в холле";
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 360, height: 740 };
const RESULT_CARDS = ["Ответов", "Доля удовлетворённых", "NPS", "Итоговый балл НОК"];

const structure = (page) => page.getByRole("navigation", { name: "Структура" });
const sections = (page) => page.getByRole("navigation", { name: "Разделы" });
const h1 = (page, name) => page.getByRole("heading", { level: 1, name, exact: true });
const pointCard = (page, code) => page.getByRole("article", { name: code, exact: true });
const devicesTable = (page) => page.getByRole("table", { name: "Планшеты" });

/** What the QR codes in an image file decode to (zbarimg), one text per code. */
async function qrTexts(image) {
  const { stdout } = await run("zbarimg", ["--raw", "-q", image]);
  return stdout.trim().split("\n");
}

describe("dashboard: survey points and kiosk tablets", () => {
  let server;
  let browser;
  let dir;

  before(async () => {
    server = await startServer();
    browser = await launch();
    dir = await mkdtemp(join(tmpdir(), "otklik-fleet-"));
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function open(viewport = DESKTOP) {
    return openSignIn(browser, `${server.url}/dashboard`, viewport);
  }

  async function api(page, path, init = {}) {
    const token = await pageToken(page);
    const res = await fetch(`${server.url}/api/v1${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers ?? {}) },
    });
    assert.equal(res.status, 200, `${path}: ${res.status}`);
    return res.json();
  }

  /** Opens a section by its link, then the demo КЦСОН by the tree's links. */
  async function openSection(page, section, title) {
    await sections(page).getByRole("link", { name: section, exact: true }).click();
    await structure(page).getByRole("link", { name: DISTRICT, exact: true }).click();
    await structure(page).getByRole("link", { name: INSTITUTION, exact: true }).click();
    await h1(page, `${title}: ${INSTITUTION}`).waitFor();
  }

  test("the official sees the points, prints an A4 poster whose QR is the point's address, gets the ZIP and adds a point", async () => {
    const { context, page, console } = await open();
    await signIn(page, "official", "otklik-official");
    await openSection(page, "Точки опроса", "Точки опроса");
    const { points } = await api(page, `/points?org=${INSTITUTION_CODE}`);
    const { life_situations: situations } = await api(page, "/life-situations");
    assert.ok(points.length >= 3, "the demo КЦСОН has its points");
    for (const point of points) {
      const card = pointCard(page, point.code);
      await card.waitFor();
      const text = await card.innerText();
      assert.ok(text.includes(point.url), `${point.code} shows its address`);
      const qr = card.getByRole("img", { name: `QR-код точки: ${point.url}`, exact: true });
      await eventually(`${point.code}'s QR image loaded`, () => qr.evaluate((img) => img.complete && img.naturalWidth > 0));
      if (point.life_situation) {
        const situation = situations.find((s) => s.code === point.life_situation);
        assert.ok(text.includes(`ЖС-${situation.no} · ${situation.name}`), text);
        assert.ok(text.includes(situation.stages.find((s) => s.code === point.stage).name), text);
      }
    }

    // «Плакат A4» of the first point: a PDF whose QR, rendered at 150 dpi, is the point's URL.
    const first = points.find((p) => p.code === "kcson-zarechye-1");
    const [poster] = await Promise.all([
      page.waitForEvent("download"),
      pointCard(page, first.code).getByRole("button", { name: "Плакат A4", exact: true }).click(),
    ]);
    const pdf = join(dir, "poster.pdf");
    await poster.saveAs(pdf);
    assert.equal((await readFile(pdf)).subarray(0, 5).toString(), "%PDF-");
    await run("pdftoppm", ["-png", "-r", "150", "-singlefile", pdf, join(dir, "poster")]);
    assert.deepEqual(await qrTexts(join(dir, "poster.png")), [first.url]);

    // «Все плакаты (ZIP)» of the selection.
    const [zip] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Все плакаты (ZIP)", exact: true }).click(),
    ]);
    const zipFile = join(dir, "posters.zip");
    await zip.saveAs(zipFile);
    assert.equal((await readFile(zipFile)).subarray(0, 2).toString(), "PK");
    const { stdout: listing } = await run("unzip", ["-Z1", zipFile]);
    for (const point of points) assert.ok(listing.split("\n").includes(`${point.code}.pdf`), listing);

    // «Добавить точку»: a code the server's rule refuses is caught here, a taken code is
    // refused by the server and explained in Russian, a good one appears with its stage.
    const code = page.getByRole("textbox", { name: "Код точки", exact: true });
    const add = page.getByRole("button", { name: "Добавить точку", exact: true });
    await code.fill("новая точка");
    await add.click();
    await page.getByRole("alert").filter({ hasText: "Код точки: только латинские буквы" }).waitFor();
    assert.equal(await code.getAttribute("aria-invalid"), "true");
    await code.fill(first.code);
    await add.click();
    await page.getByRole("alert").filter({ hasText: "Точка с таким кодом уже есть" }).waitFor();

    const situation = situations.find((s) => s.code === "home-social-service");
    const stage = situation.stages[situation.stages.length - 1];
    const stageBox = page.getByRole("combobox", { name: "Этап", exact: true });
    assert.ok(await stageBox.isDisabled(), "no stage without a life situation");
    await code.fill("kcson-zarechye-hall");
    await page.getByRole("combobox", { name: "Анкета", exact: true }).selectOption("express");
    await page
      .getByRole("combobox", { name: "Жизненная ситуация", exact: true })
      .selectOption(situation.code);
    const offered = await stageBox.locator("option").evaluateAll((os) => os.map((o) => o.value).filter(Boolean));
    assert.deepEqual(offered, situation.stages.map((s) => s.code), "only the situation's stages");
    await stageBox.selectOption(stage.code);
    await add.click();
    await page.getByRole("status").filter({ hasText: "Точка kcson-zarechye-hall добавлена." }).waitFor();
    const added = pointCard(page, "kcson-zarechye-hall");
    await added.waitFor();
    assert.ok((await added.innerText()).includes(stage.name));
    const after = (await api(page, `/points?org=${INSTITUTION_CODE}`)).points.find((p) => p.code === "kcson-zarechye-hall");
    assert.deepEqual(
      [after.org, after.questionnaire, after.life_situation, after.stage],
      [INSTITUTION_CODE, "express", situation.code, stage.code],
    );
    assert.deepEqual(console.csp(), []);
    await context.close();
  });

  test("the official sees the tablet's gap, revokes it after confirming, and mints a code whose QR opens the kiosk with it", async () => {
    const { context, page, console } = await open();
    await signIn(page, "official", "otklik-official");
    await openSection(page, "Планшеты", "Планшеты");
    const { devices } = await api(page, `/devices?org=${INSTITUTION_CODE}`);
    const demo = devices.find((d) => d.name === KIOSK);
    assert.deepEqual(demo.missing, [[58, 63]]);
    const row = devicesTable(page).getByRole("row").filter({ has: page.getByRole("rowheader", { name: KIOSK }) });
    const text = (await row.innerText()).replace(/\s+/g, " ");
    assert.ok(text.includes("пропуски: 58–63"), text);
    assert.ok(text.includes(String(demo.received)), text);
    assert.ok(text.includes("работает"), text);
    assert.equal(await row.locator("mark").innerText(), "пропуски: 58–63", "the gap is marked, not only coloured");

    // «Отключить» asks in the row; «Отмена» steps back, «Подтвердить отключение» revokes.
    await row.getByRole("button", { name: "Отключить", exact: true }).click();
    const confirm = row.getByRole("button", { name: "Подтвердить отключение", exact: true });
    await eventually("the focus on the confirmation", () => confirm.evaluate((el) => el === document.activeElement));
    await row.getByRole("button", { name: "Отмена", exact: true }).click();
    await row.getByRole("button", { name: "Отключить", exact: true }).waitFor();
    assert.equal((await api(page, `/devices?org=${INSTITUTION_CODE}`)).devices.find((d) => d.device === demo.device).revoked, false);
    await row.getByRole("button", { name: "Отключить", exact: true }).click();
    await confirm.click();
    await page.getByRole("status").filter({ hasText: `Планшет «${KIOSK}» отключён.` }).waitFor();
    await eventually("the row says revoked", async () => (await row.innerText()).includes("отключён"));
    assert.equal(await row.getByRole("button", { name: "Отключить" }).count(), 0);
    assert.equal((await api(page, `/devices?org=${INSTITUTION_CODE}`)).devices.find((d) => d.device === demo.device).revoked, true);

    // «Новый код подключения»: code, PIN and the kiosk address, as text and as a QR code.
    await page.getByRole("combobox", { name: "Учреждение", exact: true }).waitFor();
    await page.getByRole("button", { name: "Новый код подключения", exact: true }).click();
    const codeText = page.locator("dt", { hasText: "Код подключения" }).locator("xpath=following-sibling::dd[1]");
    await codeText.waitFor();
    const code = (await codeText.innerText()).trim();
    const pin = (await page.locator("dt", { hasText: "PIN-код оператора" }).locator("xpath=following-sibling::dd[1]").innerText()).trim();
    assert.match(code, /^[A-Z2-9]{8}$/);
    assert.match(pin, /^\d{6}$/);
    const kioskUrl = `${server.url}/kiosk?code=${code}`;
    assert.ok((await page.getByRole("status").filter({ hasText: kioskUrl }).count()) === 1, "the address as text");
    const qr = page.getByRole("img", { name: `QR-код адреса для подключения планшета: ${kioskUrl}`, exact: true });
    const svg = decodeURIComponent((await qr.getAttribute("src")).replace(/^data:image\/svg\+xml;charset=utf-8,/, ""));
    await writeFile(join(dir, "enrol.svg"), svg);
    await run("rsvg-convert", ["-w", "400", "-o", join(dir, "enrol.png"), join(dir, "enrol.svg")]);
    assert.deepEqual(await qrTexts(join(dir, "enrol.png")), [kioskUrl]);
    assert.deepEqual(console.csp(), []);

    // What the tablet's camera opens: the kiosk with the code filled in.
    const tablet = await browser.newContext({ locale: "ru-RU", viewport: { width: 800, height: 1000 } });
    const kiosk = await tablet.newPage();
    await kiosk.goto(kioskUrl);
    const box = kiosk.getByRole("textbox", { name: "Код подключения", exact: true });
    await box.waitFor();
    assert.equal(await box.inputValue(), code);
    await tablet.close();
    await context.close();
  });

  test("an operator lists points and tablets but may not revoke, add points, print or read results", async () => {
    const { context, page } = await open();
    await signIn(page, "operator", "otklik-operator");
    assert.deepEqual(
      await sections(page).getByRole("link").allInnerTexts(),
      ["Ввод анкет", "Точки опроса", "Планшеты"],
    );
    await sections(page).getByRole("link", { name: "Точки опроса", exact: true }).click();
    await h1(page, `Точки опроса: ${INSTITUTION}`).waitFor();
    await pointCard(page, "kcson-zarechye-1").waitFor();
    for (const name of ["Добавить точку", "Плакат A4", "Плакат A6", "Все плакаты (ZIP)"]) {
      assert.equal(await page.getByRole("button", { name }).count(), 0, name);
    }
    assert.equal(await page.getByRole("textbox", { name: "Код точки" }).count(), 0);
    await sections(page).getByRole("link", { name: "Планшеты", exact: true }).click();
    await h1(page, `Планшеты: ${INSTITUTION}`).waitFor();
    await devicesTable(page).getByRole("rowheader", { name: KIOSK }).waitFor();
    assert.equal(await page.getByRole("button", { name: "Отключить" }).count(), 0);
    await page.getByRole("button", { name: "Новый код подключения", exact: true }).waitFor();
    for (const name of RESULT_CARDS) assert.equal(await page.getByRole("region", { name }).count(), 0, name);
    assert.equal(await page.getByRole("combobox", { name: "Период" }).count(), 0);
    await context.close();
  });

  test("axe-core finds nothing on either section at desktop and phone sizes", async () => {
    const found = {};
    for (const [size, viewport] of Object.entries({ desktop: DESKTOP, phone: PHONE })) {
      const { context, page } = await open(viewport);
      await signIn(page, "official", "otklik-official");
      await page.goto(`${server.url}/dashboard/points?org=${INSTITUTION_CODE}`);
      await pointCard(page, "kcson-zarechye-1").waitFor();
      found[`points ${size}`] = await violations(page);
      await page.goto(`${server.url}/dashboard/devices?org=${INSTITUTION_CODE}`);
      await devicesTable(page).waitFor();
      await page.getByRole("button", { name: "Новый код подключения", exact: true }).click();
      await page.getByRole("img", { name: /^QR-код адреса/ }).waitFor();
      found[`devices ${size}`] = await violations(page);
      await context.close();
    }
    assert.deepEqual(Object.fromEntries(Object.entries(found).filter(([, v]) => v.length)), {});
  });
});
