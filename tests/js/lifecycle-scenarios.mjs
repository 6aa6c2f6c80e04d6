// The lifecycle contract of SteadySocket and its drop-in promise, run with the
// other scenarios (scenarios.mjs) in every runtime the package is tested in:
// every attempt ends with exactly one close, nothing fires after the final
// close, options of reconnecting-websocket and partysocket work under their
// own names, and nothing unknown is silently ignored.
import { ALL_EVENTS, check, counts, recorder, sleep, uniqueTag } from "./helpers.mjs";
import { soak } from "./soak.mjs";

const isTypeError = (pattern) => (e) => e instanceof TypeError && pattern.test(e.message);

/**
 * Checks the lifecycle events of one socket as they fire: every `connecting`
 * is followed by exactly one `close` before the next `connecting`; `open`
 * only once within an attempt; a close with `willRetry` ends a live attempt;
 * after the final close (`willRetry: false`; also from a wait, where no
 * attempt is live) nothing fires until reconnect() starts a new attempt; at
 * most one `error` in an attempt, exactly one before the close of a lost
 * connection (1006, retried), whatever the runtime fired, and once open none
 * before any other close.
 * The same rules as `Lifecycle` in tests/core_machine.rs.
 */
export function lifecycleChecker(socket) {
  const state = { live: false, opened: false, final: false, errors: 0, errorAfterOpen: false, problems: [], log: [] };
  const fail = (what) => state.problems.push(`${what} (after ${state.log.slice(-6).join(" ")})`);
  for (const type of ALL_EVENTS.concat("acknowledged")) {
    socket.addEventListener(type, (event) => {
      state.log.push(type === "close" ? `close(${event.code},${event.willRetry})` : type);
      if (type !== "connecting" && state.final) fail(`${type} after the final close`);
      if (type === "connecting") {
        if (state.live) fail("an attempt started before the last one closed");
        Object.assign(state, { live: true, opened: false, final: false, errors: 0, errorAfterOpen: false });
      } else if (type === "open") {
        if (!state.live || state.opened) fail("open outside a live attempt");
        state.opened = true;
      } else if (type === "error") {
        state.errors += 1;
        if (state.errors > 1) fail("two errors in one attempt");
        state.errorAfterOpen = state.opened;
      } else if (type === "close") {
        if (!state.live && event.willRetry) fail("a retrying close of no attempt");
        const lost = event.code === 1006 && event.willRetry && event.reason !== "reconnect";
        if (lost && state.errors !== 1) fail(`a lost connection's close after ${state.errors} errors, not one`);
        if (state.errorAfterOpen && event.code !== 1006) fail(`an error after the open before a ${event.code} close`);
        Object.assign(state, { errors: 0, errorAfterOpen: false });
        state.live = false;
        state.final = !event.willRetry;
      }
    });
  }
  return state;
}

/** A small seeded random source (mulberry32), so a failing sequence can be replayed. */
function seeded(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const fault = (peer, tag, action) => fetch(`http://${peer}/fault?tag=${tag}&action=${action}`, { method: "POST" });

export const lifecycleScenarios = {
  async "chaos soak: 8 clients with acknowledgements through a round of every kind of fault in a random order lose nothing and settle"(context) {
    const figures = await soak({ ...context, clients: 8, rounds: 1 });
    // Seen in the test output, for the record.
    console.log(`chaos soak: ${JSON.stringify(figures)}`);
  },

  async "reconnect() while open, and right after close(), answers every open with one close"({ SteadySocket, peer, injected }) {
    const tag = uniqueTag("js-reconnect-close");
    const socket = new SteadySocket(`ws://${peer}/echo?tag=${tag}`, [], { ...injected, minDelay: 20, maxDelay: 50 });
    const next = recorder(socket, ALL_EVENTS);
    const lifecycle = lifecycleChecker(socket);
    await next("open");
    socket.reconnect();
    const replaced = await next("close");
    check.deepEqual(
      [replaced.code, replaced.reason, replaced.wasClean, replaced.willRetry],
      [1000, "reconnect", false, true],
      "the replaced connection's close",
    );
    await next("open");
    socket.close(1000, "bye");
    socket.reconnect();
    const closing = await next("close");
    check.deepEqual([closing.code, closing.reason, closing.willRetry], [1000, "bye", true], "the closing connection's close");
    await next("open");
    socket.close();
    check.equal((await next("close")).willRetry, false, "the final close");
    await sleep(200);
    check.deepEqual(lifecycle.problems, [], "lifecycle");
    check.equal(lifecycle.log.filter((e) => e === "open").length, 3, "three opens");
    check.equal(lifecycle.log.filter((e) => e.startsWith("close")).length, 3, "three closes");
    const { total } = await counts(peer, tag);
    check.equal(total, 3, "three connections on the server");
  },

  async "random send, close, reconnect and server faults keep the lifecycle rules"({ SteadySocket, peer, injected }) {
    const seed = Math.floor(Math.random() * 2 ** 32);
    const random = seeded(seed);
    const tag = uniqueTag("js-random");
    const socket = new SteadySocket(`ws://${peer}/echo?tag=${tag}`, [], {
      ...injected, minDelay: 10, maxDelay: 60, connectTimeout: 2000, maxQueuedMessages: 20, overflow: "drop-oldest",
    });
    const lifecycle = lifecycleChecker(socket);
    const steps = [];
    for (let step = 0; step < 40; step++) {
      const pick = random();
      if (pick < 0.35) {
        steps.push("send");
        try {
          socket.send(`m${step}`);
        } catch (error) {
          // Only a closing or closed socket refuses; the queue drops its oldest instead.
          check.ok(socket.readyState >= SteadySocket.CLOSING, `send refused while ${socket.state.type}: ${error.message}`);
        }
      } else if (pick < 0.45) {
        steps.push("close");
        socket.close(1000, "random");
        check.ok(socket.readyState >= SteadySocket.CLOSING, "close() leaves CLOSING or CLOSED");
      } else if (pick < 0.6) {
        steps.push("reconnect");
        socket.reconnect();
      } else {
        const action = ["drop", "close&code=1012", "close&code=4000", "close&code=1008"][Math.floor(random() * 4)];
        steps.push(action);
        await fault(peer, tag, action);
      }
      await sleep(Math.floor(random() * 60));
    }
    socket.close();
    const deadline = Date.now() + 5000;
    while (socket.readyState !== SteadySocket.CLOSED && Date.now() < deadline) await sleep(10);
    await sleep(300);
    const where = `seed ${seed}, steps ${steps.join(" ")}`;
    check.equal(socket.readyState, SteadySocket.CLOSED, `closed after close() (${where})`);
    check.deepEqual(lifecycle.problems, [], `lifecycle (${where})`);
    check.ok(lifecycle.final, `the last event is the final close (${where}): ${lifecycle.log.slice(-4).join(" ")}`);
  },

  async "maxDelay alone lowers the default minDelay; an explicit minDelay above it names both"({ SteadySocket, peer, injected }) {
    const socket = new SteadySocket(`ws://${peer}/echo?status=503`, [], { ...injected, maxDelay: 300 });
    const next = recorder(socket, ALL_EVENTS);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const { delay } = await next("reconnecting");
      check.ok(delay >= 0 && delay <= 300, `delay ${delay} within the cap`);
    }
    socket.close();
    check.throws(
      () => new SteadySocket(`ws://${peer}/`, [], { ...injected, minDelay: 5000, maxDelay: 1000 }),
      isTypeError(/option minDelay \(5000\) must not be more than maxDelay \(1000\)/),
      "explicit minDelay above maxDelay",
    );
    check.throws(
      () => new SteadySocket(`ws://${peer}/`, [], { ...injected, minDelay: 50000 }),
      isTypeError(/option minDelay \(50000\) must not be more than maxDelay \(30000 by default\)/),
      "explicit minDelay above the default cap",
    );
  },

  async "a Blob counts in bufferedAmount from send() until it is handed over"({ SteadySocket, peer, injected }) {
    const socket = new SteadySocket(`ws://${peer}/echo`, [], { ...injected });
    const next = recorder(socket, ALL_EVENTS);
    await next("open");
    check.equal(socket.bufferedAmount, 0, "nothing buffered");
    check.equal(socket.send(new Blob([new Uint8Array(3000)])), "queued", "a Blob is read first");
    check.ok(socket.bufferedAmount >= 3000, `bufferedAmount ${socket.bufferedAmount} counts the Blob at once`);
    socket.send("after");
    check.ok(socket.bufferedAmount >= 3005, `and what waits behind it: ${socket.bufferedAmount}`);
    await next("message");
    check.equal((await next("message")).data, "after", "in order");
    check.equal(socket.bufferedAmount, 0, "nothing left");
    socket.close();
  },

  async "reconnecting-websocket's and partysocket's options work under their names; unknown ones throw"({ SteadySocket, peer, hang, injected }) {
    const waiting = new SteadySocket(`ws://${hang}/`, [], { ...injected, maxEnqueuedMessages: 3, connectionTimeout: 60000 });
    for (let n = 0; n < 3; n++) check.equal(waiting.send(`q${n}`), "queued", `queued ${n}`);
    check.throws(() => waiting.send("q3"), (e) => /at most 3 messages/.test(e.message), "maxEnqueuedMessages bounds the queue");
    waiting.close();
    const aliases = new SteadySocket(`ws://${peer}/echo?status=503`, [], {
      ...injected, minReconnectionDelay: 10, maxReconnectionDelay: 40, reconnectionDelayGrowFactor: 1.3, maxRetries: 2,
    });
    const next = recorder(aliases, ALL_EVENTS);
    for (let attempt = 1; attempt <= 2; attempt++) check.ok((await next("reconnecting")).delay <= 40, "maxReconnectionDelay caps");
    check.equal((await next("giveup")).attempts, 2, "maxRetries");
    for (const [options, pattern] of [
      [{ maxRetry: 3 }, /unknown option "maxRetry"; the options are minDelay, .*maxReconnectionDelay/],
      [{ reconnectInterval: 1000 }, /unknown option "reconnectInterval"/],
      [{ debug: true }, /option debug is not supported: use the trace option/],
      [{ minDelay: 10, minReconnectionDelay: 20 }, /give option minDelay or minReconnectionDelay, not both/],
      [{ minReconnectionDelay: 5000, maxReconnectionDelay: 1000 }, /option minReconnectionDelay \(5000\) must not be more than maxReconnectionDelay \(1000\)/],
      [{ connectionTimeout: -1 }, /option connectionTimeout must be a number of milliseconds/],
      [{ startClosed: "yes" }, /option startClosed must be true or false, not "yes"$/],
    ]) {
      check.throws(() => new SteadySocket(`ws://${peer}/`, [], { ...injected, ...options }), isTypeError(pattern), JSON.stringify(options));
    }
    const tag = uniqueTag("js-start-closed");
    const closed = new SteadySocket(`ws://${peer}/echo?tag=${tag}`, [], { ...injected, startClosed: true });
    const closedNext = recorder(closed, ALL_EVENTS);
    check.equal(closed.readyState, SteadySocket.CLOSED, "startClosed: CLOSED");
    await sleep(100);
    check.equal((await counts(peer, tag)).total, 0, "startClosed: no connection");
    closed.reconnect();
    await closedNext("open");
    closed.close();
    await closedNext("close");
  },
};
