// Reading a V8 CPU profile for `cargo xtask bench profile` (bench/cpu-profile.mjs).
import { test } from "node:test";
import assert from "node:assert/strict";
import { addTimes, selfTimes, summary } from "../../bench/cpu-profile.mjs";

const frame = (functionName, url = "") => ({ functionName, url, scriptId: "0", lineNumber: 0, columnNumber: 0 });

/** Three nodes as V8 reports them: the program, a function of a page script, idle. */
const profile = {
  nodes: [
    { id: 1, callFrame: frame("(program)") },
    { id: 2, callFrame: frame("send", "http://127.0.0.1:8000/bench/echo-cases.mjs") },
    { id: 3, callFrame: frame("(idle)") },
    { id: 4, callFrame: frame("", "http://127.0.0.1:8000/pkg/steadysocket.js") },
  ],
  samples: [2, 2, 3, 1, 4, 2],
  timeDeltas: [100, 50, 200, 10, 7, 1],
};

test("self time is summed per function over the samples, named with the script's file", () => {
  assert.deepEqual(
    Object.fromEntries(selfTimes(profile)),
    { "send [echo-cases.mjs]": 151, "(idle)": 200, "(program)": 10, "(anonymous) [steadysocket.js]": 7 },
  );
});

test("profiles add up, and the summary leaves idle out of busy and out of the top", () => {
  const total = new Map();
  addTimes(total, selfTimes(profile));
  addTimes(total, selfTimes(profile));
  const { idle, busy, top } = summary(total, 2);
  assert.equal(idle, 400);
  assert.equal(busy, 2 * (151 + 10 + 7));
  assert.deepEqual(top, [["send [echo-cases.mjs]", 302], ["(program)", 20]]);
});
