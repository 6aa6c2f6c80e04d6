// The package's scenarios in a dedicated worker (browser.html starts it as
// a module worker): a worker has no `window` and no `document`, and its
// network signals fire on its own global scope. Each message
// `[id, name, peer, hang, chaos, quirks]` runs one scenario and is answered
// `[id, "ok" | "FAIL: …"]`.
import { SteadySocket, parseJson, steadysocketDiagnostics } from "/pkg/steadysocket.js";
import { scenarios } from "/js/scenarios.mjs";
import { runScenario } from "/js/helpers.mjs";

self.onmessage = async ({ data: [id, name, peer, hang, chaos, quirks] }) => {
  const context = { SteadySocket, parseJson, steadysocketDiagnostics, peer, hang, chaos, injected: {}, quirks };
  try {
    await runScenario(scenarios[name], context);
    self.postMessage([id, "ok"]);
  } catch (error) {
    self.postMessage([id, `FAIL: ${error?.message ?? error}`]);
  }
};
