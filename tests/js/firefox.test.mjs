// The same scenarios as in Node and Chromium, in headless Firefox (through
// geckodriver): the fault matrix and the lifecycle contract in Gecko, nine
// of them also through the no-wasm export with WebAssembly turned off; then
// the framework examples end to end.
import { frameworkChatTestsIn } from "./framework-chats.mjs";
import { webDriverPages } from "./pages.mjs";
import { noWasmScenarioTestsIn, scenarioTestsIn } from "./webdriver.mjs";

scenarioTestsIn("Firefox");
// Through the no-wasm export with Firefox's pref for WebAssembly off: the
// scenarios that drive the core hardest (all of them run so in Chromium and
// Node, browser.test.mjs and runtime-run.mjs; here a choice, for the test
// command's time).
noWasmScenarioTestsIn("Firefox", { "moz:firefoxOptions": { prefs: { "javascript.options.wasm": false } } }, [
  "is a WebSocket look-alike",
  "300 connect/echo/close cycles",
  "a dropped connection reconnects",
  "a restart during a burst of 10,000 sends",
  "with acknowledgements, a restart during a burst",
  "a close that says retry-after",
  "backpressure:",
  "the heartbeat keeps a live connection",
  "random send, close, reconnect",
]);
frameworkChatTestsIn("Firefox", () => webDriverPages("Firefox"));
