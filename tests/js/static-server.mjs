// A small static file server for the browser tests: each mount maps a URL
// prefix to a directory.
import { createServer } from "node:http";
import { readFile } from "node:fs/promises";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".cjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".json": "application/json",
  ".svg": "image/svg+xml",
};

/** Serves the test pages (`/js/browser.html`, …) with the built package under `/pkg/`; `options` as `serve`'s. */
export function serveScenarioPage(options) {
  return serve(
    {
      "/pkg/": fileURLToPath(new URL("../../target/pkg/", import.meta.url)),
      "/js/": fileURLToPath(new URL("./", import.meta.url)),
    },
    options,
  );
}

/**
 * Serves `mounts` ({ "/prefix/": "/dir" }) on 127.0.0.1; resolves to { url,
 * close, posted }: `posted(path)` resolves to the text of the next POST to
 * `path` (a page reporting back with nothing attached to it). `isolated` makes the pages cross-origin isolated (COOP and COEP),
 * which gives them `performance.now()` to 5 µs instead of 100 µs.
 * `headScript` (HTML) is put first in the head of every HTML page served.
 * `contentSecurityPolicy` is sent with every response (the pages' policy).
 */
export function serve(mounts, { isolated = false, headScript = "", contentSecurityPolicy = null } = {}) {
  const headers = isolated
    ? { "cross-origin-opener-policy": "same-origin", "cross-origin-embedder-policy": "require-corp" }
    : {};
  if (contentSecurityPolicy !== null) headers["content-security-policy"] = contentSecurityPolicy;
  const posts = new Mailbox();
  const server = createServer(async (request, response) => {
    const path = decodeURIComponent(new URL(request.url, "http://x").pathname);
    if (request.method === "POST") {
      let body = "";
      for await (const chunk of request) body += chunk;
      posts.put(path, body);
      return response.writeHead(204).end();
    }
    const prefix = Object.keys(mounts)
      .filter((p) => path.startsWith(p))
      .sort((a, b) => b.length - a.length)[0];
    if (prefix === undefined) return response.writeHead(404).end();
    let relative = normalize(path.slice(prefix.length));
    if (relative.startsWith("..")) return response.writeHead(403).end();
    if (relative === "." || relative === "") relative = "index.html";
    try {
      let body = await readFile(join(mounts[prefix], relative));
      if (headScript && extname(relative) === ".html") body = body.toString().replace("<head>", `<head>${headScript}`);
      response.writeHead(200, { "content-type": TYPES[extname(relative)] ?? "application/octet-stream", ...headers }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((done) => server.close(done)),
        posted: (path) => posts.take(path),
      });
    });
  });
}

/** Texts by path: `take` resolves to the oldest not yet taken, waiting for one if none is there. */
class Mailbox {
  #texts = new Map();
  #waiting = new Map();

  put(path, text) {
    const waiter = this.#waiting.get(path)?.shift();
    if (waiter) waiter(text);
    else this.#texts.set(path, [...(this.#texts.get(path) ?? []), text]);
  }

  take(path) {
    const kept = this.#texts.get(path);
    if (kept?.length) return Promise.resolve(kept.shift());
    return new Promise((resolve) => this.#waiting.set(path, [...(this.#waiting.get(path) ?? []), resolve]));
  }
}
