// The same scenarios as in Node and Chromium, in headless Firefox (through
// geckodriver): the fault matrix and the lifecycle contract in Gecko, nine
// of them also through the no-wasm export with WebAssembly turned off; then
// the framework examples end to end.
import { frameworkChatTestsIn } from "./framework-chats.mjs";
import { webDriverPages } from "./pages.mjs";
import { CORE_HEAVY_SCENARIOS, noWasmScenarioTestsIn, scenarioTestsIn } from "./webdriver.mjs";

scenarioTestsIn("Firefox");
// Through the no-wasm export with Firefox's pref for WebAssembly off.
noWasmScenarioTestsIn("Firefox", { "moz:firefoxOptions": { prefs: { "javascript.options.wasm": false } } }, CORE_HEAVY_SCENARIOS);
frameworkChatTestsIn("Firefox", () => webDriverPages("Firefox"));
