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

const addListener = (target, type, listener) => EventTarget.prototype.addEventListener.call(target, type, listener);
const removeListener = (target, type, listener) => EventTarget.prototype.removeEventListener.call(target, type, listener);

/**
 * One socket's handlers (made when the first is set). It is also their
 * listener on the socket, by `handleEvent`, for the types where the
 * platform dispatches.
 */
export class EventHandlers {
  /** The handler of each type, or undefined. */
  open = undefined;
  message = undefined;
  error = undefined;
  close = undefined;
  /** Types whose handler is added as this listener (bits by HANDLER_TYPES). */
  #listening = 0;
  /** Types that other listeners may hear, or that were dispatched from outside: their handler must be a listener. */
  #shared = 0;

  constructor(socket) {
    this.socket = socket;
  }

  /** Sets the handler of `type` (one of HANDLER_TYPES) to `value`, a function or null. */
  set(type, value) {
    const bit = 1 << HANDLER_TYPES.indexOf(type);
    if (value === null) {
      if ((this.#listening & bit) !== 0) removeListener(this.socket, type, this);
      this.#listening &= ~bit;
      this[type] = undefined;
      return;
    }
    this[type] = value;
    if ((this.#shared & bit) !== 0 && (this.#listening & bit) === 0) this.#listen(type, bit);
  }

  /** Others may now hear `type` (any string): a handler of that type becomes a listener, before them. */
  share(type) {
    const index = HANDLER_TYPES.indexOf(type);
    if (index < 0) return;
    const bit = 1 << index;
    this.#shared |= bit;
    if (this[type] !== undefined && (this.#listening & bit) === 0) this.#listen(type, bit);
  }

  #listen(type, bit) {
    this.#listening |= bit;
    addListener(this.socket, type, this);
  }

  /** The handler the socket calls itself for an event of `type`, or undefined if the platform dispatches it. */
  direct(type) {
    const index = HANDLER_TYPES.indexOf(type);
    return index < 0 || (this.#listening & (1 << index)) !== 0 ? undefined : this[type];
  }

  /** As the listener of the types where the platform dispatches: calls that type's handler, with the socket as `this`. */
  handleEvent(event) {
    const type = event.type;
    if (HANDLER_TYPES.includes(type)) this[type]?.call(this.socket, event);
  }
}
