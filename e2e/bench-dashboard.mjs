// How fast the officials' dashboard answers, for docs/benchmarks.md («PWA»).
//
//   node e2e/bench-dashboard.mjs [runs=5]
//   node e2e/bench-dashboard.mjs 5 --url http://127.0.0.1:8080 --login L --password P \
//     --path "Область/Район № 1/КЦСОН № 1 «Участие»"
//
// By default against target/debug/otklik (OTKLIK_BIN overrides) with `serve --demo` on SQLite,
// serving the built PWA; with `--url`, against a server already running there (the region of
// 2,000 institutions and 5,000,000 responses: see docs/benchmarks.md), signing in as `--login`
// and drilling down `--path` (the names of the org the sign-in opens, then two levels below).
// In Debian's Chromium at 1280×800, each run in a fresh context (cold HTTP cache, the bundle
// downloaded again):
// - sign-in: from pressing «Войти» to the overview rendered (the region's «Доля
//   удовлетворённых» card with its value, both quarters' /stats in), and the part of it spent
//   waiting for the login reply (the password hash is deliberately slow);
// - drill-down: from following an org's link in «Структура» to that org's card rendered,
//   for the district and then the institution;
// - first load: from navigation start to the sign-in form (download and start of the bundle).
// Prints medians and a Markdown table. Not a test: it asserts nothing. The demo is small
// (about 5,000 responses); the region-sized figures are the server benchmarks' above.
import { launch } from "./helpers/browser.mjs";
import { startServer } from "./helpers/server.mjs";

const RUNS = Number(process.argv[2] ?? 5);
const option = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const LOGIN = option("login", "official");
const PASSWORD = option("password", "otklik-official");
const [TOP, ...DRILL] = option(
  "path",
  "Демонстрационная область/Зареченский муниципальный район/КЦСОН «Заречье»",
).split("/");

const card = (page) => page.getByRole("region", { name: "Доля удовлетворённых", exact: true });

/** Waits until the heading names `name` and the card shows a value (digits and a comma). */
async function rendered(page, name) {
  await page.getByRole("heading", { level: 1, name, exact: true }).waitFor();
  await page.waitForFunction(
    () => {
      const region = [...document.querySelectorAll("section[aria-labelledby]")].find(
        (s) => s.querySelector("h3")?.textContent === "Доля удовлетворённых",
      );
      return region && /\d,\d/.test(region.textContent);
    },
    null,
    { polling: "raf" },
  );
  await card(page).waitFor();
}

async function run(browser, url) {
  const context = await browser.newContext({ locale: "ru-RU", viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const t0 = Date.now();
  await page.goto(`${url}/dashboard`);
  await page.getByRole("textbox", { name: "Логин", exact: true }).waitFor();
  const firstLoad = Date.now() - t0;
  await page.getByRole("textbox", { name: "Логин", exact: true }).fill(LOGIN);
  await page.getByLabel("Пароль", { exact: true }).fill(PASSWORD);
  const t1 = Date.now();
  const login = page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/login"));
  await page.getByRole("button", { name: "Войти", exact: true }).click();
  await login;
  const loginReply = Date.now() - t1;
  await rendered(page, TOP);
  const signIn = Date.now() - t1;
  const tree = page.getByRole("navigation", { name: "Структура" });
  const drills = [];
  for (const name of DRILL) {
    const t = Date.now();
    await tree.getByRole("link", { name, exact: true }).click();
    await rendered(page, name);
    drills.push(Date.now() - t);
  }
  await context.close();
  return { firstLoad, loginReply, signIn, district: drills[0], institution: drills[1] };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

const url = option("url");
const server = url ? { url, stop: async () => {} } : await startServer();
const browser = await launch();
try {
  await run(browser, server.url); // warm the server's caches and the OS's, not measured
  const runs = [];
  for (let i = 0; i < RUNS; i++) runs.push(await run(browser, server.url));
  const rows = Object.keys(runs[0]).map((k) => [k, median(runs.map((r) => r[k])), runs.map((r) => r[k]).join(", ")]);
  console.log(`| step | median of ${RUNS} | runs (ms) |`);
  console.log("| --- | --- | --- |");
  for (const [k, m, all] of rows) console.log(`| ${k} | ${m} ms | ${all} |`);
} finally {
  await browser.close();
  await server.stop();
}
