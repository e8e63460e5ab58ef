// The loop from complaint to fix (issue 16 item 5) in a real browser against the real server and
// its demo, beyond what nsi-journey.test.mjs proves (there: the demo official takes a new comment
// of the employment centre, is told that «Сделано» needs an answer, tags it with a stage and a
// loss, moves it to «Сделано» with a public answer, and /r/<org> shows the answer, never the
// citizen's text): the employment centre's comments opened by their address, where the observer
// reads the new ones but is offered no review; axe-core on the open review form at desktop and
// phone sizes. Controls are found only by role and accessible name (contract.md §7).
import assert from "node:assert/strict";
import { describe, test } from "node:test";

import { violations } from "./helpers/browser.mjs";
import { DESKTOP, PHONE, heading, signedIn } from "./helpers/dashboard.mjs";
import { CENTRE, commentFeed, showNewComments } from "./helpers/nsi.mjs";
import { demoSuite } from "./helpers/suite.mjs";

describe("dashboard: the comment loop", () => {
  const suite = demoSuite();

  /** A page signed in as `login` on the centre's comments, only the new ones listed. */
  async function newComments(login, viewport = DESKTOP) {
    const url = `${suite.server.url}/dashboard/comments?org=${CENTRE.code}`;
    const opened = await signedIn(suite.browser, url, login, viewport);
    await heading(opened.page, CENTRE.name).waitFor();
    await showNewComments(opened.page);
    return opened;
  }

  test("the observer reads the comments but is offered no review", async () => {
    const { context, page } = await newComments("observer");
    assert.equal(await page.getByRole("button", { name: "Разобрать" }).count(), 0);
    await context.close();
  });

  for (const [size, viewport] of [["1280×800", DESKTOP], ["360×740", PHONE]]) {
    test(`axe-core finds nothing on the open review form at ${size}`, async () => {
      const { context, page } = await newComments("official", viewport);
      const item = commentFeed(page).getByRole("listitem").first();
      await item.getByRole("button", { name: "Разобрать", exact: true }).click();
      await item.getByRole("textbox", { name: "Ответ для граждан", exact: true }).waitFor();
      assert.deepEqual(await violations(page), []);
      await context.close();
    });
  }
});
