// One of the Rust API's wasm-bindgen test suites inside Cloudflare's workerd:
// the worker that tests/js/rust-suite-in-workerd.mjs serves, beside the
// suite's bindings (wasm-bindgen's web target, as wasm-bindgen-test-runner
// generates them) as the module "suite.js" and its wasm as "suite.wasm".
// `GET /` answers at once (the server is up); `GET /run` runs every test of
// the suite in that one request (workerd binds a socket to the request that
// made it) and streams libtest's lines as the harness prints them, ending
// with "test result: …".
import suite from "suite.wasm";
import * as bindings from "suite.js";

const CONSOLE_METHODS = ["debug", "log", "info", "warn", "error"];

/** The suite's tests: the wasm's exports that wasm-bindgen-test names `__wbgt_<modifiers>_<crate>::<test>`, as its runner picks them. */
const testExports = () =>
  WebAssembly.Module.exports(suite)
    .map(({ name }) => name)
    .filter((name) => name.startsWith("__wbgt_") && name.includes("::"));

/**
 * Runs the suite, giving each line of the harness's report to `writeLine`.
 * What the tests print to the console goes to the harness, which reports it
 * under a failed test, as its Node runner does.
 */
async function runSuite(writeLine) {
  // The harness prints through this global where it sees a worker's global
  // scope (workerd's is a ServiceWorkerGlobalScope), and invokes each test
  // through the other.
  globalThis.__wbg_test_output_writeln = (line) => writeLine(String(line));
  globalThis.__wbg_test_invoke = (test) => test();
  const captured = {};
  for (const method of CONSOLE_METHODS) {
    console[method] = (...args) => captured[method]?.(args);
  }
  const exports = bindings.initSync({ module: suite });
  for (const method of CONSOLE_METHODS) captured[method] = bindings[`__wbgtest_console_${method}`];
  const context = new bindings.WasmBindgenTestContext(false);
  return context.run(testExports().map((name) => exports[name]));
}

export default {
  async fetch(request) {
    if (new URL(request.url).pathname !== "/run") return new Response("ready");
    const { readable, writable } = new TransformStream();
    const writer = writable.getWriter();
    const encoder = new TextEncoder();
    const writeLine = (line) => writer.write(encoder.encode(`${line}\n`));
    runSuite(writeLine)
      .catch((error) => writeLine(`the suite did not run: ${error?.stack ?? error}`))
      .finally(() => writer.close());
    return new Response(readable, { headers: { "content-type": "text/plain; charset=utf-8" } });
  },
};
