// The package on a page whose Content-Security-Policy refuses WebAssembly
// (a script-src without 'wasm-unsafe-eval', as strict sites send): the
// main entry's constructor says that the page refused its core and what to
// do; the no-wasm export runs there without touching WebAssembly; with
// 'wasm-unsafe-eval' allowed, the main entry runs. In every engine, through
// pages.mjs (csp-page.mjs is the page). The React hook under the same
// policy: react-app.mjs.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { PROBLEM_RECORDER } from "./pages.mjs";
import { serveScenarioPage } from "./static-server.mjs";

/** Scripts from the page's own origin, inline ones too (the problem recorder), and no WebAssembly. */
export const REFUSING_WASM = "script-src 'self' 'unsafe-inline'";
/** The same policy with WebAssembly allowed, as the class's error advises. */
const ALLOWING_WASM = `${REFUSING_WASM} 'wasm-unsafe-eval'`;

const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";

/**
 * The engines that fire `securitypolicyviolation` for a refused module.
 * WebKitGTK 2.50 refuses it (a CompileError) without one.
 */
const REPORTS_REFUSED_WASM = new Set(["Chromium", "Firefox"]);

/**
 * The tests in `engine`, in pages from `newPages()` (pages.mjs's
 * { newPage, close }).
 */
export function cspTestsIn(engine, newPages) {
  describe(`in ${engine}, a page whose Content-Security-Policy refuses WebAssembly`, () => {
    let pages;
    before(async () => {
      pages = await newPages();
    });
    after(() => pages?.close());

    /** What csp-page.mjs made of `entry` under `policy`: { result, violations, problems }. */
    async function underPolicy(policy, entry) {
      const site = await serveScenarioPage({ headScript: PROBLEM_RECORDER, contentSecurityPolicy: policy });
      try {
        const page = await pages.newPage();
        await page.goto(`${site.url}/js/csp-page.html?entry=${entry}&peer=${peer}`);
        await page.waitFor(() => window.result !== undefined);
        return {
          result: await page.evaluate(() => window.result),
          violations: await page.evaluate(() => window.violations),
          problems: await page.problems(),
        };
      } finally {
        await site.close();
      }
    }

    test(`in ${engine}: the main entry's constructor says the page refused its core, and what to do`, async () => {
      const { result, violations } = await underPolicy(REFUSING_WASM, "steadysocket.js");
      assert.equal(result.cause, "CompileError", `the engine's refusal is the cause: ${JSON.stringify(result)}`);
      assert.match(
        result.thrown,
        /^Error: steadysocket could not compile its WebAssembly core on this page \(.+\); a Content-Security-Policy refuses WebAssembly unless its script-src allows 'wasm-unsafe-eval': allow that, or import steadysocket\/no-wasm there/s,
      );
      if (REPORTS_REFUSED_WASM.has(engine)) {
        assert.ok(violations.length >= 1, `the page's policy reported the refusal: ${violations}`);
      }
    });

    test(`in ${engine}: the no-wasm export runs there (an echo, a clean close) without touching WebAssembly`, async () => {
      const { result, violations, problems } = await underPolicy(REFUSING_WASM, "no-wasm.js");
      assert.deepEqual(result, { echoed: "héllo", code: 1000, wasClean: true });
      assert.deepEqual(violations, [], "nothing the policy refuses was tried");
      assert.deepEqual(problems, []);
    });

    test(`in ${engine}: with 'wasm-unsafe-eval' allowed, as the error advises, the main entry runs there`, async () => {
      const { result, violations, problems } = await underPolicy(ALLOWING_WASM, "steadysocket.js");
      assert.deepEqual(result, { echoed: "héllo", code: 1000, wasClean: true });
      assert.deepEqual(violations, []);
      assert.deepEqual(problems, []);
    });
  });
}
