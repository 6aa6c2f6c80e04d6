// The package's scenarios in Cloudflare's workerd (the Workers runtime),
// through the package's "workerd" export: serves tests/js/workerd-worker.mjs
// in `workerd serve` (STEADYSOCKET_WORKERD: its binary) and asks it to run
// each scenario, one request each. Prints TAP lines and `# pass N` /
// `# fail N`, and exits non-zero if a scenario failed.
//
//   STEADYSOCKET_WORKERD=…/workerd node tests/js/workerd-run.mjs
import { spawn } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const env = process.env;
const peer = env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
const hang = env.STEADYSOCKET_HANG ?? "127.0.0.1:9002";
const chaos = env.STEADYSOCKET_CHAOS ?? "127.0.0.1:9003";
const workerd = env.STEADYSOCKET_WORKERD;
if (!workerd) throw new Error("STEADYSOCKET_WORKERD must name the workerd binary");
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

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });

/** The worker's modules: its name, the file it is, and its kind. */
const modules = async () => [
  ["worker.mjs", here("workerd-worker.mjs"), "esModule"],
  ...["scenarios.mjs", "helpers.mjs", "lifecycle-scenarios.mjs", "soak.mjs"].map((file) => [file, here(file), "esModule"]),
  ["steadysocket", await workerdEntry(), "esModule"],
  ["core.wasm", pkg("core.wasm"), "wasm"],
];

/**
 * workerd's configuration in `dir`, with a copy of each module beside it
 * (workerd embeds files from the configuration's folder only); outbound
 * connections to this machine allowed.
 */
async function writeConfig(dir, port) {
  const entries = [];
  for (const [name, file, kind] of await modules()) {
    const copy = `module-${entries.length}`;
    await copyFile(file, join(dir, copy));
    entries.push(`(name = ${JSON.stringify(name)}, ${kind} = embed ${JSON.stringify(copy)})`);
  }
  const path = join(dir, "config.capnp");
  await writeFile(path, `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    ${entries.join(",\n    ")}
  ],
  compatibilityDate = "2026-11-01",
);
`);
  return path;
}

async function started(base, child) {
  const exited = new Promise((_, reject) => child.once("exit", (code) => reject(new Error(`workerd exited (${code})`))));
  for (let i = 0; i < 100; i++) {
    try {
      const response = await Promise.race([fetch(`${base}/scenarios`), exited]);
      return await response.json();
    } catch (error) {
      if (error.message.startsWith("workerd exited")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error("workerd did not answer within 10 s");
}

const dir = await mkdtemp(join(tmpdir(), "steadysocket-workerd-"));
const port = await freePort();
const configPath = await writeConfig(dir, port);
const child = spawn(workerd, ["serve", configPath], { stdio: ["ignore", "inherit", "inherit"] });
let failed = 0;
try {
  const base = `http://127.0.0.1:${port}`;
  const names = await started(base, child);
  console.log("TAP version 13");
  console.log(`1..${names.length}`);
  let passed = 0;
  for (const [index, name] of names.entries()) {
    const query = new URLSearchParams({ name, peer, hang, chaos });
    let result;
    try {
      const response = await fetch(`${base}/run?${query}`, { signal: AbortSignal.timeout(SCENARIO_LIMIT_MS) });
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
  child.kill();
  await rm(dir, { recursive: true, force: true });
}
process.exit(failed === 0 ? 0 : 1);
