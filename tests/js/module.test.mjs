// How the package loads: ESM and CommonJS entries, no side effects at import,
// and a clear error where there is no WebSocket at all, or no WebAssembly.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
const packageUrl = new URL("../../target/pkg/", import.meta.url);

const packageDir = fileURLToPath(packageUrl);

function node(script, env = {}, flags = []) {
  return execFileSync(process.execPath, [...flags, "--input-type=module", "-e", script], {
    env: { ...process.env, ...env },
    encoding: "utf8",
  }).trim();
}

for (const entry of ["steadysocket.js", "no-wasm.js"]) {
  test(`importing ${entry} touches no globals and starts no timers`, () => {
    const out = node(`
      const timers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout" || r === "Immediate").length;
      const before = Object.getOwnPropertyNames(globalThis).sort().join();
      const timersBefore = timers();
      await import(${JSON.stringify(packageDir + entry)});
      const after = Object.getOwnPropertyNames(globalThis).sort().join();
      console.log(JSON.stringify({ sameGlobals: before === after, sameResources: timersBefore === timers() }));
    `);
    assert.deepEqual(JSON.parse(out), { sameGlobals: true, sameResources: true });
  });
}

for (const entry of ["steadysocket.cjs", "no-wasm.cjs"]) test(`require() gives the same class through ${entry}`, async () => {
  const require = createRequire(import.meta.url);
  const { SteadySocket } = require(packageDir + entry);
  assert.equal(typeof SteadySocket, "function");
  const socket = new SteadySocket(`ws://${peer}/echo`);
  await new Promise((resolve, reject) => {
    socket.onopen = () => socket.send("cjs");
    socket.onmessage = (event) => (event.data === "cjs" ? resolve() : reject(new Error(event.data)));
    socket.onclose = (event) => reject(new Error(`closed ${event.code}`));
  });
  socket.onclose = null;
  socket.close();
});

test("package.json maps every entry to a file that exists", async () => {
  const manifest = JSON.parse(await (await import("node:fs/promises")).readFile(packageDir + "package.json", "utf8"));
  assert.equal(manifest.sideEffects, false);
  assert.equal(manifest.name, "steadysocket");
  const { existsSync } = await import("node:fs");
  for (const file of manifest.files) assert.ok(existsSync(packageDir + file), file);
  assert.equal(manifest.exports["."].import.default, "./steadysocket.js");
  assert.equal(manifest.exports["."].require.default, "./steadysocket.cjs");
});

test("without any WebSocket the constructor says how to get one", () => {
  // Node 22 and later always have one (a socket made there would retry port 1 forever).
  if (Number(process.versions.node.split(".")[0]) >= 22) return;
  const options = (process.env.NODE_OPTIONS ?? "").replace("--experimental-websocket", "");
  const out = node(`
    const { SteadySocket } = await import(${JSON.stringify(packageDir + "steadysocket.js")});
    try { new SteadySocket("ws://127.0.0.1:1/"); console.log("no error"); }
    catch (error) { console.log(error.message); }
  `, { NODE_OPTIONS: options });
  assert.match(out, /no WebSocket constructor here.*--experimental-websocket.*WebSocket option/);
});

test("without WebAssembly the package imports and the constructor says to use the no-wasm export", () => {
  // V8 without its JIT has no WebAssembly, as React Native's Hermes and Safari in Lockdown Mode have none.
  const out = node(`
    console.log(typeof WebAssembly);
    const { SteadySocket } = await import(${JSON.stringify(packageDir + "steadysocket.js")});
    try { new SteadySocket("ws://127.0.0.1:1/"); console.log("no error"); }
    catch (error) { console.log(error.constructor.name + ": " + error.message); }
  `, {}, ["--jitless"]);
  const [kind, message] = out.split("\n").slice(-2);
  assert.equal(kind, "undefined", "node --jitless has no WebAssembly here");
  assert.match(message, /^Error: steadysocket needs WebAssembly, which this JavaScript engine lacks .*import steadysocket\/no-wasm there/);
});

test("the no-wasm export runs without WebAssembly, and where there is some, without touching it", () => {
  const script = `
    console.log(typeof WebAssembly);
    const { SteadySocket, steadysocketDiagnostics } = await import(${JSON.stringify(packageDir + "no-wasm.js")});
    const socket = new SteadySocket("ws://127.0.0.1:1/", [], { startClosed: true, WebSocket: class {} });
    console.log(socket.readyState + " " + steadysocketDiagnostics().wasmMemoryBytes);
  `;
  const jitless = node(script, {}, ["--jitless"]).split("\n").slice(-2);
  assert.deepEqual(jitless, ["undefined", "3 1179648"], "its core's memory is an ArrayBuffer of the wasm's initial size");
  // With WebAssembly there, compiling or instantiating any wasm throws: the export must not need it.
  const guarded = node(`
    for (const name of ["Module", "Instance", "compile", "instantiate"]) {
      WebAssembly[name] = () => { throw new Error("WebAssembly." + name + " was used"); };
    }
    ${script}
  `).split("\n").slice(-2);
  assert.deepEqual(guarded, ["object", "3 1179648"]);
});
