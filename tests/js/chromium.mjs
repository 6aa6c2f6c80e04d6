// Debian's Chromium, headless, through playwright-core (no browser download).
import { chromium } from "playwright-core";

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-dev-shm-usage",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
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
