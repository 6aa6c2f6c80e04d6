// The package as npm ships it: `npm pack` of target/pkg, and that tarball
// installed in a test app (tests/vite-app, tests/react-app), as an app
// installs it from the registry.
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const packageDir = fileURLToPath(new URL("../../target/pkg/", import.meta.url));
const npm = process.platform === "win32" ? "npm.cmd" : "npm";

/** Runs `command` in `cwd` and returns its stdout. */
export function run(command, args, cwd, env = process.env) {
  return execFileSync(command, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/**
 * Packs the package into `directory` (emptied first) as `steadysocket.tgz`;
 * returns its path and the files it holds, sorted.
 */
export function pack(directory) {
  rmSync(directory, { recursive: true, force: true });
  mkdirSync(directory, { recursive: true });
  const [packed] = JSON.parse(run(npm, ["pack", "--json", "--pack-destination", directory], packageDir));
  const tarball = directory + "steadysocket.tgz";
  renameSync(directory + packed.filename.replace(/^.*\//, ""), tarball);
  return { tarball, files: packed.files.map((file) => file.path).sort() };
}

/** Packs into `directory` and installs the tarball in the app at `appDir` (its package.json names it). */
export function installPacked(directory, appDir) {
  pack(directory);
  rmSync(appDir + "node_modules/steadysocket", { recursive: true, force: true });
  run(npm, ["install", "--no-audit", "--no-fund", "--no-package-lock"], appDir);
}
