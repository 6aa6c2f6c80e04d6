// The same scenarios as in Node, run in headless Chromium against the peer
// server: in a page, then in a dedicated worker.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { launch, strictPage } from "./chromium.mjs";
import { scenarios } from "./scenarios.mjs";
import { serveScenarioPage } from "./static-server.mjs";

const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
const hang = process.env.STEADYSOCKET_HANG ?? "127.0.0.1:9002";
const chaos = process.env.STEADYSOCKET_CHAOS ?? "127.0.0.1:9003";
let browser;
let server;
let page;
let problems;

before(async () => {
  server = await serveScenarioPage();
  browser = await launch();
  ({ page, problems } = await strictPage(browser));
  await page.goto(`${server.url}/js/browser.html`);
  await page.waitForFunction(() => window.scenariosReady === true);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

for (const name of Object.keys(scenarios)) {
  test(`in Chromium: ${name}`, async () => {
    const result = await page.evaluate(([n, p, h, c]) => window.runScenario(n, p, h, c), [name, peer, hang, chaos]);
    assert.equal(result, "ok");
  });
}

for (const name of Object.keys(scenarios)) {
  test(`in a Chromium worker: ${name}`, async () => {
    const result = await page.evaluate(([n, p, h, c]) => window.runScenarioInWorker(n, p, h, c), [name, peer, hang, chaos]);
    assert.equal(result, "ok");
  });
}

test("in Chromium: no page or console errors", () => {
  // A refused or timed-out connection is logged by Chromium itself as a
  // network error; those are the platform's messages, not the page's.
  const ours = problems.filter((p) => !/WebSocket connection to .* failed/.test(p));
  assert.deepEqual(ours, []);
});
