// The same scenarios as in Node and Chromium, in headless Firefox (through
// geckodriver): the fault matrix and the lifecycle contract in Gecko; then
// the framework examples end to end.
import { frameworkChatTestsIn } from "./framework-chats.mjs";
import { webDriverPages } from "./pages.mjs";
import { scenarioTestsIn } from "./webdriver.mjs";

scenarioTestsIn("Firefox");
frameworkChatTestsIn("Firefox", () => webDriverPages("Firefox"));
