// The steadysocket core: the Rust state machine compiled to wasm, instantiated
// once, synchronously, on first use (importing the package does nothing).
import { initSync, Core, configProblem } from "./core.js";
// The wasm's bytes, one character each (a string packs better than base64).
import wasmBytes from "./core_wasm.js";

let instance = null;

/** The wasm exports, instantiating the core on the first call. */
export function engine() {
  if (instance === null) {
    const bytes = new Uint8Array(wasmBytes.length);
    for (let i = 0; i < wasmBytes.length; i++) bytes[i] = wasmBytes.charCodeAt(i);
    instance = initSync({ module: bytes });
  }
  return instance;
}

export { Core, configProblem };

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
