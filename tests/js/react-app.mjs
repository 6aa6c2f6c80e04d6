// `steadysocket/react` in a page: a React 19 app (tests/react-app) built by
// Vite from the packed package (development build, so StrictMode mounts
// twice), in any engine through pages.mjs, with the peer server counting
// connections. Where the page has WebAssembly the hook uses the main entry
// and the app's no-wasm chunk is never fetched; where it has none the hook
// loads that chunk and runs over the no-wasm export. Run in Chromium
// (react.test.mjs), Firefox and WebKit (their test files), each with and
// without WebAssembly.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { REFUSING_WASM } from "./csp.mjs";
import { counts, sleep, uniqueTag } from "./helpers.mjs";
import { installPacked, run } from "./packed.mjs";
import { PROBLEM_RECORDER } from "./pages.mjs";
import { serve } from "./static-server.mjs";

const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
const npmDir = fileURLToPath(new URL("../../target/npm-react/", import.meta.url));
/** The app's folder: its sources, and `node_modules` once built. */
export const appDir = fileURLToPath(new URL("../react-app/", import.meta.url));

let installed = false;

/** Installs the packed package and the app's dependencies, once a process. */
export function installReactApp() {
  if (!installed) installPacked(npmDir, appDir);
  installed = true;
}

/**
 * Builds the app into `dist/${name}` (each test file its own build);
 * returns that folder and the name of the chunk that holds the no-wasm
 * export.
 */
function buildReactApp(name) {
  installReactApp();
  const outDir = `dist/${name}`;
  // A development build: StrictMode mounts every component twice.
  run(process.execPath, [appDir + "node_modules/vite/bin/vite.js", "build", "--logLevel", "error", "--outDir", outDir], appDir, {
    ...process.env,
    NODE_ENV: "development",
  });
  const dist = appDir + outDir;
  const chunks = readdirSync(`${dist}/assets`).filter((file) => file.startsWith("no-wasm") && file.endsWith(".js"));
  assert.equal(chunks.length, 1, `one chunk of the no-wasm export in ${outDir}/assets: ${chunks}`);
  return { dist, noWasmChunk: chunks[0] };
}

/** Polls the server's counts for `tag` until `wanted` holds them. */
async function countsUntil(tag, wanted, what) {
  for (let tries = 0; ; tries += 1) {
    const now = await counts(peer, tag);
    if (wanted(now)) return now;
    assert.ok(tries < 100, `${what}: ${JSON.stringify(now)} after 5 s`);
    await sleep(50);
  }
}

/** The text of the first element `selector` picks in `page`. */
const textOf = (page, selector) => page.evaluate((s) => document.querySelector(s).textContent, selector);

/**
 * The app in a page of `pages`: one socket at a time under StrictMode, kept
 * across renders, replaced on a new URL, closed on unmount; a URL the socket
 * refuses reaches an error boundary. Returns whether the page had
 * WebAssembly and the paths it fetched.
 */
async function strictModeEcho(pages, dist, { contentSecurityPolicy = null } = {}) {
  const site = await serve({ "/": dist }, { headScript: PROBLEM_RECORDER, contentSecurityPolicy });
  try {
    const page = await pages.newPage();
    const tag = uniqueTag("react");
    await page.goto(`${site.url}/?peer=${peer}&tag=${tag}`);
    const ready = () => document.querySelector('#ready[data-ready="1"]') !== null;
    await page.waitFor(ready);
    assert.equal(await page.evaluate(() => window.appMounts), 2, "StrictMode mounted the app twice");
    const first = await countsUntil(`${tag}-a`, (c) => c.open === 1, "room a open");
    assert.equal(first.peak, 1, "never two sockets at once");

    await page.click("#send");
    await page.waitFor(() => document.querySelector("#last").textContent === "hello");
    assert.equal(await textOf(page, "#seen"), "1", "onMessage saw the message once");
    await page.click("#send"); // re-renders keep the socket
    await page.waitFor(() => document.querySelector("#seen").textContent === "2");
    assert.deepEqual(await counts(peer, `${tag}-a`), { open: 1, peak: 1, total: first.total }, "same socket");

    await page.click("#room");
    await countsUntil(`${tag}-a`, (c) => c.open === 0, "room a closed");
    const b = await countsUntil(`${tag}-b`, (c) => c.open === 1, "room b open");
    assert.equal(b.peak, 1);
    await page.waitFor(ready);

    await page.click("#toggle");
    await page.waitFor(() => document.querySelector("#unmounted") !== null);
    await countsUntil(`${tag}-b`, (c) => c.open === 0, "closed on unmount");

    // Mounted again with a URL the socket refuses: its error reaches the boundary.
    await page.click("#toggle");
    await page.waitFor(ready);
    await page.click("#refused");
    await page.waitFor(() => document.querySelector("#caught") !== null);
    assert.match(await textOf(page, "#caught"), /^SyntaxError: .*ftp:/);
    await countsUntil(`${tag}-b`, (c) => c.open === 0, "the socket of room b closed");
    assert.deepEqual(await page.problems(), []);
    return {
      hasWasm: await page.evaluate(() => typeof WebAssembly !== "undefined"),
      fetched: await page.evaluate(() => performance.getEntriesByType("resource").map((entry) => new URL(entry.name).pathname)),
    };
  } finally {
    await pages.close();
    await site.close();
  }
}

/**
 * The app's scenario in `engine` twice, as tests: in pages from `withWasm()`
 * and in pages from `withoutWasm()` (each resolves to pages.mjs's
 * { newPage, close }), checking which entry the hook loaded.
 */
export function reactTestsIn(engine, withWasm, withoutWasm) {
  describe(`steadysocket/react in ${engine}`, () => {
    let app;
    before(() => {
      app = buildReactApp(engine.toLowerCase());
    });
    test(`in ${engine}: under StrictMode one socket at a time, kept across renders, replaced on a new URL, closed on unmount, a refused URL at the error boundary`, { timeout: 240_000 }, async () => {
      const { hasWasm, fetched } = await strictModeEcho(await withWasm(), app.dist);
      assert.ok(hasWasm, "the page has WebAssembly");
      assert.ok(!fetched.some((path) => path.endsWith(app.noWasmChunk)), `the no-wasm chunk was not fetched: ${fetched.join(", ")}`);
    });
    test(`in ${engine} without WebAssembly: the hook runs over the no-wasm export, loaded then only`, { timeout: 240_000 }, async () => {
      const { hasWasm, fetched } = await strictModeEcho(await withoutWasm(), app.dist);
      assert.ok(!hasWasm, "the page has no WebAssembly");
      assert.ok(fetched.some((path) => path.endsWith(app.noWasmChunk)), `the no-wasm chunk was fetched: ${fetched.join(", ")}`);
    });
    test(`in ${engine} on a page whose Content-Security-Policy refuses WebAssembly: the hook runs over the no-wasm export, loaded then only`, { timeout: 240_000 }, async () => {
      const { hasWasm, fetched } = await strictModeEcho(await withWasm(), app.dist, { contentSecurityPolicy: REFUSING_WASM });
      assert.ok(hasWasm, "the engine has WebAssembly (the page's policy refuses it)");
      assert.ok(fetched.some((path) => path.endsWith(app.noWasmChunk)), `the no-wasm chunk was fetched: ${fetched.join(", ")}`);
    });
  });
}
