// The package's TypeScript types: an example that uses them must pass
// `tsc --noEmit --strict`, and one with wrong types must fail, at each wrong
// line; so must the npm README's examples, as written there. With
// TypeScript 5.9 and with TypeScript 7 (the compiler rewritten in Go, which
// apps move to), each from its npm package.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const dir = fileURLToPath(new URL("./types/", import.meta.url));
const types = fileURLToPath(new URL("../../target/pkg/steadysocket.d.ts", import.meta.url));
const noWasmTypes = fileURLToPath(new URL("../../target/pkg/no-wasm.d.ts", import.meta.url));
const reactTypes = fileURLToPath(new URL("../../target/pkg/react.d.ts", import.meta.url));

/**
 * The npm README's code blocks, each a module of its own in a new folder with
 * a tsconfig of its own. A block that uses `socket` or `chunks` without making
 * them (a fragment) gets them declared.
 */
function readmeExamples() {
  const readme = readFileSync(new URL("../../pkg-template/README.md", import.meta.url), "utf8");
  const blocks = [...readme.matchAll(/```(?:js|ts)\n([\s\S]*?)```/g)].map((found) => found[1]);
  const folder = mkdtempSync(join(tmpdir(), "steadysocket-readme-"));
  const free = { socket: 'import("steadysocket").SteadySocket', chunks: "ArrayBuffer[]" };
  const files = blocks.map((code, index) => {
    const declared = Object.entries(free)
      .filter(([name]) => code.includes(name) && !new RegExp(`(const|let) ${name}\\b`).test(code))
      .map(([name, type]) => `declare const ${name}: ${type};\n`)
      .join("");
    const file = `readme-${index + 1}.ts`;
    writeFileSync(join(folder, file), `${declared}${code}export {};\n`);
    return file;
  });
  const compilerOptions = JSON.parse(readFileSync(join(dir, "tsconfig.json"), "utf8")).compilerOptions;
  compilerOptions.paths = { steadysocket: [types], "steadysocket/no-wasm": [noWasmTypes], "steadysocket/react": [reactTypes] };
  writeFileSync(join(folder, "tsconfig.json"), JSON.stringify({ compilerOptions, files }));
  return { folder, count: blocks.length };
}
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

  test(`${name}: the npm README's examples compile with --strict`, () => {
    const { folder, count } = readmeExamples();
    try {
      assert.ok(count >= 3, `the README has its examples (found ${count})`);
      const result = run("--noEmit", "--strict", "--pretty", "false", "-p", join(folder, "tsconfig.json"));
      assert.equal(result.status, 0, result.stdout + result.stderr);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  test(`${name}: wrong types are rejected, each where it is wrong`, () => {
    const { status, output } = tscOn("wrong");
    assert.notEqual(status, 0);
    for (const line of [8, 10, 13, 14, 15]) {
      assert.match(output, new RegExp(`wrong\\.ts\\(${line},`), `line ${line} must be an error:\n${output}`);
    }
  });
}
