// The same scenarios as in Node and Chromium, in headless Firefox (through
// geckodriver): the fault matrix and the lifecycle contract in Gecko.
import { scenarioTestsIn } from "./webdriver.mjs";

scenarioTestsIn("Firefox");
