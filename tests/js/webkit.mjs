// WebKit (WebKitGTK's MiniBrowser) through its W3C WebDriver, which
// playwright-core cannot drive: a session is a handful of HTTP calls.
// `cargo xtask test` starts `xvfb-run -a WebKitWebDriver --port=P` and names
// it in STEADYSOCKET_WEBKIT_DRIVER (http://127.0.0.1:P).

const MINI_BROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";

/** A WebKit session on the WebDriver at `driver`: goto, evaluate, close. */
export async function webkitSession(driver) {
  const request = async (method, path, body) => {
    const response = await fetch(`${driver}${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const { value } = await response.json();
    if (value?.error) throw new Error(`WebKitWebDriver ${method} ${path}: ${value.error}: ${value.message}`);
    return value;
  };
  const { sessionId } = await request("POST", "/session", {
    capabilities: {
      alwaysMatch: { "webkitgtk:browserOptions": { binary: MINI_BROWSER, args: ["--automation"] } },
    },
  });
  const call = (method, path, body) => request(method, `/session/${sessionId}${path}`, body);
  await call("POST", "/timeouts", { script: 600_000, pageLoad: 60_000 });
  return {
    goto: (url) => call("POST", "/url", { url }),
    /** The value of `script` (a function body; `arguments` are `args`). */
    evaluate: (script, args = []) => call("POST", "/execute/sync", { script, args }),
    /** The value `script` passes to its last argument, a callback. */
    evaluateAsync: (script, args = []) => call("POST", "/execute/async", { script, args }),
    close: () => request("DELETE", `/session/${sessionId}`),
  };
}

/** Resolves once `condition` (a function body) is true in the page, or throws after `ms`. */
export async function waitInPage(session, condition, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (!(await session.evaluate(condition))) {
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
