// What a socket keeps of its core's status (pkg-template/status.js): a
// status that is its state alone is one frozen object per state, shared by
// every socket; a status with more is the socket's own, updated in place.
import { test } from "node:test";
import assert from "node:assert/strict";

const { CLOSED_STATUS, statusAfter } = await import(new URL("../../target/pkg-modules/status.js", import.meta.url));
const { STATE_NAMES, STATUS_SLOTS } = await import(new URL("../../target/pkg-modules/abi.js", import.meta.url));

/** A view as `Core.status` gives it: `fields` by name, the rest 0. */
function view(fields) {
  return STATUS_SLOTS.map((name) => (name === "state" ? STATE_NAMES.indexOf(fields.state) : (fields[name] ?? 0)));
}

const openAndIdle = () => view({ state: "open", readyState: 1 });

test("a status that is its state alone is shared by every socket, and frozen", () => {
  const first = statusAfter(null, openAndIdle());
  const second = statusAfter(CLOSED_STATUS, openAndIdle());
  assert.equal(first, second);
  assert.ok(Object.isFrozen(first));
  assert.deepEqual([first.state, first.readyState, first.queuedMessages], [STATE_NAMES.indexOf("open"), 1, 0]);
  assert.deepEqual(first.described(), { type: "open" });
});

test("a status with more is the socket's own, kept in place until it is plain again", () => {
  const shared = statusAfter(null, openAndIdle());
  const own = statusAfter(shared, view({ state: "open", readyState: 1, queuedMessages: 2, queuedBytes: 10 }));
  assert.notEqual(own, shared);
  assert.equal(shared.queuedMessages, 0, "the shared status is not changed");
  const later = statusAfter(own, view({ state: "waiting", readyState: 0, attempt: 3, delay: 1500.5 }));
  assert.equal(later, own, "updated in place");
  assert.deepEqual(later.described(), { type: "waiting", attempt: 3, delay: 1500.5 });
  assert.equal(later.queuedMessages, 0);
  assert.equal(statusAfter(later, openAndIdle()), shared, "plain again: the shared one");
  const another = statusAfter(null, view({ state: "connecting", readyState: 0, attempt: 1 }));
  assert.notEqual(another, own, "each socket's own");
  assert.deepEqual(another.described(), { type: "connecting", attempt: 1 });
});

test("every field other than the state and ready state makes a status a socket's own", () => {
  for (const name of STATUS_SLOTS.filter((name) => name !== "state" && name !== "readyState")) {
    const status = statusAfter(null, view({ state: "open", readyState: 1, [name]: 1 }));
    assert.ok(!Object.isFrozen(status), name);
    assert.equal(status[name], 1, name);
  }
});

test("a socket without a core is closed, with the shared closed status a core reports", () => {
  assert.deepEqual([STATE_NAMES[CLOSED_STATUS.state], CLOSED_STATUS.readyState], ["closed", 3]);
  assert.equal(statusAfter(null, view({ state: "closed", readyState: 3 })), CLOSED_STATUS);
});
