// Pages driven the same way in every engine, for the end-to-end tests of the
// framework examples: Chromium through Playwright, Firefox and WebKit through
// their W3C WebDriver (one session, a window a page). A page:
//
//   goto(url)                 navigate
//   back()                    go back in the page's history
//   submit(selector, text)    type `text` into a field and press Enter
//   click(selector)           click an element
//   evaluate(fn, arg)         the value of `fn(arg)` in the page
//   waitFor(fn, arg, ms)      resolves once `fn(arg)` is truthy in the page
//   screenshot(path)          a PNG of the page
//   problems()                uncaught errors and console errors so far
import { writeFileSync } from "node:fs";
import { launch, strictPage } from "./chromium.mjs";
import { waitInPage, webDriverSession } from "./webdriver.mjs";

/**
 * Records a page's uncaught errors, unhandled rejections and console errors
 * in `window.pageProblems`, before its own scripts run: what Playwright
 * reports as page errors, for engines driven through WebDriver (which has no
 * log of them). The static server puts it first in each HTML page's head.
 */
export const PROBLEM_RECORDER = `<script>
window.pageProblems = [];
addEventListener("error", (event) => pageProblems.push("page error: " + event.message));
addEventListener("unhandledrejection", (event) => pageProblems.push("unhandled rejection: " + event.reason));
const consoleError = console.error;
console.error = (...args) => { pageProblems.push("console error: " + args.join(" ")); consoleError.apply(console, args); };
</script>`;

/** Pages in a fresh headless Chromium launched with `options` (chromium.mjs's `launch`): { newPage(), close() }. */
export async function chromiumPages(options = {}) {
  const browser = await launch(options);
  // Chromium logs each refused handshake itself while a server is down: the
  // platform's network log, not the page's error.
  const ownProblems = (problems) => problems.filter((p) => !/WebSocket connection to .* failed/.test(p));
  return {
    async newPage() {
      const { page, problems } = await strictPage(browser);
      return {
        goto: (url) => page.goto(url),
        // A page shown from the back/forward cache fires no `load`.
        back: () => page.goBack({ waitUntil: "commit" }),
        async submit(selector, text) {
          await page.fill(selector, text);
          await page.press(selector, "Enter");
        },
        click: (selector) => page.click(selector),
        evaluate: (fn, arg) => page.evaluate(fn, arg),
        waitFor: (fn, arg, ms) => page.waitForFunction(fn, arg, { timeout: ms, polling: 50 }),
        screenshot: (path) => page.screenshot({ path }),
        problems: async () => ownProblems(problems),
      };
    },
    close: () => browser.close(),
  };
}

/**
 * Pages in `engine` (a key of webdriver.mjs's ENGINES), its capabilities
 * merged with `extra`, each a window of one session: a driver runs one
 * session at a time. Every call switches to its page's window first. Pages
 * must be served with PROBLEM_RECORDER.
 */
export async function webDriverPages(engine, extra = {}) {
  const session = await webDriverSession(engine, extra);
  let current = await session.call("GET", "/window");
  let firstUnused = true;
  const inWindow = async (handle) => {
    if (handle !== current) await session.call("POST", "/window", { handle });
    current = handle;
  };
  const element = async (selector) => {
    const found = await session.call("POST", "/element", { using: "css selector", value: selector });
    return Object.values(found)[0];
  };
  return {
    async newPage() {
      const handle = firstUnused ? current : (await session.call("POST", "/window/new", { type: "window" })).handle;
      firstUnused = false;
      const page = {
        async goto(url) {
          await inWindow(handle);
          await session.goto(url);
        },
        async back() {
          await inWindow(handle);
          await session.call("POST", "/back", {});
        },
        async submit(selector, text) {
          await inWindow(handle);
          const field = await element(selector);
          await session.call("POST", `/element/${field}/clear`, {});
          await session.call("POST", `/element/${field}/value`, { text: `${text}\uE007` });
        },
        async click(selector) {
          await inWindow(handle);
          await session.call("POST", `/element/${await element(selector)}/click`, {});
        },
        async evaluate(fn, arg) {
          await inWindow(handle);
          return session.evaluate(`return (${fn})(arguments[0]);`, [arg]);
        },
        async waitFor(fn, arg, ms) {
          await inWindow(handle);
          await waitInPage(session, `return (${fn})(${JSON.stringify(arg) ?? "undefined"});`, ms);
        },
        async screenshot(path) {
          await inWindow(handle);
          writeFileSync(path, Buffer.from(await session.call("GET", "/screenshot"), "base64"));
        },
        problems: () => page.evaluate(() => window.pageProblems ?? ["the page's problems were not recorded"]),
      };
      return page;
    },
    close: () => session.close(),
  };
}
