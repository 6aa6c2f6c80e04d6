// The same scenarios as in Node and Chromium, run in WebKit (MiniBrowser
// under Xvfb, through its WebDriver: tests/js/webkit.mjs) against the peer
// server: the fault matrix and the lifecycle contract in Safari's engine.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { scenarios } from "./scenarios.mjs";
import { serve } from "./static-server.mjs";
import { waitInPage, webkitSession } from "./webkit.mjs";

const driver = process.env.STEADYSOCKET_WEBKIT_DRIVER;
const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
const hang = process.env.STEADYSOCKET_HANG ?? "127.0.0.1:9002";
const chaos = process.env.STEADYSOCKET_CHAOS ?? "127.0.0.1:9003";
/** WebKitGTK 2.50 fails a connection whose close frame carries 1012, 1013 or 1014 (error, 1006). */
const WEBKIT_QUIRKS = { failsOnCloseCode1012: true };
let server;
let session;

before(async () => {
  assert.ok(driver, "STEADYSOCKET_WEBKIT_DRIVER names a running WebKitWebDriver (cargo xtask test starts one)");
  server = await serve({
    "/pkg/": fileURLToPath(new URL("../../target/pkg/", import.meta.url)),
    "/js/": fileURLToPath(new URL("./", import.meta.url)),
  });
  session = await webkitSession(driver);
  await session.goto(`${server.url}/js/browser.html`);
  await waitInPage(session, "return window.scenariosReady === true");
});

after(async () => {
  await session?.close();
  await server?.close();
});

for (const name of Object.keys(scenarios)) {
  test(`in WebKit: ${name}`, async () => {
    const result = await session.evaluateAsync(
      "const [name, peer, hang, chaos, quirks, done] = arguments; window.runScenario(name, peer, hang, chaos, quirks).then(done);",
      [name, peer, hang, chaos, WEBKIT_QUIRKS],
    );
    assert.equal(result, "ok");
  });
}
