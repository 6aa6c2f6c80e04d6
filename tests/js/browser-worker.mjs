// The package's scenarios in a worker (browser.html starts this module as a
// dedicated worker, and as a shared worker that its pages connect to): a
// worker has no `window` and no `document`, and its network signals fire on
// its own global scope. Each message `[id, name, peer, hang, chaos, quirks]`
// runs one scenario and is answered `[id, "ok" | "FAIL: …"]`, to the worker's
// page or, in a shared worker, through the port it came on.
import { SteadySocket, parseJson, steadysocketDiagnostics } from "/pkg/steadysocket.js";
import { scenarios } from "/js/scenarios.mjs";
import { runScenario } from "/js/helpers.mjs";

/** Runs the scenario `data` asks for and passes `[id, result]` to `answer`. */
async function answerScenario({ data: [id, name, peer, hang, chaos, quirks] }, answer) {
  const context = { SteadySocket, parseJson, steadysocketDiagnostics, peer, hang, chaos, injected: {}, quirks };
  try {
    await runScenario(scenarios[name], context);
    answer([id, "ok"]);
  } catch (error) {
    answer([id, `FAIL: ${error?.message ?? error}`]);
  }
}

if (typeof SharedWorkerGlobalScope === "function" && self instanceof SharedWorkerGlobalScope) {
  self.onconnect = ({ ports: [port] }) => {
    port.onmessage = (message) => answerScenario(message, (result) => port.postMessage(result));
  };
} else {
  self.onmessage = (message) => answerScenario(message, (result) => self.postMessage(result));
}
