// The same scenarios as in Node and Chromium, in WebKit (MiniBrowser under
// Xvfb, through its WebDriver): the fault matrix and the lifecycle contract
// in Safari's engine; then the framework examples end to end.
import { frameworkChatTestsIn } from "./framework-chats.mjs";
import { webDriverPages } from "./pages.mjs";
import { scenarioTestsIn } from "./webdriver.mjs";

scenarioTestsIn("WebKit");
frameworkChatTestsIn("WebKit", () => webDriverPages("WebKit"));
