// The `onopen`, `onmessage`, `onerror` and `onclose` properties, as
// WebSocket has them (WHATWG event handlers): one handler each, called with
// the socket as `this`; anything but a function is null. A handler runs
// after the listeners added before it was first set and before those added
// after; setting it to null removes it.
//
// While nothing else listens for its type, a handler is not a listener of
// the socket's EventTarget: the socket calls it itself (SocketEvent's
// `deliverTo`), which spares the platform's dispatch on every message and
// the listener lists an EventTarget makes for its first listener (408 B per
// socket in Node 24). The first listener added for the type, or an event of
// the type dispatched from outside, makes the handler a listener in its
// place, for good; from then on the platform dispatches as before.

/** The types that have a handler property, each with its bit in `EventHandlers`' masks. */
export const HANDLER_TYPES = ["open", "message", "error", "close"];

/** What the socket must do to its EventTarget after a change of its handlers: nothing, add the listener of its handlers for the type, or remove it. */
export const KEEP_LISTENER = 0;
export const ADD_LISTENER = 1;
export const REMOVE_LISTENER = 2;

/**
 * One socket's handlers (made when the first is set), and for which types
 * the socket's listener of its handlers is added to its EventTarget. The
 * socket adds and removes that listener, as `set` and `share` say.
 */
export class EventHandlers {
  /** The handler of each type, or undefined. */
  open = undefined;
  message = undefined;
  error = undefined;
  close = undefined;
  /** Types whose handler the listener of the handlers serves (bits by HANDLER_TYPES). */
  #listening = 0;
  /** Types that other listeners may hear, or that were dispatched from outside: their handler must be a listener. */
  #shared = 0;

  /** Sets the handler of `type` (one of HANDLER_TYPES) to `value`, a function or null; says what to do with the listener. */
  set(type, value) {
    const bit = 1 << HANDLER_TYPES.indexOf(type);
    const listening = (this.#listening & bit) !== 0;
    this[type] = value ?? undefined;
    if (value === null) {
      this.#listening &= ~bit;
      return listening ? REMOVE_LISTENER : KEEP_LISTENER;
    }
    return (this.#shared & bit) !== 0 && !listening ? this.#listen(bit) : KEEP_LISTENER;
  }

  /** Others may now hear `type` (any string): a handler of that type must become a listener, before them. */
  share(type) {
    const index = HANDLER_TYPES.indexOf(type);
    if (index < 0) return KEEP_LISTENER;
    const bit = 1 << index;
    this.#shared |= bit;
    return this[type] !== undefined && (this.#listening & bit) === 0 ? this.#listen(bit) : KEEP_LISTENER;
  }

  #listen(bit) {
    this.#listening |= bit;
    return ADD_LISTENER;
  }

  /** The handler the socket calls itself for an event of `type`, or undefined if the platform dispatches it. */
  direct(type) {
    const index = HANDLER_TYPES.indexOf(type);
    return index < 0 || (this.#listening & (1 << index)) !== 0 ? undefined : this[type];
  }

  /** The handler of `type` (for the listener of the handlers), or undefined. */
  of(type) {
    return HANDLER_TYPES.includes(type) ? this[type] : undefined;
  }
}
