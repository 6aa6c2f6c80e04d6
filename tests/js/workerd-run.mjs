// The package's scenarios in Cloudflare's workerd (the Workers runtime),
// through the package's "workerd" export: serves tests/js/workerd-worker.mjs
// in `workerd serve` (STEADYSOCKET_WORKERD: its binary) and asks it to run
// each scenario, one request each. Prints TAP lines and `# pass N` /
// `# fail N`, and exits non-zero if a scenario failed.
//
//   STEADYSOCKET_WORKERD=…/workerd node tests/js/workerd-run.mjs
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { serveInWorkerd } from "./workerd.mjs";

const env = process.env;
const peer = env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
const hang = env.STEADYSOCKET_HANG ?? "127.0.0.1:9002";
const chaos = env.STEADYSOCKET_CHAOS ?? "127.0.0.1:9003";
/** No scenario takes this long; one that does has hung. */
const SCENARIO_LIMIT_MS = 120_000;

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const pkg = (file) => fileURLToPath(new URL(`../../target/pkg/${file}`, import.meta.url));

/** The file the package's "workerd" export names, as a bundler resolving that condition would pick it. */
async function workerdEntry() {
  const manifest = JSON.parse(await readFile(pkg("package.json"), "utf8"));
  const entry = manifest.exports?.["."]?.workerd?.default;
  if (typeof entry !== "string") throw new Error('package.json has no exports["."].workerd.default');
  return pkg(entry);
}

/** The worker's modules: its name, the file it is, and its kind. */
const modules = async () => [
  ["worker.mjs", here("workerd-worker.mjs"), "esModule"],
  ...["scenarios.mjs", "helpers.mjs", "lifecycle-scenarios.mjs", "soak.mjs", "websocket-url.js"].map((file) => [file, here(file), "esModule"]),
  ["steadysocket", await workerdEntry(), "esModule"],
  ["core.wasm", pkg("core.wasm"), "wasm"],
];

const worker = await serveInWorkerd(env.STEADYSOCKET_WORKERD, await modules(), "/scenarios");
let failed = 0;
try {
  const names = await (await fetch(`${worker.url}/scenarios`)).json();
  console.log("TAP version 13");
  console.log(`1..${names.length}`);
  let passed = 0;
  for (const [index, name] of names.entries()) {
    const query = new URLSearchParams({ name, peer, hang, chaos });
    let result;
    try {
      const response = await fetch(`${worker.url}/run?${query}`, { signal: AbortSignal.timeout(SCENARIO_LIMIT_MS) });
      result = await response.json();
    } catch (error) {
      result = { ok: false, error: `${name}: no answer (${error.message})` };
    }
    if (result.ok) {
      passed += 1;
      console.log(`ok ${index + 1} - ${name}`);
    } else {
      failed += 1;
      console.log(`not ok ${index + 1} - ${name}`);
      console.log(String(result.error).replace(/^/gm, "  # "));
    }
  }
  console.log(`# pass ${passed}`);
  console.log(`# fail ${failed}`);
} finally {
  await worker.close();
}
process.exit(failed === 0 ? 0 : 1);
