// The package's TypeScript types: an example that uses them must pass
// `tsc --noEmit --strict`, and one with wrong types must fail, at each wrong
// line; with TypeScript 5.9 and with TypeScript 7 (the compiler rewritten
// in Go, which apps move to), each from its npm package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL("./types/", import.meta.url));
const compilers = [
  ["TypeScript 5.9", "typescript", /^Version 5\.9\./],
  ["TypeScript 7", "typescript-7", /^Version 7\./],
];

for (const [name, folder, version] of compilers) {
  const tsc = fileURLToPath(new URL(`./node_modules/${folder}/bin/tsc`, import.meta.url));
  const run = (...args) => spawnSync(process.execPath, [tsc, ...args], { cwd: dir, encoding: "utf8" });
  function tscOn(file) {
    // A per-run tsconfig that names just `file`.
    const result = run("--noEmit", "--strict", "--pretty", "false", "-p", `tsconfig.${file}.json`);
    return { status: result.status, output: result.stdout + result.stderr };
  }

  test(`${name}: an example that uses the types compiles with --strict`, () => {
    assert.match(run("--version").stdout, version);
    const { status, output } = tscOn("good");
    assert.equal(status, 0, output);
  });

  test(`${name}: wrong types are rejected, each where it is wrong`, () => {
    const { status, output } = tscOn("wrong");
    assert.notEqual(status, 0);
    for (const line of [8, 10, 13, 14, 15]) {
      assert.match(output, new RegExp(`wrong\\.ts\\(${line},`), `line ${line} must be an error:\n${output}`);
    }
  });
}
