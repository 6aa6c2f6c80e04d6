// What the class keeps of its core's status after each step, for the
// getters and the send path to read without a call into the wasm (and
// within `shouldReconnect` or `retryAfter`, while the core is busy).
//
// Most sockets spend their life in a status that is its state and nothing
// more: open with nothing queued, unconfirmed or congested; the first
// attempt; closed. Such a status is one frozen object per state, shared by
// every socket, so an idle socket keeps no status object of its own (each
// kept one of 112 B before). A socket whose status has more (a later
// attempt, a delay, messages held, congestion) gets an object of its own,
// updated in place after each step until its status is plain again.
import { STATE_NAMES, STATUS_SLOTS } from "./abi.js";

/** A status number as a field keeps it: a whole number as a small integer, which V8 stores without a box. */
const kept = (number) => ((number | 0) === number ? number | 0 : number);

const STATE_SLOT = STATUS_SLOTS.indexOf("state");
/** The positions of the fields that are 0 in a plain status (all but the state and its ready state). */
const EXTRA_SLOTS = STATUS_SLOTS.flatMap((name, i) => (name === "state" || name === "readyState" ? [] : [i]));

/**
 * A socket's status after its core's last step, `{ state, attempt, delay,
 * readyState, queuedMessages, … }` (the fields of STATUS_SLOTS, numbers).
 */
export class Status {
  constructor(view) {
    this.keep(view);
  }

  /** The state as the `state` getter gives it: `{ type, attempt?, delay? }`, with what that type has. */
  described() {
    const type = STATE_NAMES[this.state];
    if (type === "waiting") return { type, attempt: this.attempt, delay: this.delay };
    return type === "connecting" || type === "offline" ? { type, attempt: this.attempt } : { type };
  }

  /** Keeps what `view` holds (read at once: `Core.status`'s view is overwritten by the next call). */
  keep(view) {
    STATUS_SLOTS.forEach((name, i) => {
      this[name] = kept(view[i]);
    });
    return this;
  }
}

/** The shared plain status of each state, by its number; made when first needed. */
const plain = [];

/** Whether `view` holds a state and nothing more. */
const isPlain = (view) => EXTRA_SLOTS.every((i) => view[i] === 0);

/**
 * The status of a socket whose status was `current` (null for none) and
 * whose core now reports `view`: the shared one of its state if it is plain,
 * else `current` updated if it is the socket's own, else a new one.
 */
export function statusAfter(current, view) {
  if (isPlain(view)) {
    const state = view[STATE_SLOT];
    return (plain[state] ??= Object.freeze(new Status(view)));
  }
  return current === null || plain[current.state] === current ? new Status(view) : current.keep(view);
}

/** The status of a socket that has no core: closed for good (the ready state CLOSED). */
export const CLOSED_STATUS = statusAfter(
  null,
  STATUS_SLOTS.map((name) => (name === "state" ? STATE_NAMES.indexOf("closed") : name === "readyState" ? 3 : 0)),
);
