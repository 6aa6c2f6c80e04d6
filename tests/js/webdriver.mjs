// Browsers through their W3C WebDriver, for the engines playwright-core
// cannot drive here: WebKit (WebKitGTK's MiniBrowser under Xvfb) and Firefox
// (geckodriver). A session is a handful of HTTP calls. `cargo xtask test`
// starts the drivers and names them in STEADYSOCKET_WEBKIT_DRIVER and
// STEADYSOCKET_GECKO_DRIVER (http://127.0.0.1:P).
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { SHARED_WORKER_SCENARIOS, scenarios, scenariosStartingWith } from "./scenarios.mjs";
import { serveScenarioPage } from "./static-server.mjs";

/** WebKitGTK's browser for automation (Debian's webkit2gtk-driver brings it). */
const MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/** What each engine's driver needs to start it, and to start it without WebAssembly. */
export const ENGINES = {
  WebKit: {
    driver: "STEADYSOCKET_WEBKIT_DRIVER",
    capabilities: {
      "webkitgtk:browserOptions": {
        binary: MINIBROWSER,
        args: ["--automation"],
      },
    },
    // Safari's Lockdown Mode turns off JavaScriptCore's JIT and WebAssembly.
    // Its options `useWasm` and `useJIT` do the same here, read from the web
    // process's environment: MiniBrowser is started through `env`, which
    // sets them, and the web process inherits them (the page then has no
    // `WebAssembly`, and a loop runs 17 times slower, in the interpreter).
    withoutWasm: {
      "webkitgtk:browserOptions": {
        binary: "/usr/bin/env",
        args: ["JSC_useWasm=0", "JSC_useJIT=0", MINIBROWSER, "--automation"],
      },
    },
    // WebKitGTK 2.50 fails a connection whose close frame carries 1012, 1013
    // or 1014 (error, 1006): no client can undo it.
    quirks: { failsOnCloseCode1012: true },
  },
  Firefox: {
    driver: "STEADYSOCKET_GECKO_DRIVER",
    capabilities: { browserName: "firefox", "moz:firefoxOptions": { args: ["-headless"] } },
    withoutWasm: { "moz:firefoxOptions": { prefs: { "javascript.options.wasm": false } } },
    // Firefox keeps the TCP connection of an abandoned handshake open until
    // its own handshake gives up (the socket is reported closed at once).
    // It also holds a new connection to a host whose connections failed
    // lately (its own delay, RFC 6455 7.2.3): after the soak's faults, an
    // attempt it held past the connect timeout fails and the next one opens.
    quirks: { keepsAbandonedHandshakes: true, holdsConnectionsAfterFailures: true },
  },
};

/** A session of `engine` (a key of ENGINES), its capabilities merged with `extra`: goto, evaluate, close. */
export async function webDriverSession(engine, extra = {}) {
  const { driver: variable } = ENGINES[engine];
  const capabilities = merged(ENGINES[engine].capabilities, extra);
  const driver = process.env[variable];
  assert.ok(driver, `${variable} names a running ${engine} WebDriver (cargo xtask test starts one)`);
  const request = async (method, path, body) => {
    const response = await fetch(`${driver}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const { value } = await response.json();
    if (value?.error) throw new Error(`${engine} WebDriver ${method} ${path}: ${value.error}: ${value.message}`);
    return value;
  };
  const { sessionId } = await request("POST", "/session", { capabilities: { alwaysMatch: capabilities } });
  const call = (method, path, body) => request(method, `/session/${sessionId}${path}`, body);
  await call("POST", "/timeouts", { script: 600_000, pageLoad: 60_000 });
  return {
    /** A WebDriver command of this session: `path` after /session/{id}. */
    call,
    goto: (url) => call("POST", "/url", { url }),
    /** The value of `script` (a function body; `arguments` are `args`). */
    evaluate: (script, args = []) => call("POST", "/execute/sync", { script, args }),
    /** The value `script` passes to its last argument, a callback. */
    evaluateAsync: (script, args = []) => call("POST", "/execute/async", { script, args }),
    close: () => request("DELETE", `/session/${sessionId}`),
  };
}

/** `base` with `extra`'s fields, objects merged field by field. */
function merged(base, extra) {
  const result = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const isObject = typeof value === "object" && value !== null && !Array.isArray(value);
    result[key] = isObject && typeof base[key] === "object" ? merged(base[key], value) : value;
  }
  return result;
}

/** Resolves once `condition` (a function body) is true in the page, or throws after `ms`. */
export async function waitInPage(session, condition, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await session.evaluate(condition))) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * The package's scenarios (scenarios.mjs) as node:test tests in `engine`,
 * on the page the Chromium run uses (browser.html), against the peer server.
 */
export function scenarioTestsIn(engine) {
  // In a page, then in a dedicated worker (browser-worker.mjs), which has no
  // `window` or `document` and hears its network signals on its own scope,
  // then some in a shared worker (the same module), which pages use to share
  // one socket between tabs.
  // Each in a session of its own: Firefox delays a new connection to a host
  // that refused the last ones (longer with each), so the page's refused
  // connections would slow the worker's past the scenarios' deadlines.
  scenarioSuite(engine, engine, "runScenario");
  scenarioSuite(`a ${engine} worker`, engine, "runScenarioInWorker");
  scenarioSuite(`a ${engine} shared worker`, engine, "runScenarioInSharedWorker", {
    names: scenariosStartingWith(SHARED_WORKER_SCENARIOS),
  });
}

/**
 * The scenarios whose names start with one of `chosen` through the package's
 * no-wasm export in a page of `engine` started without WebAssembly (its
 * ENGINES entry's `withoutWasm`): the page checks it has none before they
 * run. The tests are named after `place`.
 */
export function noWasmScenarioTestsIn(engine, chosen, place = `${engine} without WebAssembly`) {
  scenarioSuite(place, engine, "runScenario", {
    capabilities: ENGINES[engine].withoutWasm,
    query: "?entry=no-wasm.js",
    ready: "return window.scenariosReady === true && typeof WebAssembly === 'undefined'",
    names: scenariosStartingWith(chosen),
  });
}

/** The scenarios (`names`, else all) as tests named `in ${place}: …`, run by the page's function `run` in a session of `engine`. */
function scenarioSuite(place, engine, run, {
  capabilities = {}, query = "", ready = "return window.scenariosReady === true", names = Object.keys(scenarios),
} = {}) {
  const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
  const hang = process.env.STEADYSOCKET_HANG ?? "127.0.0.1:9002";
  const chaos = process.env.STEADYSOCKET_CHAOS ?? "127.0.0.1:9003";
  describe(`in ${place}`, () => {
    let server;
    let session;
    before(async () => {
      server = await serveScenarioPage();
      session = await webDriverSession(engine, capabilities);
      await session.goto(`${server.url}/js/browser.html${query}`);
      await waitInPage(session, ready);
    });
    after(async () => {
      await session?.close();
      await server?.close();
    });
    for (const name of names) {
      test(`in ${place}: ${name}`, async () => {
        const result = await session.evaluateAsync(
          `const [name, peer, hang, chaos, quirks, done] = arguments; window.${run}(name, peer, hang, chaos, quirks).then(done);`,
          [name, peer, hang, chaos, ENGINES[engine].quirks],
        );
        assert.equal(result, "ok");
      });
    }
  });
}
