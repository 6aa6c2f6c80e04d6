// The same scenarios as in Node and Chromium, in WebKit (MiniBrowser under
// Xvfb, through its WebDriver): the fault matrix and the lifecycle contract
// in Safari's engine, nine of them also through the no-wasm export in a
// WebKit as Safari's Lockdown Mode leaves it; then the framework examples
// end to end.
import { frameworkChatTestsIn } from "./framework-chats.mjs";
import { webDriverPages } from "./pages.mjs";
import { CORE_HEAVY_SCENARIOS, ENGINES, noWasmScenarioTestsIn, scenarioTestsIn } from "./webdriver.mjs";

scenarioTestsIn("WebKit");
// Safari's Lockdown Mode turns off JavaScriptCore's JIT and WebAssembly. Its
// options `useWasm` and `useJIT` do the same here, read from the web
// process's environment: MiniBrowser is started through `env`, which sets
// them, and the web process inherits them. The page checks that it has no
// WebAssembly before the scenarios run; everything runs in the interpreter.
const { binary, args } = ENGINES.WebKit.capabilities["webkitgtk:browserOptions"];
noWasmScenarioTestsIn("WebKit", {
  "webkitgtk:browserOptions": { binary: "/usr/bin/env", args: ["JSC_useWasm=0", "JSC_useJIT=0", binary, ...args] },
}, CORE_HEAVY_SCENARIOS, "WebKit without WebAssembly or JIT (Lockdown Mode's)");
frameworkChatTestsIn("WebKit", () => webDriverPages("WebKit"));
