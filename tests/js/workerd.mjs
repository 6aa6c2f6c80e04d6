// A worker served by Cloudflare's workerd (the runtime of Workers), for the
// tests: its modules copied beside a configuration that allows outbound
// connections to this machine (the peer server), on a free port.
import { spawn } from "node:child_process";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

const freePort = () =>
  new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });

/** The configuration, with a copy of each module beside it (workerd embeds files from the configuration's folder only). */
async function writeConfig(dir, port, modules) {
  const entries = [];
  for (const [name, file, kind] of modules) {
    const copy = `module-${entries.length}`;
    await copyFile(file, join(dir, copy));
    entries.push(`(name = ${JSON.stringify(name)}, ${kind} = embed ${JSON.stringify(copy)})`);
  }
  const path = join(dir, "config.capnp");
  await writeFile(path, `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const worker :Workerd.Worker = (
  modules = [
    ${entries.join(",\n    ")}
  ],
  compatibilityDate = "2026-05-01",
);
`);
  return path;
}

/**
 * Serves `modules` ([name, file, kind]: kind "esModule" or "wasm"; the first
 * is the worker) in `workerd serve` (`binary`); resolves once `probe` (a
 * path) answers, to `{ url, close }`.
 */
export async function serveInWorkerd(binary, modules, probe = "/") {
  if (!binary) throw new Error("STEADYSOCKET_WORKERD must name the workerd binary (the test command sets it)");
  const dir = await mkdtemp(join(tmpdir(), "steadysocket-workerd-"));
  const port = await freePort();
  const child = spawn(binary, ["serve", await writeConfig(dir, port, modules)], { stdio: ["ignore", "inherit", "inherit"] });
  let spawnError = null;
  const exited = new Promise((resolve) => {
    child.once("exit", resolve);
    child.once("error", (error) => resolve((spawnError = error)));
  });
  const close = async () => {
    child.kill();
    await exited;
    await rm(dir, { recursive: true, force: true });
  };
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null || spawnError !== null) break;
    try {
      await fetch(url + probe);
      return { url, close };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await close();
  throw new Error(`workerd (${binary}) did not answer on ${url}: ${spawnError?.message ?? `exit code ${child.exitCode}`}`);
}
