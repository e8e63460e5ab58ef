// Kiosk mode (/kiosk) in a real browser against the real server binary: enrolment with a code
// from the CLI, twenty answers across reloads, offline stretches and a browser restart, all
// delivered with gap-free sequence numbers; the PIN gate; the idle reset; the repeated-tap
// filter. Controls are found only by role and accessible name (contract.md §7).
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { after, before, describe, test } from "node:test";

import { eventually, launchPersistent, outboxCount, violations, watchConsole } from "./helpers/browser.mjs";
import { apiClient, startServer } from "./helpers/server.mjs";

const ORG = "mfc-center";
const POINT = "mfc-center-1";
const PIN = "4321";
const ANSWERS = 20;

/** `otklik device code …` against the test server's database; the code is the last word. */
async function mintCode(server) {
  const { stdout } = await promisify(execFile)(server.bin, [
    "device", "code", "--org", ORG, "--point", POINT, "--pin", PIN,
    "--database-url", server.databaseUrl,
  ]);
  return stdout.trim().split(/\s+/).at(-1);
}

/** Answers the express questionnaire from the attract screen and waits for «Спасибо». */
async function answerOnce(page, overall) {
  await page.getByRole("button", { name: "Начать опрос", exact: true }).click();
  await page.getByRole("radio", { name: overall, exact: true }).check();
  await page.getByRole("button", { name: "Далее", exact: true }).click();
  await page.getByRole("radio", { name: "9", exact: true }).check();
  await page.getByRole("button", { name: "Далее", exact: true }).click();
  await page.getByRole("button", { name: "Отправить", exact: true }).click();
  await page.getByRole("heading", { name: /^Спасибо/ }).waitFor();
}

const attract = (page) => page.getByRole("button", { name: "Начать опрос", exact: true });

describe("kiosk mode", () => {
  let server;
  let api;
  let official;
  let profile;
  let context;

  before(async () => {
    server = await startServer();
    api = apiClient(server.url);
    official = await api.login("official", "otklik-official");
    profile = await mkdtemp(join(tmpdir(), "otklik-kiosk-profile-"));
  });

  after(async () => {
    await context?.close();
    await server?.stop();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  const devices = async () => {
    const res = await fetch(`${server.url}/api/v1/devices?org=${ORG}`, {
      headers: { Authorization: `Bearer ${official}` },
    });
    assert.equal(res.status, 200);
    return (await res.json()).devices;
  };

  test("an enrolled kiosk delivers 20 answers across reloads, offline spells and a browser restart", async () => {
    const before = await api.stats(official, ORG, "express");
    const code = await mintCode(server);
    assert.match(code, /^\S+$/);

    context = await launchPersistent(profile);
    let page = context.pages()[0] ?? (await context.newPage());
    const messages = watchConsole(page);
    await page.goto(`${server.url}/kiosk`);
    await page.getByRole("textbox", { name: "Код подключения" }).waitFor();
    assert.deepEqual(await violations(page), [], "axe: the enrolment (sign-in) screen");
    await page.getByRole("textbox", { name: "Код подключения" }).fill(code);
    await page.getByRole("button", { name: "Подключить", exact: true }).click();
    await attract(page).waitFor();
    assert.deepEqual(await violations(page), [], "axe: the attract screen");
    // The shell must be cached before the offline reloads below.
    await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));

    // Enrolment survives a reload: the attract screen comes back, not the code box.
    await page.reload();
    await attract(page).waitFor();
    assert.equal(await page.getByRole("textbox", { name: "Код подключения" }).count(), 0);

    for (let n = 1; n <= ANSWERS; n++) {
      // 6–10 offline with reloads; 15–20 offline until the browser is closed.
      const offline = (n >= 6 && n <= 10) || n >= 15;
      await context.setOffline(offline);
      if (n > 1 && n !== 3) {
        await page.reload();
        await attract(page).waitFor();
      }
      await answerOnce(page, n % 2 ? "Да" : "Скорее нет");
      if (n === 2) {
        // Without a reload: «Спасибо» gives way to the attract screen by itself, and a tap
        // within five seconds of the last answer starts nothing.
        await attract(page).waitFor({ timeout: 10_000 });
        await attract(page).click();
        await page.getByText("Следующий опрос можно начать через несколько секунд.").waitFor();
        assert.equal(await page.getByRole("radio", { name: "Да", exact: true }).count(), 0);
        await page.waitForTimeout(1_500);
      }
    }
    assert.ok((await outboxCount(page)) >= 6, "the offline answers wait in the outbox");

    // Browser restart with the same profile, back online.
    await context.close();
    context = await launchPersistent(profile);
    page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${server.url}/kiosk`);
    await attract(page).waitFor();
    await eventually("the outbox to drain", async () => (await outboxCount(page)) === 0, 30_000);

    const [device] = await devices();
    assert.equal(device.last_seq, ANSWERS);
    assert.equal(device.received, ANSWERS);
    assert.deepEqual(device.missing, []);
    assert.equal(device.revoked, false);
    const after = await api.stats(official, ORG, "express");
    assert.equal(after.responses, before.responses + ANSWERS);
    assert.deepEqual(messages.csp(), []);
  });

  test("the operator panel opens only with the right PIN and shows the queue", async () => {
    const page = context.pages()[0];
    await page.goto(`${server.url}/kiosk`);
    await page.getByRole("button", { name: "Оператор", exact: true }).click();
    const pin = page.getByRole("textbox", { name: "PIN-код" });
    await pin.waitFor();
    assert.deepEqual(await violations(page), [], "axe: the PIN screen");
    await pin.fill("0000");
    await pin.press("Enter");
    await page.getByRole("alert").filter({ hasText: "Неверный PIN-код." }).waitFor();
    assert.equal(await page.getByText(/Ожидают отправки/).count(), 0, "a wrong PIN opens nothing");

    await pin.fill(PIN);
    await pin.press("Enter");
    const status = page.getByRole("status");
    await eventually("«Ожидают отправки: 0»", async () => /Ожидают отправки: 0/.test((await status.textContent()) ?? ""));
    assert.deepEqual(await violations(page), [], "axe: the operator panel with its staff sign-in");
    await page.getByRole("button", { name: "Закрыть", exact: true }).click();
    await attract(page).waitFor();
  });

  test("an idle respondent's half-answered questionnaire is dropped, saved answers are not", async () => {
    const page = context.pages()[0];
    await page.goto(`${server.url}/kiosk?idle=5`);
    await attract(page).click();
    await page.getByRole("radio", { name: "Нет", exact: true }).check();
    await page.getByRole("button", { name: "Далее", exact: true }).click();
    await page.getByRole("radio", { name: "3", exact: true }).waitFor();
    // Nobody touches the tablet: back to the attract screen after the timeout.
    await attract(page).waitFor({ timeout: 10_000 });
    await attract(page).click();
    const no = page.getByRole("radio", { name: "Нет", exact: true });
    await no.waitFor();
    assert.equal(await no.isChecked(), false, "the abandoned draft is gone");
    assert.equal(await outboxCount(page), 0, "nothing was queued for the abandoned draft");
    const [device] = await devices();
    assert.equal(device.received, ANSWERS);
  });
});
