// Starts the real `otklik` binary for a test: demo data, a fresh SQLite file, a free port, no
// rate limit, and the PWA embedded in the binary (OTKLIK_PWA_DIR is removed from the env).
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const REPO = resolve(fileURLToPath(new URL("../..", import.meta.url)));
const STARTUP_MS = 60_000;

function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
  });
}

/**
 * Starts the server; resolves once `GET /healthz` answers 200.
 *
 * Options, for tests that restart the server under a page (same origin, same data):
 * - `port`: listen there instead of a free port;
 * - `dataDir`: keep the SQLite file there; the caller owns the directory (`stop` leaves it);
 * - `pwaDir`: serve this built PWA (`--pwa-dir`) instead of the embedded one.
 */
export async function startServer({ port: fixedPort, dataDir, pwaDir } = {}) {
  const configured = process.env.OTKLIK_BIN ?? "target/debug/otklik";
  const bin = isAbsolute(configured) ? configured : join(REPO, configured);
  const dir = dataDir ?? (await mkdtemp(join(tmpdir(), "otklik-e2e-")));
  const port = fixedPort ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const env = { ...process.env };
  delete env.OTKLIK_PWA_DIR;
  const args = [
    "serve",
    "--demo",
    "--bind", `127.0.0.1:${port}`,
    "--database-url", `sqlite://${dir}/e2e.db`,
    "--anon-rate-limit", "0",
    ...(pwaDir ? ["--pwa-dir", pwaDir] : []),
  ];
  const child = spawn(bin, args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
  const exited = once(child, "exit");
  const spawnFailed = once(child, "error").then(([e]) => e);

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    }
    if (!dataDir) await rm(dir, { recursive: true, force: true });
  };
  /** `kill -9`: no shutdown at all, mid-request if need be; the data stay for a restart. */
  const kill = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGKILL");
      await exited;
    }
  };

  const deadline = Date.now() + STARTUP_MS;
  for (;;) {
    const failure = await Promise.race([
      spawnFailed.then((e) => `cannot start ${bin}: ${e.message}`),
      exited.then(([code, signal]) => `${bin} exited (${code ?? signal}) during start-up`),
      new Promise((ok) => setTimeout(ok, 200)).then(() => null),
    ]);
    if (failure) {
      await stop();
      throw new Error(`${failure}\n${output}`);
    }
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`${bin} did not answer /healthz within ${STARTUP_MS} ms\n${output}`);
    }
  }
  // `bin` and `databaseUrl` let a test run CLI commands against this server's database.
  return { url, port, stop, kill, output: () => output, bin, databaseUrl: `sqlite://${dir}/e2e.db` };
}

/** The public and authenticated API calls the tests need, outside the browser. */
export function apiClient(base) {
  const call = async (path, init = {}) => {
    const res = await fetch(`${base}/api/v1${path}`, init);
    const body = await res.json();
    if (!res.ok) throw new Error(`${init.method ?? "GET"} ${path}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  };
  return {
    point: (code) => call(`/points/${encodeURIComponent(code)}`),
    login: async (login, password) =>
      (
        await call("/auth/login", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ login, password }),
        })
      ).token,
    stats: (token, org, questionnaire) =>
      call(`/stats?org=${encodeURIComponent(org)}&questionnaire=${encodeURIComponent(questionnaire)}`, {
        headers: { Authorization: `Bearer ${token}` },
      }),
  };
}
