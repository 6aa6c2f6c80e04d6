// `npm pack` of the package, installed in a fresh Worker project
// (tests/workers-app) and bundled by wrangler as `wrangler deploy` bundles a
// Worker: it resolves the package's "workerd" export and carries core.wasm as
// a wasm module beside the script. That bundle, served in workerd, echoes
// through the peer server.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { installPacked, run } from "./packed.mjs";
import { serveInWorkerd } from "./workerd.mjs";

const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
// wrangler 4.100 and later need Node 22.12 or later: the test command names its Node 26.
const wranglerNode = process.env.STEADYSOCKET_WRANGLER_NODE ?? process.execPath;
const npmDir = fileURLToPath(new URL("../../target/npm-workers/", import.meta.url));
const appDir = fileURLToPath(new URL("../workers-app/", import.meta.url));

test("the packed package bundles with wrangler for a Worker and works in workerd", { timeout: 300_000 }, async () => {
  installPacked(npmDir, appDir);
  rmSync(appDir + "dist", { recursive: true, force: true });
  // No account, no upload: the bundle only. No telemetry or update check either.
  const quiet = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false", WRANGLER_LOG: "warn" };
  run(wranglerNode, [appDir + "node_modules/wrangler/bin/wrangler.js", "deploy", "--dry-run", "--outdir", "dist"], appDir, quiet);
  const bundled = readdirSync(appDir + "dist");
  const wasm = bundled.filter((file) => file.endsWith(".wasm"));
  assert.equal(wasm.length, 1, `one wasm module beside the script: ${bundled}`);
  assert.match(wasm[0], /core\.wasm$/, "the package's core");
  const worker = await serveInWorkerd(process.env.STEADYSOCKET_WORKERD, [
    ["index.js", appDir + "dist/index.js", "esModule"],
    [wasm[0], appDir + "dist/" + wasm[0], "wasm"],
  ]);
  try {
    const response = await fetch(`${worker.url}/?peer=${peer}`);
    assert.equal(await response.text(), "echo: through wrangler");
  } finally {
    await worker.close();
  }
});
