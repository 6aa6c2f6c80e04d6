// The bench's way to run a page in Chromium with no DevTools client
// attached (tests/js/chromium.mjs openUnattached) and the static server's
// `posted`, through which such a page reports back.
import { test } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, writeFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openUnattached } from "./chromium.mjs";
import { serve } from "./static-server.mjs";

test("posted gives each path's texts in the order they came, waiting for one not yet there", async () => {
  const server = await serve({});
  try {
    const post = (path, body) => fetch(`${server.url}${path}`, { method: "POST", body });
    await post("/a", "first");
    await post("/a", "second");
    const later = server.posted("/b");
    await post("/b", "third");
    assert.equal(await server.posted("/a"), "first");
    assert.equal(await server.posted("/a"), "second");
    assert.equal(await later, "third");
  } finally {
    await server.close();
  }
});

test("a page opened unattached runs with no automation and posts back", { timeout: 60_000 }, async () => {
  const folder = await mkdtemp(join(tmpdir(), "steadysocket-unattached-"));
  await writeFile(
    join(folder, "index.html"),
    `<!doctype html><script type="module">
      await fetch("/report", { method: "POST", body: JSON.stringify({ webdriver: navigator.webdriver, isolated: crossOriginIsolated }) });
    </script>`,
  );
  const server = await serve({ "/": folder }, { isolated: true });
  const browser = await openUnattached(`${server.url}/`);
  try {
    const report = JSON.parse(await server.posted("/report"));
    // Playwright's pages say true here: their browser is launched for automation.
    assert.deepEqual(report, { webdriver: false, isolated: true });
  } finally {
    await browser.close();
    await server.close();
    await rm(folder, { recursive: true, force: true });
  }
});
