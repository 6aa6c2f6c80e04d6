// The steadysocket core: the Rust state machine compiled to wasm (src/js/ in
// the crate), instantiated once, synchronously, on first use (importing the
// package does nothing). It speaks in numbers and UTF-8 through two buffers
// in its memory; `Core` wraps one connection's decisions.

// The wasm's bytes, one character each (a string packs better than base64).
import wasmBytes from "./core_wasm.js";

/** How many numbers pass each way (`NUMBER_SLOTS` in src/js/shared.rs); the last holds a text length. */
const NUMBER_SLOTS = 16;
/** What an export answers when its core is busy deciding (u32::MAX). */
const BUSY = -1;

let wasm = null;
/** The `shouldReconnect` wrapper of each core that has one, by slot. */
const deciders = new Map();
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The wasm's exports, instantiating the core on the first call. */
export function engine() {
  if (wasm === null) {
    const bytes = new Uint8Array(wasmBytes.length);
    for (let i = 0; i < wasmBytes.length; i++) bytes[i] = wasmBytes.charCodeAt(i);
    const imports = {
      steadysocket: {
        decide: (slot, code, reasonLength, wasClean) =>
          deciders.get(slot)?.(code, readText(reasonLength), wasClean === 1) ?? 0,
      },
    };
    wasm = new WebAssembly.Instance(new WebAssembly.Module(bytes), imports).exports;
  }
  return wasm;
}

/** The shared numbers (a fresh view: the memory may have grown). */
function numbers() {
  return new Float64Array(wasm.memory.buffer, wasm.numbers(), NUMBER_SLOTS);
}

/** Writes `text` for the next call; its length in bytes, or -1 for none. */
function writeText(text) {
  if (text === null || text === undefined) return -1;
  const bytes = encoder.encode(text);
  const pointer = wasm.text_in_buffer(bytes.length);
  new Uint8Array(wasm.memory.buffer, pointer, bytes.length).set(bytes);
  return bytes.length;
}

function readText(length) {
  if (length === 0) return "";
  return decoder.decode(new Uint8Array(wasm.memory.buffer, wasm.text_out_buffer(), length));
}

/** A result of the core, or an error if the class was called from inside its own `shouldReconnect`. */
function answered(result) {
  if (result === BUSY) {
    throw new Error("a SteadySocket cannot be used from inside its own shouldReconnect; use it after that returns");
  }
  return result;
}

/** What is wrong with options `values` (see `readOptions`): 0 nothing, 1 factor, 2 minDelay above maxDelay, 3 else. */
export function configProblem(values) {
  engine();
  numbers().set(values);
  return wasm.config_problem();
}

/** One connection's decisions; see src/js/mod.rs for what each call means. */
export class Core {
  #slot;
  /** The text of the last action `next()` returned. */
  text = "";

  constructor(values, decide, now) {
    engine();
    numbers().set(values);
    this.#slot = wasm.core_new(now, decide === undefined ? 0 : 1);
    if (decide !== undefined) deciders.set(this.#slot, decide);
  }

  send(id, size, key, peerClosing) {
    return answered(wasm.core_send(this.#slot, id, size, writeText(key), peerClosing ? 1 : 0));
  }

  close(code, reason) {
    return answered(wasm.core_close(this.#slot, code, writeText(reason)));
  }

  feed(now, kind, text) {
    answered(wasm.core_feed(this.#slot, now, kind, writeText(text)));
  }

  closed(now, code, reason, wasClean) {
    answered(wasm.core_closed(this.#slot, now, code, writeText(reason), wasClean ? 1 : 0));
  }

  timeout(now) {
    answered(wasm.core_timeout(this.#slot, now));
  }

  /** When to call `timeout` next (ms since the epoch), or Infinity. */
  deadline() {
    return wasm.core_deadline(this.#slot);
  }

  /** The next action as `[kind, a, b, c]` (`[]`: none), its text in `text`. */
  next() {
    if (wasm.core_next(this.#slot) === 0) return [];
    const shared = numbers();
    this.text = readText(shared[NUMBER_SLOTS - 1]);
    return [shared[0], shared[1], shared[2], shared[3]];
  }

  /** `[state, attempt, delay, readyState, queued, queuedBytes, unconfirmed, maxQueued, maxQueuedBytes]`. */
  status() {
    answered(wasm.core_status(this.#slot));
    return Array.from(numbers().subarray(0, 9));
  }

  free() {
    deciders.delete(this.#slot);
    wasm.core_free(this.#slot);
  }
}

/** What the class tells the core (`Core.feed`), by number. */
export const Input = { OPENED: 0, ERROR: 1, PONG: 2, RECONNECT: 3, ONLINE: 4, OFFLINE: 5, VISIBLE: 6, ATTEMPT_FAILED: 7, ACKNOWLEDGED: 8 };

/** What the core asks for (`Core.next()[0]`): actions, then events. */
export const Action = {
  CONNECT: 1, TRANSMIT: 2, CLOSE: 3, ABANDON: 4,
  CONNECTING: 5, OPEN: 6, ERROR: 7, ATTEMPT_FAILED: 8, CLOSED: 9, RECONNECTING: 10, GAVE_UP: 11, DROPPED: 12, ACKNOWLEDGED: 13,
};

/** `Core.send()`: what became of a message, by number. */
export const Sent = { TRANSMIT: 0, QUEUED: 1, QUEUE_FULL: 2, CLOSED: 3 };

/** `Core.status()[0]`: the state names, by number. */
export const STATE_NAMES = ["connecting", "open", "closing", "waiting", "offline", "closed"];
