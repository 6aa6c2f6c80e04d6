// What the class keeps of its core's status after each step, for the
// getters and the send path to read without a call into the wasm (and
// within `shouldReconnect` or `retryAfter`, while the core is busy).
import { STATE_NAMES, STATUS_SLOTS } from "./abi.js";

/** A status number as a field keeps it: a whole number as a small integer, which V8 stores without a box. */
const kept = (number) => ((number | 0) === number ? number | 0 : number);

/**
 * A socket's status after its core's last step, `{ state, attempt, delay,
 * readyState, queuedMessages, … }` (the fields of STATUS_SLOTS, numbers);
 * a closed socket's until the first.
 */
export class Status {
  constructor() {
    for (const name of STATUS_SLOTS) this[name] = 0;
    this.state = STATE_NAMES.indexOf("closed");
    this.readyState = 3; // CLOSED
  }

  /** The state as the `state` getter gives it: `{ type, attempt?, delay? }`, with what that type has. */
  described() {
    const type = STATE_NAMES[this.state];
    if (type === "waiting") return { type, attempt: this.attempt, delay: this.delay };
    return type === "connecting" || type === "offline" ? { type, attempt: this.attempt } : { type };
  }

  /** Keeps what `Core.status()` returned (read at once: the view is overwritten by the next call). */
  keep(view) {
    STATUS_SLOTS.forEach((name, i) => {
      this[name] = kept(view[i]);
    });
  }
}
