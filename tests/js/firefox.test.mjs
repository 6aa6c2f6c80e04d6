// The same scenarios as in Node and Chromium, in headless Firefox (through
// geckodriver): the fault matrix and the lifecycle contract in Gecko, also
// through the no-wasm export with WebAssembly turned off; then the
// framework examples end to end.
import { frameworkChatTestsIn } from "./framework-chats.mjs";
import { webDriverPages } from "./pages.mjs";
import { noWasmScenarioTestsIn, scenarioTestsIn } from "./webdriver.mjs";

scenarioTestsIn("Firefox");
// The pref hardened Firefox setups turn off.
noWasmScenarioTestsIn("Firefox", { "moz:firefoxOptions": { prefs: { "javascript.options.wasm": false } } });
frameworkChatTestsIn("Firefox", () => webDriverPages("Firefox"));
