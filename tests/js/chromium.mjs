// Debian's Chromium, headless, through playwright-core (no browser download),
// or with nothing attached to it (`openUnattached`).
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const EXECUTABLE = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-dev-shm-usage",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** What leaves a Chromium no WebAssembly: V8 without its JIT. */
export const WITHOUT_WASM = ["--js-flags=--jitless"];

/**
 * A headless Chromium with `args`; with `backForwardCache`, the cache that
 * Playwright turns off by default is left on, as in a user's browser.
 */
export async function launch({ args = [], backForwardCache = false } = {}) {
  const ignoreDefaultArgs = backForwardCache ? ["--disable-back-forward-cache"] : [];
  return chromium.launch({ executablePath: EXECUTABLE, args: [...ARGS, ...args], ignoreDefaultArgs });
}

/**
 * Headless Chromium showing `url` with no DevTools client attached, as a
 * user's browser runs it: Playwright's session reports every WebSocket frame
 * to itself, which made a pipelined echo in the page 2-4x slower (all
 * processes busier). The page reports back by itself (a POST to its server).
 * Resolves to `close()`, which ends the browser and removes its profile,
 * and `profile`, the browser's profile folder. `args` are passed on to the
 * browser (bench/profile.mjs asks for a DevTools port, which it uses for the
 * profiler alone).
 */
export async function openUnattached(url, { args = [] } = {}) {
  const profile = await mkdtemp(join(tmpdir(), "steadysocket-chromium-"));
  const browser = spawn(EXECUTABLE, ["--headless", ...ARGS, ...args, `--user-data-dir=${profile}`, url], { stdio: "ignore" });
  const exited = new Promise((resolve) => browser.once("exit", resolve));
  return {
    profile,
    async close() {
      browser.kill();
      await exited;
      // Its helper processes may still be writing the profile for a moment.
      await rm(profile, { recursive: true, force: true, maxRetries: 10 });
    },
  };
}

/**
 * A page that fails the test on any uncaught error or console error; the
 * page's TAP comments (`# …`, measured figures) are printed here.
 */
export async function strictPage(browser) {
  const page = await browser.newPage();
  const problems = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(`console error: ${message.text()}`);
    if (message.type() === "log" && message.text().startsWith("# ")) console.log(`# Chromium: ${message.text().slice(2)}`);
  });
  return { page, problems };
}
