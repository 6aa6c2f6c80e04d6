// What the class keeps of its core's status after each step, for the
// getters and the send path to read without a call into the wasm (and
// within `shouldReconnect` or `retryAfter`, while the core is busy).
import { STATE_NAMES, STATUS } from "./engine.js";

/** A status number as a field keeps it: a whole number as a small integer, which V8 stores without a box. */
const kept = (number) => ((number | 0) === number ? number | 0 : number);

/** A socket's status after its core's last step; a closed socket's until the first. */
export class Status {
  /** The WebSocket ready state (CLOSED is 3). */
  readyState = 3;
  /** The name of the state: one of STATE_NAMES. */
  state = "closed";
  attempt = 0;
  /** The delay of a waiting state, ms. */
  delay = 0;
  queuedMessages = 0;
  queuedBytes = 0;
  unconfirmedMessages = 0;
  /** Whether the platform's buffer is above the high water mark. */
  congested = false;
  highWaterMark = 0;

  /** Keeps what `Core.status()` returned (read at once: the view is overwritten by the next call). */
  keep(view) {
    this.readyState = kept(view[STATUS.readyState]);
    this.state = STATE_NAMES[view[STATUS.state]];
    this.attempt = kept(view[STATUS.attempt]);
    this.delay = kept(view[STATUS.delay]);
    this.queuedMessages = kept(view[STATUS.queuedMessages]);
    this.queuedBytes = kept(view[STATUS.queuedBytes]);
    this.unconfirmedMessages = kept(view[STATUS.unconfirmedMessages]);
    this.congested = view[STATUS.congested] === 1;
    this.highWaterMark = kept(view[STATUS.highWaterMark]);
  }
}
