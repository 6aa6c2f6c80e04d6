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
//
// workerd's EventTarget reads a target's `on<type>` property itself when it
// dispatches, and calls what it finds before the listeners: there its read
// in a dispatch of the socket's own finds none (platform_dispatch.js), and
// the handler runs once, as the listener of the handlers, as everywhere else.

import { reportThrown } from "./data.js";
import { readByDispatch } from "./platform_dispatch.js";

/** The types that have a handler property, each with its bit in `EventHandlers`' masks. */
export const HANDLER_TYPES = ["open", "message", "error", "close"];

/** How far EventHandlers' bits of shared types are from those of its listening ones. */
const SHARED_SHIFT = HANDLER_TYPES.length;

/** A socket's EventHandlers or null, and made if need be: how this module reaches the class's private field. */
let handlersOf = null;
let madeHandlers = null;

/**
 * The listener of every socket's handlers, where the platform dispatches:
 * called with the socket as `this` (not `event.currentTarget`: Node 20, 22
 * and 24 have it null from the second listener of a dispatch on), a
 * function because Node wraps a `handleEvent` object in an async closure
 * per event type. What a handler throws is reported here, as the platform
 * reports a listener's: workerd's dispatch would skip the listeners after it.
 */
function callHandler(event) {
  try {
    handlersOf(this)?.of(event.type)?.call(this, event);
  } catch (error) {
    reportThrown(error);
  }
}

/**
 * Defines `on<type>` on `prototype` for every type of HANDLER_TYPES: a
 * function, or null (anything else sets null). `of(socket)` gives the
 * socket's EventHandlers or null, `made(socket)` makes them if need be.
 */
export function defineHandlerProperties(prototype, of, made) {
  handlersOf = of;
  madeHandlers = made;
  for (const type of HANDLER_TYPES) {
    Object.defineProperty(prototype, `on${type}`, {
      get() {
        if (readByDispatch(this)) return null;
        return handlersOf(this)?.[type] ?? null;
      },
      set(value) {
        const handler = typeof value === "function" ? value : null;
        if (handler !== null || handlersOf(this) !== null) madeHandlers(this).set(this, type, handler);
      },
      enumerable: true,
      configurable: true,
    });
  }
}

/**
 * One socket's handlers (made when the first is set), and for which types
 * the listener of its handlers is added to the socket's EventTarget. The
 * methods that add or remove that listener are given the socket: the
 * record keeps no reference to it and has no private methods (each would
 * cost every record a field).
 */
export class EventHandlers {
  /** The handler of each type, or undefined. */
  open = undefined;
  message = undefined;
  error = undefined;
  close = undefined;
  /**
   * Bits by HANDLER_TYPES, in one field (8 B less per record than two): the
   * low ones for the types whose handler the listener of the handlers serves;
   * the same shifted up by SHARED_SHIFT for the types that other listeners
   * may hear, or that were dispatched from outside: their handler must be a
   * listener.
   */
  #bits = 0;

  /** Sets the handler of `type` (one of HANDLER_TYPES) of `socket` to `value`, a function or null. */
  set(socket, type, value) {
    const bit = 1 << HANDLER_TYPES.indexOf(type);
    const listening = (this.#bits & bit) !== 0;
    this[type] = value ?? undefined;
    if (value === null) {
      if (listening) EventTarget.prototype.removeEventListener.call(socket, type, callHandler);
      this.#bits &= ~bit;
    } else if ((this.#bits & (bit << SHARED_SHIFT)) !== 0 && !listening) EventHandlers.#listen(this, socket, type, bit);
  }

  /** Others may now hear `type` (any string) on `socket`: a handler of that type becomes a listener, before them. */
  share(socket, type) {
    const index = HANDLER_TYPES.indexOf(type);
    if (index < 0) return;
    const bit = 1 << index;
    this.#bits |= bit << SHARED_SHIFT;
    if (this[type] !== undefined && (this.#bits & bit) === 0) EventHandlers.#listen(this, socket, type, bit);
  }

  /** Makes the listener of the `handlers` of `socket` a listener of `type` (its bit `bit`). */
  static #listen(handlers, socket, type, bit) {
    handlers.#bits |= bit;
    EventTarget.prototype.addEventListener.call(socket, type, callHandler);
  }

  /** The handler the socket calls itself for an event of `type`, or undefined if the platform dispatches it. */
  direct(type) {
    const index = HANDLER_TYPES.indexOf(type);
    return index < 0 || (this.#bits & (1 << index)) !== 0 ? undefined : this[type];
  }

  /** The handler of `type` (for the listener of the handlers), or undefined. */
  of(type) {
    return HANDLER_TYPES.includes(type) ? this[type] : undefined;
  }
}
