// The package's scenarios (scenarios.mjs) inside Cloudflare's workerd: the
// worker that tests/js/workerd-run.mjs serves. Each request runs one
// scenario in its own I/O context (workerd binds a socket to the request
// that made it): `GET /scenarios` lists their names, `GET /run?name=…&peer=…
// &hang=…&chaos=…` runs one and answers `{ ok, error? }`. The package comes
// as a module named "steadysocket", the file its "workerd" export names.
import { SteadySocket, parseJson, steadysocketDiagnostics } from "steadysocket";
import { scenarios } from "./scenarios.mjs";
import { runScenario } from "./helpers.mjs";

const json = (value) => new Response(JSON.stringify(value), { headers: { "content-type": "application/json" } });

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === "/scenarios") return json(Object.keys(scenarios));
    const name = url.searchParams.get("name");
    const scenario = Object.hasOwn(scenarios, name) ? scenarios[name] : undefined;
    if (scenario === undefined) return json({ ok: false, error: `no scenario named ${JSON.stringify(name)}` });
    const [peer, hang, chaos] = ["peer", "hang", "chaos"].map((key) => url.searchParams.get(key));
    try {
      await runScenario(scenario, { SteadySocket, parseJson, steadysocketDiagnostics, peer, hang, chaos, injected: {} });
      return json({ ok: true });
    } catch (error) {
      return json({ ok: false, error: String(error?.stack ?? error) });
    }
  },
};
