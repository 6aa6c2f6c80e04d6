// The same scenarios as in Node and Chromium, in headless Firefox (through
// geckodriver): the fault matrix and the lifecycle contract in Gecko, nine
// of them also through the no-wasm export with WebAssembly turned off; the
// package on a page whose Content-Security-Policy refuses WebAssembly
// (csp.mjs); the React app with and without WebAssembly; then the framework examples end
// to end.
import { cspTestsIn } from "./csp.mjs";
import { frameworkChatTestsIn } from "./framework-chats.mjs";
import { webDriverPages } from "./pages.mjs";
import { reactTestsIn } from "./react-app.mjs";
import { CORE_HEAVY_SCENARIOS } from "./scenarios.mjs";
import { ENGINES, noWasmScenarioTestsIn, scenarioTestsIn } from "./webdriver.mjs";

scenarioTestsIn("Firefox");
noWasmScenarioTestsIn("Firefox", CORE_HEAVY_SCENARIOS);
cspTestsIn("Firefox", () => webDriverPages("Firefox"));
reactTestsIn("Firefox", () => webDriverPages("Firefox"), () => webDriverPages("Firefox", ENGINES.Firefox.withoutWasm));
frameworkChatTestsIn("Firefox", () => webDriverPages("Firefox"));
