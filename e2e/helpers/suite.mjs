// The set-up most browser test files share: one demo server and one Chromium for all the tests
// of a `describe`, started before its first test and stopped after its last, and, for tests
// that download files, a scratch directory removed with them.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before } from "node:test";

import { launch } from "./browser.mjs";
import { startServer } from "./server.mjs";

/**
 * Registers the enclosing `describe`'s `before` and `after`; call it in the `describe` body.
 * The object returned holds `server` (as `startServer` resolves it), `browser` and, with
 * `scratch`, `dir` once `before` has run.
 */
export function demoSuite({ scratch = false } = {}) {
  const suite = {};
  before(async () => {
    suite.server = await startServer();
    suite.browser = await launch();
    if (scratch) suite.dir = await mkdtemp(join(tmpdir(), "otklik-e2e-files-"));
  });
  after(async () => {
    await suite.browser?.close();
    await suite.server?.stop();
    if (suite.dir) await rm(suite.dir, { recursive: true, force: true });
  });
  return suite;
}
