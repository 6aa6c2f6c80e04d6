// `npm pack` of the package, installed in a fresh Vite project, built, and
// opened in headless Chromium; also required and imported by name in Node.
import { test } from "node:test";
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { launch, strictPage } from "./chromium.mjs";
import { installPacked, run } from "./packed.mjs";
import { serve } from "./static-server.mjs";

const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
const npmDir = fileURLToPath(new URL("../../target/npm/", import.meta.url));
const appDir = fileURLToPath(new URL("../vite-app/", import.meta.url));

test("the packed package installs in a fresh project, builds with Vite and works in Chromium", { timeout: 240_000 }, async () => {
  installPacked(npmDir, appDir);

  // By name from Node, through the exports map: ESM and CommonJS, the main entry and no-wasm.
  const kinds = run(process.execPath, ["--input-type=module", "-e", `
    import { createRequire } from "node:module";
    const require = createRequire(process.cwd() + "/");
    const kinds = [];
    for (const name of ["steadysocket", "steadysocket/no-wasm"]) {
      const [esm, cjs] = [await import(name), require(name)];
      kinds.push(typeof esm.SteadySocket, typeof cjs.SteadySocket);
    }
    console.log(kinds.join(" "));
  `], appDir).trim();
  assert.equal(kinds, "function function function function");

  rmSync(appDir + "dist", { recursive: true, force: true });
  run(process.execPath, [appDir + "node_modules/vite/bin/vite.js", "build", "--logLevel", "warn"], appDir);
  const server = await serve({ "/": appDir + "dist/" });
  const browser = await launch();
  try {
    const { page, problems } = await strictPage(browser);
    await page.goto(`${server.url}/?peer=${peer}`);
    await page.waitForFunction(() => document.getElementById("status").textContent.startsWith("echo"), null, { timeout: 15_000 });
    assert.equal(await page.textContent("#status"), "echo: through vite");
    assert.deepEqual(problems, []);
  } finally {
    await browser.close();
    await server.close();
  }
});
