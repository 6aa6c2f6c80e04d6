// The same scenarios as in Node and Chromium, in WebKit (MiniBrowser under
// Xvfb, through its WebDriver): the fault matrix and the lifecycle contract
// in Safari's engine, nine of them also through the no-wasm export in a
// WebKit as Safari's Lockdown Mode leaves it (no WebAssembly, no JIT); the
// package on a page whose Content-Security-Policy refuses WebAssembly
// (csp.mjs); a page kept in the back/forward cache, whose socket WebKit
// closes on the way in (back-forward-cache.mjs); the React app with and
// without WebAssembly; then the framework examples end to end.
import { backForwardCacheTestsIn } from "./back-forward-cache.mjs";
import { cspTestsIn } from "./csp.mjs";
import { frameworkChatTestsIn } from "./framework-chats.mjs";
import { webDriverPages } from "./pages.mjs";
import { reactTestsIn } from "./react-app.mjs";
import { CORE_HEAVY_SCENARIOS } from "./scenarios.mjs";
import { ENGINES, noWasmScenarioTestsIn, scenarioTestsIn } from "./webdriver.mjs";

scenarioTestsIn("WebKit");
noWasmScenarioTestsIn("WebKit", CORE_HEAVY_SCENARIOS, "WebKit without WebAssembly or JIT (Lockdown Mode's)");
backForwardCacheTestsIn("WebKit", () => webDriverPages("WebKit"), { closesSocketsGoingIn: true });
cspTestsIn("WebKit", () => webDriverPages("WebKit"));
reactTestsIn("WebKit", () => webDriverPages("WebKit"), () => webDriverPages("WebKit", ENGINES.WebKit.withoutWasm));
frameworkChatTestsIn("WebKit", () => webDriverPages("WebKit"), { backForwardCache: true });
