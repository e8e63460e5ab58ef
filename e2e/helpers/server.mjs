// Starts the real `otklik` binary for a test: demo data, a fresh database, a free port, no rate
// limit, and the PWA embedded in the binary (OTKLIK_PWA_DIR is removed from the env).
//
// The database is a SQLite file in a scratch directory, or, with OTKLIK_E2E_DATABASE=postgres, a
// database `otklik_e2e_<uuid>` created on TEST_POSTGRES_URL (default
// postgres://postgres@127.0.0.1:5432/postgres, as for the Rust tests; the role needs CREATEDB)
// and dropped with the server: scripts/test.sh runs the tests that restart and kill the server
// under a page on both backends. `psql` (Debian's postgresql-client, which scripts/setup.sh
// --test checks for) creates and drops it, so the tests need no PostgreSQL driver of their own.
import { execFile, spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { constants, tmpdir } from "node:os";
import { isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

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

const BACKEND = process.env.OTKLIK_E2E_DATABASE || "sqlite";
if (BACKEND !== "sqlite" && BACKEND !== "postgres") {
  throw new Error(`OTKLIK_E2E_DATABASE is ${BACKEND}: sqlite (the default) or postgres`);
}
const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL || "postgres://postgres@127.0.0.1:5432/postgres";

/** `psql`'s arguments that run `sql` on the PostgreSQL server the test databases are made on. */
function psqlArgs(sql) {
  return ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", POSTGRES_ADMIN_URL, "-c", sql];
}
const dropSql = (name) => `drop database if exists "${name}" with (force)`;

/**
 * The databases created and not dropped yet. Dropped at the latest when this test file's process
 * exits, also on Ctrl-C or a SIGTERM (a `dispose` skipped by a crash, an unhandled rejection, an
 * interrupted run): nothing stays behind on the server. `with (force)` ends the connections of a
 * server still running.
 */
const liveDatabases = new Set();
if (BACKEND === "postgres") {
  process.once("exit", () => {
    for (const name of liveDatabases) spawnSync("psql", psqlArgs(dropSql(name)), { stdio: "ignore" });
  });
  // A signal's default action skips "exit"; exit as it would (128 + its number), through "exit".
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
    process.once(signal, () => process.exit(128 + constants.signals[signal]));
  }
}

async function createDatabase() {
  const name = `otklik_e2e_${randomUUID().replaceAll("-", "")}`;
  try {
    await promisify(execFile)("psql", psqlArgs(`create database "${name}"`));
  } catch (e) {
    const why = e.stderr?.trim() || e.message;
    throw new Error(`psql cannot create ${name} on TEST_POSTGRES_URL (scripts/setup.sh --test checks it): ${why}`);
  }
  liveDatabases.add(name);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    drop: async () => {
      await promisify(execFile)("psql", psqlArgs(dropSql(name)));
      liveDatabases.delete(name);
    },
  };
}

/**
 * Data for servers to run on: a scratch directory (the server's working directory, where the
 * SQLite file lives) and its database, on the backend OTKLIK_E2E_DATABASE names. Servers started
 * on it leave it on `stop`; `dispose` removes both.
 */
export async function serverData() {
  const postgres = BACKEND === "postgres" ? await createDatabase() : null;
  const dir = await mkdtemp(join(tmpdir(), "otklik-e2e-"));
  return {
    dir,
    databaseUrl: postgres?.url ?? `sqlite://${dir}/e2e.db`,
    dispose: async () => {
      try {
        await postgres?.drop();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * Starts the server; resolves once `GET /healthz` answers 200.
 *
 * Options, for tests that restart the server under a page (same origin, same data; see
 * `restartableServer`):
 * - `port`: listen there instead of a free port;
 * - `data`: run on this `serverData()`; the caller owns it (`stop` leaves it), otherwise the
 *   server has its own, removed on `stop`;
 * - `pwaDir`: serve this built PWA (`--pwa-dir`) instead of the embedded one.
 */
export async function startServer({ port: fixedPort, data: shared, pwaDir } = {}) {
  const configured = process.env.OTKLIK_BIN ?? "target/debug/otklik";
  const bin = isAbsolute(configured) ? configured : join(REPO, configured);
  const data = shared ?? (await serverData());
  const port = fixedPort ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  const env = { ...process.env };
  delete env.OTKLIK_PWA_DIR;
  const args = [
    "serve",
    "--demo",
    "--bind", `127.0.0.1:${port}`,
    "--database-url", data.databaseUrl,
    "--anon-rate-limit", "0",
    ...(pwaDir ? ["--pwa-dir", pwaDir] : []),
  ];
  const child = spawn(bin, args, { cwd: data.dir, env, stdio: ["ignore", "pipe", "pipe"] });
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
    if (!shared) await data.dispose();
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
  return { url, port, stop, kill, output: () => output, bin, databaseUrl: data.databaseUrl };
}

/**
 * A server whose data and port outlive it, for tests that stop, kill and restart it under a page
 * (same origin, same data). Options as `startServer`'s; `restart` stops it if it runs and starts
 * it again, with other options if given (another `pwaDir`); `dispose` stops it and removes its
 * data (on PostgreSQL, drops the database).
 */
export async function restartableServer(options = {}) {
  const data = await serverData();
  let server;
  try {
    server = await startServer({ ...options, data });
  } catch (e) {
    await data.dispose();
    throw e;
  }
  let running = true;
  const { url, port } = server;
  return {
    url,
    port,
    api: apiClient(url),
    stop: async () => {
      await server.stop();
      running = false;
    },
    /** `kill -9`: no shutdown at all, mid-request if need be. */
    kill: async () => {
      await server.kill();
      running = false;
    },
    restart: async (changed = {}) => {
      await server.stop();
      running = false;
      server = await startServer({ ...options, ...changed, data, port });
      running = true;
    },
    /** Starts it again if a failed test left it stopped, so the next test has a server. */
    ensureRunning: async function () {
      if (!running) await this.restart();
    },
    dispose: async () => {
      try {
        await server.stop();
      } finally {
        await data.dispose();
      }
    },
  };
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
