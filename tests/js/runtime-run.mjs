// The package's scenarios (scenarios.mjs) in whatever runtime runs this file
// (Node 22, 24 and 26, Bun, Deno), with that runtime's own global WebSocket, or
// the `ws` package's when STEADYSOCKET_WITH_WS=1; through the package's main
// entry, or the one STEADYSOCKET_ENTRY names (no-wasm.js, in an engine
// without WebAssembly when STEADYSOCKET_NO_WASM=1). Prints TAP lines and
// `# pass N` / `# fail N`, and exits non-zero if a scenario failed.
//
//   node tests/js/runtime-run.mjs
//   bun tests/js/runtime-run.mjs
//   deno run --allow-net --allow-read --allow-env tests/js/runtime-run.mjs
//
// node:test is not used: Bun and Deno each run it their own way.

const env = globalThis.Deno ? globalThis.Deno.env.toObject() : globalThis.process.env;
const exit = (code) => (globalThis.Deno ? globalThis.Deno.exit(code) : globalThis.process.exit(code));

const peer = env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
const hang = env.STEADYSOCKET_HANG ?? "127.0.0.1:9002";
const chaos = env.STEADYSOCKET_CHAOS ?? "127.0.0.1:9003";
/** No scenario takes this long; one that does has hung. */
const SCENARIO_LIMIT_MS = 120_000;

const entry = env.STEADYSOCKET_ENTRY ?? "steadysocket.js";
const { SteadySocket, parseJson, steadysocketDiagnostics } = await import(
  new URL(`../../target/pkg/${entry}`, import.meta.url)
);
// Read before anything else here can load it: Node 22 and later load undici (1.8 MB of heap) when a
// global such as MessageEvent or WebSocket is first read, and the package's import must not be what does.
const undiciOnImport = (globalThis.process?.moduleLoadList ?? []).filter((name) => name.includes("undici"));
// Node's fetch needs WebAssembly (undici's HTTP parser): the scenarios reach the peer server through node:http.
if (env.STEADYSOCKET_NO_WASM === "1") (await import("./http-fetch.mjs")).installHttpFetch();
const { scenarios } = await import("./scenarios.mjs");
const { runScenario } = await import("./helpers.mjs");
const injected = env.STEADYSOCKET_WITH_WS === "1" ? { WebSocket: (await import("ws")).default } : {};

const names = Object.keys(scenarios);
/** Checks of the run itself, after the scenarios: [name, passed, what went wrong]. */
const checks = [[
  "importing the package loads nothing of the runtime's",
  undiciOnImport.length === 0,
  `loaded: ${undiciOnImport}`,
]];
if (env.STEADYSOCKET_NO_WASM === "1") {
  checks.push(["the scenarios ran without WebAssembly", typeof WebAssembly === "undefined", "WebAssembly is defined"]);
}
console.log("TAP version 13");
console.log(`1..${names.length + checks.length}`);
let passed = 0;
let failed = 0;
for (const [index, name] of names.entries()) {
  const context = { SteadySocket, parseJson, steadysocketDiagnostics, peer, hang, chaos, injected };
  try {
    await runScenario(scenarios[name], context, SCENARIO_LIMIT_MS);
    passed += 1;
    console.log(`ok ${index + 1} - ${name}`);
  } catch (error) {
    failed += 1;
    console.log(`not ok ${index + 1} - ${name}`);
    console.log(String(error?.stack ?? error).replace(/^/gm, "  # "));
  }
}
for (const [offset, [name, ok, wrong]] of checks.entries()) {
  const number = names.length + offset + 1;
  if (ok) {
    passed += 1;
    console.log(`ok ${number} - ${name}`);
  } else {
    failed += 1;
    console.log(`not ok ${number} - ${name}\n  # ${wrong}`);
  }
}
console.log(`# pass ${passed}`);
console.log(`# fail ${failed}`);
exit(failed === 0 ? 0 : 1);
