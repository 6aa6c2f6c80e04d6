// The steadysocket core: the Rust state machine compiled to wasm (src/js/ in
// the crate), instantiated once, synchronously, on first use (importing the
// package does nothing). It speaks in numbers and UTF-8 through two buffers
// in its memory; `Core` wraps one connection's decisions.

// The core: the bundle's wasm literal, (workerd) a wasm module, or (no-wasm) the wasm in JavaScript.
import { instantiateCore } from "./core_source.js";
// Every number of the boundary, generated from src/js/abi.rs.
import {
  ACTION_LAYOUTS, BUSY, ConfigProblem, DECIDES, DEFAULT_HINT, LIMIT_SLOTS, NUMBER_SLOTS, OPTION_SLOTS, READS_HINTS,
} from "./abi.js";

export {
  Action, CloseAnswer, ConfigProblem, DEFAULT_HINT, DELAY_SOURCE_WORDS, Input, JITTER_WORDS, NO_HINT, OPTION_SLOTS,
  OVERFLOW_WORDS, STATE_NAMES, Sent, TRACE_KIND_WORDS,
} from "./abi.js";

const SEED_SLOT = OPTION_SLOTS.indexOf("seed");

let wasm = null;
/** The `shouldReconnect` and `retryAfter` wrappers of each core, by slot. */
const readers = new Map();
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The wasm's exports, instantiating the core on the first call. */
export function engine() {
  if (wasm === null) {
    const imports = {
      steadysocket: {
        decide: (slot, code, reasonLength, wasClean) =>
          readers.get(slot)?.decide?.(code, readText(reasonLength), wasClean === 1) ?? 0,
        retry_after: (slot, code, reasonLength, wasClean) =>
          readers.get(slot)?.retryAfter?.(code, readText(reasonLength), wasClean === 1) ?? DEFAULT_HINT,
      },
    };
    wasm = instantiateCore(imports);
  }
  return wasm;
}

let numbersView = null;
/** The shared numbers (a new view once the memory has grown). */
function numbers() {
  if (numbersView?.buffer !== wasm.memory.buffer) {
    numbersView = new Float64Array(wasm.memory.buffer, wasm.numbers(), NUMBER_SLOTS);
  }
  return numbersView;
}

/** Writes `text` for the next call; its length in bytes, or -1 for none. */
function writeText(text) {
  if (text === null || text === undefined) return -1;
  // The empty protocol of most opens: nothing to encode.
  if (text === "") return 0;
  const bytes = encoder.encode(text);
  const pointer = wasm.text_in_buffer(bytes.length);
  new Uint8Array(wasm.memory.buffer, pointer, bytes.length).set(bytes);
  return bytes.length;
}

function readText(length) {
  if (length === 0) return "";
  return decoder.decode(new Uint8Array(wasm.memory.buffer, wasm.text_out_buffer(), length));
}

/** A result of the core, or an error if the class was called from inside its own `shouldReconnect` or `retryAfter`. */
function answered(result) {
  if (result === BUSY) {
    throw new Error(
      "a SteadySocket cannot be used from inside its own shouldReconnect or retryAfter; use it after that returns",
    );
  }
  return result;
}

/**
 * What the core makes of options `values` (in the order of OPTION_SLOTS):
 * `{ problem }`, one of ConfigProblem; for options with none, also the
 * bounds the core keeps to, defaults applied (the fields of LIMIT_SLOTS:
 * `maxQueuedMessages`, `maxQueuedBytes`, `highWaterMark`).
 */
export function readConfig(values) {
  engine();
  const shared = numbers();
  shared.set(values);
  const read = { problem: wasm.config_problem() };
  if (read.problem === ConfigProblem.NONE) {
    LIMIT_SLOTS.forEach((name, i) => {
      read[name] = shared[i];
    });
  }
  return read;
}

/**
 * One connection's decisions, each call given the core's slot: a core is the
 * number `Core.make` returns (a socket keeps no object for it). See
 * src/js/mod.rs for what each call means.
 */
export const Core = {
  /** A new core, its first attempt starting at `now`; its slot. */
  make(values, decide, retryAfter, now) {
    engine();
    const shared = numbers();
    shared.set(values);
    // No seed in the options: this core's own.
    if (Number.isNaN(values[SEED_SLOT])) shared[SEED_SLOT] = Math.floor(Math.random() * 2 ** 53);
    const flags = (decide === undefined ? 0 : DECIDES) | (retryAfter === undefined ? 0 : READS_HINTS);
    const slot = wasm.core_new(now, flags);
    if (flags !== 0) readers.set(slot, { decide, retryAfter });
    return slot;
  },

  send(slot, id, size, key, peerClosing) {
    return answered(wasm.core_send(slot, id, size, writeText(key), peerClosing ? 1 : 0));
  },

  close(slot, now, code, reason) {
    return answered(wasm.core_close(slot, now, code, writeText(reason)));
  },

  feed(slot, now, kind, text) {
    answered(wasm.core_feed(slot, now, kind, writeText(text)));
  },

  closed(slot, now, code, reason, wasClean) {
    answered(wasm.core_closed(slot, now, code, writeText(reason), wasClean ? 1 : 0));
  },

  /** The platform socket's buffer holds `bytes`. */
  buffered(slot, now, bytes) {
    answered(wasm.core_buffered(slot, now, bytes));
  },

  timeout(slot, now) {
    answered(wasm.core_timeout(slot, now));
  },

  /** When to call `timeout` next (ms since the epoch), or null. */
  deadline(slot) {
    const deadline = wasm.core_deadline(slot);
    return deadline === Infinity ? null : deadline;
  },

  /**
   * The next action or event, `{ kind, ...numbers, text? }` with the fields
   * ACTION_LAYOUTS names for its kind (`{ kind: CLOSED, code, wasClean,
   * willRetry, reason }`), or null when there is none.
   */
  next(slot) {
    const kind = wasm.core_next(slot);
    if (kind === 0) return null;
    const shared = numbers();
    const [numberNames, textName] = ACTION_LAYOUTS[kind];
    const action = { kind };
    numberNames.forEach((name, i) => {
      action[name] = shared[1 + i];
    });
    if (textName !== null) action[textName] = readText(shared[NUMBER_SLOTS - 1]);
    return action;
  },

  /**
   * The status now, `{ state, attempt, delay, readyState, queuedMessages, … }` in the order of STATUS_SLOTS:
   * a view that the next call to the core overwrites, so read what you need at once (see status.js).
   */
  status(slot) {
    answered(wasm.core_status(slot));
    return numbers();
  },

  free(slot) {
    readers.delete(slot);
    wasm.core_free(slot);
  },
};
