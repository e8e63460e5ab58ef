// Turns wasm-bindgen's output into the deployable pwa/dist. No npm dependencies.
//
//   [OTKLIK_BUILD_TAG=…] node pwa/tools/postbuild.mjs <wasm-bindgen out dir> <dist dir>
//
// The wasm-bindgen out dir holds one sub-directory per bundle, as scripts/build-pwa.sh leaves
// them: citizen/otklik-pwa-citizen{.js,_bg.wasm}, kiosk/otklik-pwa-kiosk{.js,_bg.wasm},
// dashboard/otklik-pwa-dashboard{.js,_bg.wasm} (the officials' results),
// desk/otklik-pwa-desk{.js,_bg.wasm} (the officials' and operators' work) and
// nsi/otklik-pwa-nsi{.js,_bg.wasm} (НСИ and the comment loop).
//
// 1. Content-hashes the bundles' glue JS and wasm, and the stylesheets (immutable, cacheable
//    for a year): app.css for every page, dashboard.css for the three officials' bundles only.
// 2. Writes a hashed /boot-<hash>.js module that picks the bundle by path (the kiosk one under
//    /kiosk; the desk and nsi ones under their sections' paths, the dashboard one elsewhere
//    under /dashboard, all three with the dashboard's stylesheet; else the citizen one),
//    imports its glue and starts its wasm, and an index.html
//    that loads it: no inline script, so the CSP needs no hashes or nonces
//    (script-src 'self' 'wasm-unsafe-eval').
// 3. Copies pwa/public/** (manifest, icons).
// 4. Writes sw.js from pwa/sw/sw.template.js with the shell's precache list (the citizen
//    bundle only), the kiosk bundle's files (cached for kiosks only; the dashboard's are never
//    precached, see the template) and a version that
//    is the hash of the whole build and OTKLIK_BUILD_TAG (any change gives a byte-different
//    sw.js → an update).
// 5. Writes precompressed .br and .gz siblings (kept only when smaller) for the server.
// 6. Prints sizes, including the brotli bytes of a first visit.
import { createHash } from "node:crypto";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { basename, join, relative, sep } from "node:path";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const [bindgenDir, distDir] = process.argv.slice(2);
if (!bindgenDir || !distDir) {
  console.error("usage: node pwa/tools/postbuild.mjs <wasm-bindgen out dir> <dist dir>");
  process.exit(2);
}
const pwaDir = new URL("..", import.meta.url).pathname;
/** The bundles: wasm-bindgen out sub-directory and out name (`--out-name`). */
const BUNDLES = {
  citizen: "otklik-pwa-citizen",
  kiosk: "otklik-pwa-kiosk",
  dashboard: "otklik-pwa-dashboard",
  desk: "otklik-pwa-desk",
  nsi: "otklik-pwa-nsi",
};
/** The paths that run the kiosk bundle (the app's `/kiosk` route); boot and sw.js share it. */
const KIOSK_PATH = /^\/kiosk(\/|$)/;
/** The paths that run the desk bundle: the sections it serves (`Section::in_this_bundle` in
 * pwa/src/dashboard/sections.rs, whose test reads this line). */
const DESK_PATH = /^\/dashboard\/(entry|points|devices|manage)(\/|$)/;
/** The paths that run the НСИ bundle (the report and the comment loop), held to
 * `Section::in_this_bundle` by the same test. */
const NSI_PATH = /^\/dashboard\/(nsi|comments|nsi-data)(\/|$)/;
/** The paths that run the dashboard bundle (the rest of the app's `/dashboard` routes). */
const DASHBOARD_PATH = /^\/dashboard(\/|$)/;
/** Hex digits of content hash in file names; the server treats `-<16 hex>.` names as immutable. */
const HASH_LEN = 16;

const sha256 = (...parts) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex");
};
const hashed = (stem, ext, bytes) => `${stem}-${sha256(bytes).slice(0, HASH_LEN)}.${ext}`;
const read = (path) => {
  if (!existsSync(path)) {
    console.error(`postbuild: missing ${path}`);
    process.exit(1);
  }
  return readFileSync(path);
};

// A clean slate each time: the build is idempotent and never ships stale hashed files.
rmSync(distDir, { recursive: true, force: true });
mkdirSync(distDir, { recursive: true });
const put = (name, bytes) => {
  writeFileSync(join(distDir, name), bytes);
  return name;
};

/** Copies one bundle's glue and wasm under hashed names; returns their URLs. */
const bundle = (dir, name) => {
  const file = (stem, ext) => {
    const bytes = read(join(bindgenDir, dir, `${stem}.${ext}`));
    return `/${put(hashed(stem, ext, bytes), bytes)}`;
  };
  return { glue: file(name, "js"), wasm: file(`${name}_bg`, "wasm") };
};
const citizen = bundle("citizen", BUNDLES.citizen);
const kiosk = bundle("kiosk", BUNDLES.kiosk);
const stylesheet = (stem) => {
  const bytes = read(join(pwaDir, "assets", `${stem}.css`));
  return put(hashed(stem, "css", bytes), bytes);
};
const css = stylesheet("app");
// The dashboard's own styles ride with its bundle: the boot script links them only there.
const officialsCss = `/${stylesheet("dashboard")}`;
const dashboard = { ...bundle("dashboard", BUNDLES.dashboard), css: officialsCss };
const desk = { ...bundle("desk", BUNDLES.desk), css: officialsCss };
const nsi = { ...bundle("nsi", BUNDLES.nsi), css: officialsCss };

// The only script the page runs directly. The shell is one index.html for every path, so it
// cannot preload a bundle (the server's `/q/<point>` page adds the citizen bundle's preloads);
// instead this starts the wasm download together with the glue's (wasm-bindgen's init takes
// the pending Response). Its failure message is plain Russian text, shown when wasm cannot
// start (a very old browser, a broken download).
//
// On the server-rendered first question (`#prerender`, see server/src/routes/survey_page.rs)
// the page's own inline script has already made «Далее» work; this only puts its failure
// message there if the app cannot start.
const bootSource = `const { glue, wasm, css } = ${KIOSK_PATH}.test(location.pathname)
  ? ${JSON.stringify(kiosk)}
  : ${DESK_PATH}.test(location.pathname)
  ? ${JSON.stringify(desk)}
  : ${NSI_PATH}.test(location.pathname)
  ? ${JSON.stringify(nsi)}
  : ${DASHBOARD_PATH}.test(location.pathname)
  ? ${JSON.stringify(dashboard)}
  : ${JSON.stringify(citizen)};
if (css) {
  const link = document.createElement("link");
  link.rel = "stylesheet";
  link.href = css;
  document.head.append(link);
}
const boot = document.getElementById("boot");
const module_or_path = fetch(wasm);
const form = document.querySelector("#prerender form");
import(glue).then(({ default: init }) => init({ module_or_path })).then(
  () => boot && boot.remove(),
  (error) => {
    console.error(error);
    const place = boot || (form && form.querySelector(".hint"));
    if (place) place.textContent = "Не удалось запустить опрос. Обновите страницу или откройте её в другом браузере.";
  },
);
`;
const boot = put(hashed("boot", "js", bootSource), bootSource);

const template = read(join(pwaDir, "index.html")).toString("utf8");
const index = Object.entries({ css, boot }).reduce(
  (html, [key, file]) => html.replaceAll(`{{${key}}}`, `/${file}`),
  template,
);
if (/{{\w+}}/.test(index)) {
  console.error("postbuild: index.html has an unknown placeholder");
  process.exit(1);
}
put("index.html", index);
// The citizen bundle's files, for the server's `/q/<point>` page to preload.
put("bundles.json", JSON.stringify({ citizen }));

cpSync(join(pwaDir, "public"), distDir, { recursive: true });

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
const files = () =>
  walk(distDir)
    .map((p) => relative(distDir, p).split(sep).join("/"))
    .sort();

// The shell: what a citizen's first visit already downloaded (icons are fetched by the browser
// itself only when installing, so they are not precached). The kiosk bundle is not in it (it
// would blow the citizen's first-visit budget): sw.js caches it for kiosks only. Nor is the
// officials' two: officials work online, and citizens must not download them.
const shell = ["/index.html", `/${boot}`, `/${css}`, "/manifest.webmanifest", "/icons/icon.svg"];
const precache = [...shell, citizen.glue, citizen.wasm];
const kioskFiles = [kiosk.glue, kiosk.wasm];
const dashboardFiles = [dashboard.glue, dashboard.wasm, desk.glue, desk.wasm, nsi.glue, nsi.wasm, officialsCss];
for (const url of [...precache, ...kioskFiles, ...dashboardFiles]) read(join(distDir, url));
if (dashboardFiles.some((url) => precache.includes(url) || kioskFiles.includes(url))) {
  console.error("postbuild: the officials' bundles must not be precached");
  process.exit(1);
}
// OTKLIK_BUILD_TAG (optional) only changes the version, so sw.js and the cache name change
// while every app file stays byte-identical: the browser tests build two "deploys" of one
// wasm this way to exercise the update flow without touching the sources.
const tag = process.env.OTKLIK_BUILD_TAG ?? "";
const version = sha256(tag, ...files().flatMap((f) => [f, readFileSync(join(distDir, f))])).slice(0, HASH_LEN);
const sw = read(join(pwaDir, "sw", "sw.template.js"))
  .toString("utf8")
  .replaceAll("__VERSION__", version)
  .replaceAll("__PRECACHE__", JSON.stringify(precache))
  .replaceAll("__KIOSK__", JSON.stringify(kioskFiles))
  .replaceAll("__KIOSK_PATH__", String(KIOSK_PATH));
if (/__[A-Z]+__/.test(sw)) {
  console.error("postbuild: sw.template.js has an unknown placeholder");
  process.exit(1);
}
put("sw.js", sw);

const COMPRESSIBLE = /\.(html|js|css|wasm|webmanifest|json|svg)$/;
const sizes = new Map();
for (const f of files()) {
  const bytes = readFileSync(join(distDir, f));
  const size = { raw: bytes.length, br: bytes.length, gz: bytes.length };
  if (COMPRESSIBLE.test(f)) {
    const br = brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    });
    const gz = gzipSync(bytes, { level: 9 });
    if (br.length < bytes.length) {
      writeFileSync(join(distDir, `${f}.br`), br);
      size.br = br.length;
    }
    if (gz.length < bytes.length) {
      writeFileSync(join(distDir, `${f}.gz`), gz);
      size.gz = gz.length;
    }
  }
  sizes.set(f, size);
}

const kb = (n) => `${(n / 1024).toFixed(1)} KB`.padStart(10);
console.log(`pwa/dist  version ${version}`);
console.log(`${"file".padEnd(44)}${"raw".padStart(10)}${"gzip".padStart(10)}${"brotli".padStart(10)}`);
for (const [f, s] of sizes) console.log(`${f.padEnd(44)}${kb(s.raw)}${kb(s.gz)}${kb(s.br)}`);
const total = (list) => list.reduce((sum, url) => sum + sizes.get(url.replace(/^\//, "")).br, 0);
for (const [name, { glue, wasm, css: own }] of Object.entries({ citizen, kiosk, dashboard, desk, nsi })) {
  const firstVisit = ["/index.html", `/${boot}`, glue, wasm, "/manifest.webmanifest", ...(own ? [own] : [])];
  const parts = own ? "index.html + boot + glue + wasm + manifest + own stylesheet" : "index.html + boot + glue + wasm + manifest";
  console.log(`${name} first visit, brotli (${parts}): ${kb(total(firstVisit)).trim()}`);
  console.log(`  with the stylesheet, favicon and sw.js: ${kb(total([...firstVisit, `/${css}`, "/icons/icon.svg", "/sw.js"])).trim()}`);
}
console.log(`${basename(distDir)} ready`);
