// A `fetch` for the scenarios' calls to the peer server's HTTP endpoints
// (GET and POST, the status and a JSON or text body) over `node:http`, for
// Node run with --jitless: Node's own `fetch` parses HTTP with undici's
// llhttp, a wasm module, and fails where there is no WebAssembly.
import { request } from "node:http";

/** Installs it as the global `fetch`. */
export function installHttpFetch() {
  globalThis.fetch = httpFetch;
}

function httpFetch(url, { method = "GET" } = {}) {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method }, (incoming) => {
      const chunks = [];
      incoming.on("data", (chunk) => chunks.push(chunk));
      incoming.on("error", reject);
      incoming.on("end", () => {
        const body = Buffer.concat(chunks).toString("utf8");
        const status = incoming.statusCode;
        resolve({
          status,
          ok: status >= 200 && status < 300,
          text: async () => body,
          json: async () => JSON.parse(body),
        });
      });
    });
    outgoing.on("error", reject);
    outgoing.end();
  });
}
