// The package's TypeScript types: an example that uses them must pass
// `tsc --noEmit --strict`, and one with wrong types must fail, at each wrong line.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL("./types/", import.meta.url));
const tsc = fileURLToPath(new URL("./node_modules/typescript/bin/tsc", import.meta.url));

function tscOn(file) {
  // A per-run tsconfig that names just `file`.
  const result = spawnSync(process.execPath, [tsc, "--noEmit", "--strict", "--pretty", "false", "-p", `tsconfig.${file}.json`], { cwd: dir, encoding: "utf8" });
  return { status: result.status, output: result.stdout + result.stderr };
}

test("an example that uses the types compiles with --strict", () => {
  const { status, output } = tscOn("good");
  assert.equal(status, 0, output);
});

test("wrong types are rejected, each where it is wrong", () => {
  const { status, output } = tscOn("wrong");
  assert.notEqual(status, 0);
  for (const line of [8, 10, 13, 14, 15]) {
    assert.match(output, new RegExp(`wrong\\.ts\\(${line},`), `line ${line} must be an error:\n${output}`);
  }
});
