// The same scenarios as in Node and Chromium, in WebKit (MiniBrowser under
// Xvfb, through its WebDriver): the fault matrix and the lifecycle contract
// in Safari's engine.
import { scenarioTestsIn } from "./webdriver.mjs";

scenarioTestsIn("WebKit");
