// `steadysocket/react` from the packed package: a React 19 app built by Vite
// (development build, so StrictMode mounts twice) in headless Chromium, with
// the peer server counting connections, once with WebAssembly and once
// without (where the hook loads the no-wasm export, a chunk of its own that
// a page with WebAssembly never fetches); the CommonJS hook in Node without
// WebAssembly; and a server render in Node that must not touch WebSocket.
import { before, test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { WITHOUT_WASM, launch, strictPage } from "./chromium.mjs";
import { counts, sleep, uniqueTag } from "./helpers.mjs";
import { installPacked, run } from "./packed.mjs";
import { serve } from "./static-server.mjs";

const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
const npmDir = fileURLToPath(new URL("../../target/npm-react/", import.meta.url));
const appDir = fileURLToPath(new URL("../react-app/", import.meta.url));

/** Polls the server's counts for `tag` until `wanted` holds them. */
async function countsUntil(tag, wanted, what) {
  for (let tries = 0; ; tries += 1) {
    const now = await counts(peer, tag);
    if (wanted(now)) return now;
    assert.ok(tries < 100, `${what}: ${JSON.stringify(now)} after 5 s`);
    await sleep(50);
  }
}

/** The app's chunk that holds the no-wasm export (Vite names it after the module). */
let noWasmChunk;

before(() => {
  installPacked(npmDir, appDir);
  // A development build: StrictMode mounts every component twice.
  run(process.execPath, [appDir + "node_modules/vite/bin/vite.js", "build", "--logLevel", "error"], appDir, {
    ...process.env,
    NODE_ENV: "development",
  });
  const chunks = readdirSync(appDir + "dist/assets").filter((file) => file.startsWith("no-wasm") && file.endsWith(".js"));
  assert.equal(chunks.length, 1, `one chunk of the no-wasm export in dist/assets: ${chunks}`);
  noWasmChunk = chunks[0];
});

/**
 * The app in a Chromium launched with `args`: one socket at a time under
 * StrictMode, kept across renders, replaced on a new URL, closed on unmount;
 * a URL the socket refuses reaches an error boundary.
 * Returns whether the page had WebAssembly and the paths it fetched.
 */
async function strictModeEcho(args) {
  const site = await serve({ "/": appDir + "dist" });
  const browser = await launch({ args });
  try {
    const { page, problems } = await strictPage(browser);
    const fetched = [];
    page.on("request", (request) => fetched.push(new URL(request.url()).pathname));
    const tag = uniqueTag("react");
    await page.goto(`${site.url}?peer=${peer}&tag=${tag}`);
    await page.waitForSelector('#ready[data-ready="1"]');
    assert.equal(await page.evaluate(() => window.appMounts), 2, "StrictMode mounted the app twice");
    const first = await countsUntil(`${tag}-a`, (c) => c.open === 1, "room a open");
    assert.equal(first.peak, 1, "never two sockets at once");

    await page.click("#send");
    await page.waitForFunction(() => document.querySelector("#last").textContent === "hello");
    assert.equal(await page.textContent("#seen"), "1", "onMessage saw the message once");
    await page.click("#send"); // re-renders keep the socket
    await page.waitForFunction(() => document.querySelector("#seen").textContent === "2");
    assert.deepEqual(await counts(peer, `${tag}-a`), { open: 1, peak: 1, total: first.total }, "same socket");

    await page.click("#room");
    await countsUntil(`${tag}-a`, (c) => c.open === 0, "room a closed");
    const b = await countsUntil(`${tag}-b`, (c) => c.open === 1, "room b open");
    assert.equal(b.peak, 1);
    await page.waitForSelector('#ready[data-ready="1"]');

    await page.click("#toggle");
    await page.waitForSelector("#unmounted");
    await countsUntil(`${tag}-b`, (c) => c.open === 0, "closed on unmount");

    // Mounted again with a URL the socket refuses: its error reaches the boundary.
    await page.click("#toggle");
    await page.waitForSelector('#ready[data-ready="1"]');
    await page.click("#refused");
    await page.waitForSelector("#caught");
    assert.match(await page.textContent("#caught"), /^SyntaxError: .*ftp:/);
    await countsUntil(`${tag}-b`, (c) => c.open === 0, "the socket of room b closed");
    assert.deepEqual(problems, []);
    return { hasWasm: await page.evaluate(() => typeof WebAssembly !== "undefined"), fetched };
  } finally {
    await browser.close();
    await site.close();
  }
}

test("under StrictMode one socket at a time, kept across renders, replaced on a new URL, closed on unmount, a refused URL at the error boundary", { timeout: 240_000 }, async () => {
  const { hasWasm, fetched } = await strictModeEcho([]);
  assert.ok(hasWasm, "the page has WebAssembly");
  assert.ok(!fetched.some((path) => path.endsWith(noWasmChunk)), `the no-wasm chunk was not fetched: ${fetched.join(", ")}`);
});

test("without WebAssembly the hook runs over the no-wasm export, loaded then only", { timeout: 240_000 }, async () => {
  const { hasWasm, fetched } = await strictModeEcho(WITHOUT_WASM);
  assert.ok(!hasWasm, "the page has no WebAssembly");
  assert.ok(fetched.some((path) => path.endsWith(noWasmChunk)), `the no-wasm chunk was fetched: ${fetched.join(", ")}`);
});

test("CommonJS without WebAssembly (node --jitless): the hook runs over no-wasm.cjs, echoes and closes on unmount", () => {
  // Node's own WebSocket needs WebAssembly (undici parses HTTP with it), so the `ws` package's.
  const out = run(process.execPath, ["--jitless", appDir + "commonjs-without-wasm.cjs", `ws://${peer}/echo`], appDir, {
    ...process.env,
    NODE_OPTIONS: "",
  });
  assert.deepEqual(JSON.parse(out.trim().split("\n").pop()), { webAssembly: "undefined", messages: ["hello"], readyState: 3 });
});

test("a server render touches no WebSocket, through ESM and CommonJS", async () => {
  const real = globalThis.WebSocket;
  globalThis.WebSocket = class {
    constructor() {
      throw new Error("a server render made a WebSocket");
    }
  };
  try {
    const fromApp = createRequire(appDir + "package.json");
    const { renderToString } = fromApp("react-dom/server");
    const { createElement } = fromApp("react");
    const { Echo } = await import(appDir + "echo.js");
    const html = renderToString(createElement(Echo, { url: `ws://${peer}/echo` }));
    assert.match(html, /readyState 3 closed/);
    const cjs = fromApp("steadysocket/react");
    assert.equal(typeof cjs.useSteadySocket, "function", "require('steadysocket/react')");
    const html2 = renderToString(
      createElement(function Cjs() {
        const { readyState, socket } = cjs.useSteadySocket(`ws://${peer}/echo`);
        return createElement("p", null, `${readyState} ${socket}`);
      }),
    );
    assert.match(html2, /3 null/);
  } finally {
    globalThis.WebSocket = real;
  }
});
