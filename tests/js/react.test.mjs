// `steadysocket/react` from the packed package: the React app's page in
// headless Chromium with and without WebAssembly (react-app.mjs; Firefox and
// WebKit run it in their test files); the CommonJS hook in Node without
// WebAssembly; and a server render in Node that must not touch WebSocket.
import { before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { WITHOUT_WASM } from "./chromium.mjs";
import { chromiumPages } from "./pages.mjs";
import { appDir, installReactApp, reactTestsIn } from "./react-app.mjs";
import { run } from "./packed.mjs";

const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";

reactTestsIn("Chromium", () => chromiumPages(), () => chromiumPages({ args: WITHOUT_WASM }));

describe("steadysocket/react in Node", () => {
  before(installReactApp);

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
});
