// The same scenarios as in Node, run in headless Chromium against the peer
// server: in a page, then in a dedicated worker, ten of them in a shared
// worker; then through the package's
// no-wasm export in a page of a Chromium with V8's JIT off
// (`--js-flags=--jitless`), which leaves it no WebAssembly; then a page
// whose Content-Security-Policy refuses WebAssembly (csp.mjs); then the
// back/forward cache (back-forward-cache.mjs), left on as in a user's browser.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { WITHOUT_WASM, launch, strictPage } from "./chromium.mjs";
import { backForwardCacheTestsIn } from "./back-forward-cache.mjs";
import { cspTestsIn } from "./csp.mjs";
import { chromiumPages } from "./pages.mjs";
import { SHARED_WORKER_SCENARIOS, scenarios, scenariosStartingWith } from "./scenarios.mjs";
import { serveScenarioPage } from "./static-server.mjs";

const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
const hang = process.env.STEADYSOCKET_HANG ?? "127.0.0.1:9002";
const chaos = process.env.STEADYSOCKET_CHAOS ?? "127.0.0.1:9003";

/**
 * The scenarios on browser.html`query` in a Chromium started with `args`:
 * each of `runs` ([place, the page's function, the names, all if none]) runs them, after
 * `checks` (name → function of the page, which must hold).
 */
function chromiumScenarios(group, { args = [], query = "", runs, checks = {} }) {
  describe(group, () => {
    let browser;
    let server;
    let page;
    let problems;

    before(async () => {
      server = await serveScenarioPage();
      browser = await launch({ args });
      ({ page, problems } = await strictPage(browser));
      await page.goto(`${server.url}/js/browser.html${query}`);
      await page.waitForFunction(() => window.scenariosReady === true);
    });

    after(async () => {
      await browser?.close();
      await server?.close();
    });

    for (const [name, check] of Object.entries(checks)) {
      test(name, async () => assert.equal(await page.evaluate(check), true));
    }
    for (const [place, run, names = Object.keys(scenarios)] of runs) {
      for (const name of names) {
        test(`in ${place}: ${name}`, async () => {
          const result = await page.evaluate(([f, n, p, h, c]) => window[f](n, p, h, c), [run, name, peer, hang, chaos]);
          assert.equal(result, "ok");
        });
      }
    }

    test(`in ${runs[0][0]}: no page or console errors`, () => {
      // A refused or timed-out connection is logged by Chromium itself as a
      // network error; those are the platform's messages, not the page's.
      const ours = problems.filter((p) => !/WebSocket connection to .* failed/.test(p));
      assert.deepEqual(ours, []);
    });
  });
}

chromiumScenarios("Chromium", {
  runs: [
    ["Chromium", "runScenario"],
    ["a Chromium worker", "runScenarioInWorker"],
    ["a Chromium shared worker", "runScenarioInSharedWorker", scenariosStartingWith(SHARED_WORKER_SCENARIOS)],
  ],
});
chromiumScenarios("Chromium without WebAssembly", {
  args: WITHOUT_WASM,
  query: "?entry=no-wasm.js",
  runs: [["Chromium without WebAssembly", "runScenario"]],
  checks: { "in Chromium without WebAssembly: the page has none": () => typeof WebAssembly === "undefined" },
});
cspTestsIn("Chromium", () => chromiumPages());
backForwardCacheTestsIn("Chromium", () => chromiumPages({ backForwardCache: true }));
