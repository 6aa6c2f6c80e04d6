// Runs one wasm-bindgen test suite in WebKit: wasm-bindgen-test-runner serves
// the suite's page (NO_HEADLESS=1, at WASM_BINDGEN_TEST_ADDRESS) without a
// driver of its own, since it drives no WebKitGTK; this opens the page in
// MiniBrowser through WebKitWebDriver (webdriver.mjs), waits for libtest's closing line and
// prints the page's output, so the summary counts it as for the other
// browsers. Exits non-zero if the suite failed or did not finish.
//
//   node tests/js/webkit-wasm.mjs http://127.0.0.1:PORT
import { waitInPage, webDriverSession } from "./webdriver.mjs";

const [page] = process.argv.slice(2);
if (!page || !process.env.STEADYSOCKET_WEBKIT_DRIVER) {
  console.error("usage: STEADYSOCKET_WEBKIT_DRIVER=http://127.0.0.1:P node tests/js/webkit-wasm.mjs <suite page URL>");
  process.exit(2);
}

const OUTPUT = "return (document.getElementById('output') || document.body).textContent";
const session = await webDriverSession("WebKit");
let output = "";
try {
  await session.goto(page);
  await waitInPage(session, `${OUTPUT}.includes("test result:")`, 600_000);
  output = await session.evaluate(OUTPUT);
} catch (error) {
  output = (await session.evaluate(OUTPUT).catch(() => "")) + `\n${error.message}`;
} finally {
  await session.close();
}
console.log(output);
process.exit(/test result: ok\./.test(output) ? 0 : 1);
