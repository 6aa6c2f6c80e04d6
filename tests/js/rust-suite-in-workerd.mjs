// Runs one of the Rust API's wasm-bindgen test suites in Cloudflare's workerd
// (the runtime of Workers, where a workers-rs app runs the crate), which
// wasm-bindgen-test-runner cannot start. The runner serves the suite's page
// without a driver of its own (NO_HEADLESS; xtask/src/served_suite.rs); this
// takes the bindings and wasm it generated from that server, serves them in
// `workerd serve` with rust-suite-workerd-worker.mjs (STEADYSOCKET_WORKERD:
// its binary) and prints the suite's report as it comes. Exits non-zero if
// the suite failed or did not finish.
//
//   STEADYSOCKET_WORKERD=…/workerd node tests/js/rust-suite-in-workerd.mjs http://127.0.0.1:PORT
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { serveInWorkerd } from "./workerd.mjs";

/** The name wasm-bindgen-test-runner gives the suite's bindings. */
const BINDINGS = "wasm-bindgen-test";
/** No suite takes this long; one that does has hung. */
const SUITE_LIMIT_MS = 600_000;

const [page] = process.argv.slice(2);
if (!page || !process.env.STEADYSOCKET_WORKERD) {
  console.error("usage: STEADYSOCKET_WORKERD=…/workerd node tests/js/rust-suite-in-workerd.mjs <suite page URL>");
  process.exit(2);
}

async function download(path) {
  const response = await fetch(new URL(path, `${page}/`));
  if (!response.ok) throw new Error(`${path} from the runner: HTTP ${response.status}`);
  return Buffer.from(await response.arrayBuffer());
}

/** The snippets the bindings import (`./snippets/<crate>-<hash>/…`), which are modules of their own. */
const snippetPaths = (bindings) => [...new Set(bindings.match(/(?<=["'])\.\/snippets\/[^"']+(?=["'])/g) ?? [])];

/** The worker's modules ([name, file, kind]), written to `dir`. */
async function modules(dir) {
  const bindings = await download(`${BINDINGS}.js`);
  const written = [
    ["worker.mjs", fileURLToPath(new URL("rust-suite-workerd-worker.mjs", import.meta.url)), "esModule"],
    ["suite.js", bindings, "esModule"],
    ["suite.wasm", await download(`${BINDINGS}_bg.wasm`), "wasm"],
  ];
  for (const path of snippetPaths(bindings.toString("utf8"))) {
    written.push([path.slice(2), await download(path), "esModule"]);
  }
  return Promise.all(
    written.map(async ([name, content, kind], index) => {
      if (typeof content === "string") return [name, content, kind];
      const file = join(dir, `download-${index}`);
      await writeFile(file, content);
      return [name, file, kind];
    }),
  );
}

const dir = await mkdtemp(join(tmpdir(), "steadysocket-rust-suite-"));
let report = "";
try {
  const worker = await serveInWorkerd(process.env.STEADYSOCKET_WORKERD, await modules(dir));
  try {
    const response = await fetch(`${worker.url}/run`, { signal: AbortSignal.timeout(SUITE_LIMIT_MS) });
    const decoder = new TextDecoder();
    for await (const chunk of response.body) {
      const text = decoder.decode(chunk, { stream: true });
      report += text;
      process.stdout.write(text);
    }
  } catch (error) {
    console.log(`the suite did not finish in workerd: ${error.message}`);
  } finally {
    await worker.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
process.exit(/test result: ok\./.test(report) ? 0 : 1);
