// Shared by the JS tests in Node and in the browser: waiting for events with
// a deadline, the peer server's counts, and a small assert that works in both.

/** Records every event of the given types; `next(type)` waits for the next one of that type. */
export function recorder(target, types) {
  const seen = [];
  for (const type of types) target.addEventListener(type, (event) => seen.push(event));
  return async function next(type, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = seen.findIndex((event) => event.type === type);
      if (index >= 0) return seen.splice(0, index + 1).pop();
      if (Date.now() > deadline) {
        throw new Error(`no ${type} event within ${timeoutMs} ms; saw ${seen.map((e) => e.type).join(", ")}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
}

export const ALL_EVENTS = ["open", "message", "error", "close", "connecting", "reconnecting", "giveup", "attemptfailed", "dropped"];

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export function uniqueTag(name) {
  return `${name}-${Math.random().toString(36).slice(2)}`;
}

/**
 * A `ws://` URL where nothing listens (port 1 on loopback: refused at once),
 * with a path no other test uses: Firefox delays a connection to an address,
 * port and path that failed moments ago, longer with each failure (up to a
 * minute), so a shared path would let one test's failures slow the next's.
 */
export function refusedUrl(name) {
  return `ws://127.0.0.1:1/${uniqueTag(name)}`;
}

/** The peer server's connection counts for `tag`. */
export async function counts(peer, tag) {
  const response = await fetch(`http://${peer}/stats?tag=${encodeURIComponent(tag)}`);
  return response.json();
}

/** Assertions that work in Node and in browsers alike. */
export const check = {
  equal(actual, expected, what = "value") {
    if (!Object.is(actual, expected)) {
      throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
    }
  },
  deepEqual(actual, expected, what = "value") {
    const [a, e] = [JSON.stringify(actual), JSON.stringify(expected)];
    if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
  },
  ok(condition, what) {
    if (!condition) throw new Error(`not true: ${what}`);
  },
  throws(action, accept, what) {
    try {
      action();
    } catch (error) {
      if (!accept(error)) throw new Error(`${what}: wrong error ${error?.name}: ${error?.message}`);
      return;
    }
    throw new Error(`${what}: did not throw`);
  },
};

/**
 * A WebSocket class over `Base` whose close events report a connection that
 * ended without a close frame (1006) as code 0, as Deno's own does.
 */
export function reportingDropsAsZero(Base) {
  const wrappers = new WeakMap();
  return class extends Base {
    addEventListener(type, listener, options) {
      if (type !== "close") return super.addEventListener(type, listener, options);
      const call = typeof listener === "function" ? listener : (event) => listener.handleEvent(event);
      const asDeno = (event) =>
        call({ type, code: event.code === 1006 ? 0 : event.code, reason: event.reason, wasClean: event.wasClean });
      wrappers.set(listener, asDeno);
      return super.addEventListener(type, asDeno, options);
    }

    removeEventListener(type, listener, options) {
      if (type !== "close") return super.removeEventListener(type, listener, options);
      return super.removeEventListener(type, wrappers.get(listener) ?? listener, options);
    }
  };
}

/**
 * Collects the errors the runtime reports as uncaught (a listener that
 * threw): the global `error` event of browsers, Deno and Bun (kept from
 * ending the run), and Node's `uncaughtException` (in place of the
 * harness's listeners: node:test fails the running test on any; `stop()`
 * puts them back and detaches).
 */
export function reportedErrors() {
  const errors = [];
  const note = (error) => {
    if (!errors.includes(error)) errors.push(error);
  };
  const onEvent = (event) => {
    event.preventDefault();
    note(event.error);
  };
  const onUncaught = (error) => note(error);
  const process = globalThis.Deno ? undefined : globalThis.process;
  const harness = process?.rawListeners?.("uncaughtException") ?? [];
  process?.removeAllListeners?.("uncaughtException");
  globalThis.addEventListener?.("error", onEvent);
  process?.on?.("uncaughtException", onUncaught);
  return {
    errors,
    stop() {
      globalThis.removeEventListener?.("error", onEvent);
      process?.off?.("uncaughtException", onUncaught);
      for (const listener of harness) process.on("uncaughtException", listener);
    },
  };
}

/**
 * A WebSocket class over `Base` that holds back its open and message events
 * and hands them over, in order, right before its close (or error), all in
 * one task: as a platform might that read the handshake's answer, a message
 * and a close frame from one segment. A listener still sees WebSocket's
 * order; only when it sees the events differs.
 */
export function handingOverAtClose(Base) {
  return class HandingOverAtClose {
    #inner;
    #listeners = new Map();
    #held = [];

    constructor(url, protocols) {
      this.#inner = protocols === undefined ? new Base(url) : new Base(url, protocols);
      for (const type of ["open", "message", "error", "close"]) {
        this.#inner.addEventListener(type, (event) => this.#arrived(event));
      }
    }

    #arrived(event) {
      if (event.type === "open" || event.type === "message") return void this.#held.push(event);
      for (const held of this.#held.splice(0)) this.#dispatch(held);
      this.#dispatch(event);
    }

    #dispatch(event) {
      for (const listener of [...(this.#listeners.get(event.type) ?? [])]) listener(event);
    }

    addEventListener(type, listener) {
      if (!this.#listeners.has(type)) this.#listeners.set(type, new Set());
      this.#listeners.get(type).add(listener);
    }

    removeEventListener(type, listener) {
      this.#listeners.get(type)?.delete(listener);
    }

    get url() { return this.#inner.url; }
    get protocol() { return this.#inner.protocol; }
    get extensions() { return this.#inner.extensions; }
    get readyState() { return this.#inner.readyState; }
    get bufferedAmount() { return this.#inner.bufferedAmount; }
    get binaryType() { return this.#inner.binaryType; }
    set binaryType(value) { this.#inner.binaryType = value; }
    send(data) { this.#inner.send(data); }
    close(code, reason) { this.#inner.close(code, reason); }
  };
}

/**
 * Runs `scenario` with `context`, its `SteadySocket` seen through a proxy
 * that remembers each socket made. If the scenario fails, or is not done
 * within `limitMs` (then it fails as hung), the sockets it made are closed
 * before the failure is passed on: one failure then leaves nothing
 * connected or reconnecting for the scenarios after it to count (the soak
 * checks that no platform listener is left attached anywhere).
 */
export async function runScenario(scenario, context, limitMs = Infinity) {
  const made = [];
  const SteadySocket = new Proxy(context.SteadySocket, {
    construct(target, args, newTarget) {
      const socket = Reflect.construct(target, args, newTarget);
      made.push(socket);
      return socket;
    },
  });
  let timer;
  const hung = new Promise((_, reject) => {
    if (limitMs !== Infinity) timer = setTimeout(() => reject(new Error(`not done after ${limitMs} ms`)), limitMs);
  });
  try {
    await Promise.race([scenario({ ...context, SteadySocket }), hung]);
  } catch (error) {
    for (const socket of made) socket.close();
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `bytes` made in another realm, which `instanceof` does not recognise: `{
 * buffer, blob }`, an ArrayBuffer and a Blob (null where that realm has no
 * Blob) of an iframe's in a page, of a `node:vm` context's in Node, Deno and
 * Bun; null where no other realm can be made (a worker, workerd).
 */
export async function bytesOfAnotherRealm(bytes) {
  let made;
  if (typeof document === "object" && document !== null) {
    const frame = document.createElement("iframe");
    document.documentElement.append(frame);
    const realm = frame.contentWindow;
    made = { buffer: new realm.Uint8Array(bytes).buffer, blob: new realm.Blob([new realm.Uint8Array(bytes)]) };
    frame.remove();
    if (made.blob instanceof Blob) throw new Error("the other realm's Blob is this realm's");
  } else {
    try {
      const OtherUint8Array = (await import("node:vm")).runInNewContext("Uint8Array");
      made = { buffer: new OtherUint8Array(bytes).buffer, blob: null };
    } catch {
      return null;
    }
  }
  if (made.buffer instanceof ArrayBuffer) throw new Error("the other realm's ArrayBuffer is this realm's");
  return made;
}

/**
 * Binary data WebSocket's `send` must not take, as [what, value, the
 * message's pattern], of each kind this runtime can make: views of a
 * SharedArrayBuffer (or of shared wasm memory where only that exists), a
 * resizable ArrayBuffer and a view of it, and detached ones.
 */
export function unsendableBuffers() {
  const made = [];
  let shared = null;
  try {
    shared = typeof SharedArrayBuffer === "function"
      ? new SharedArrayBuffer(4)
      : new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer;
  } catch {
    // Neither a SharedArrayBuffer nor shared wasm memory here (or no WebAssembly).
  }
  if (shared !== null) {
    const inShared = /^send\(\) takes no shared ArrayBuffer or view of one, as WebSocket takes none; send a copy/;
    made.push(["a SharedArrayBuffer", shared, inShared], ["a Uint8Array of one", new Uint8Array(shared, 0, 3), inShared], ["a DataView of one", new DataView(shared), inShared]);
  }
  const resizable = new ArrayBuffer(3, { maxByteLength: 8 });
  if (resizable.resizable === true) {
    const isResizable = /^send\(\) takes no resizable ArrayBuffer or view of one, as WebSocket takes none; send a copy/;
    made.push(["a resizable ArrayBuffer", resizable, isResizable], ["a Uint8Array of one", new Uint8Array(resizable), isResizable]);
  }
  const detached = new ArrayBuffer(4);
  const views = [new Uint8Array(detached, 1, 2), new DataView(detached)];
  structuredClone(detached, { transfer: [detached] });
  const isDetached = /^send\(\) takes no detached ArrayBuffer or view of one: its bytes were transferred elsewhere$/;
  made.push(["a detached ArrayBuffer", detached, isDetached], ["a Uint8Array of one", views[0], isDetached], ["a DataView of one", views[1], isDetached]);
  return made;
}
