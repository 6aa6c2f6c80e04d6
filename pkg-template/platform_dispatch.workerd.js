// How the socket dispatches an event through workerd's EventTarget, in the
// workerd bundle (see platform_dispatch.js). workerd's dispatch reads the
// target's `on<type>` property itself and calls what it finds before the
// listeners, with no `this`; and an error a listener throws ends its
// dispatch and comes out of dispatchEvent. The socket's handler already
// runs as the listener of the handlers (handlers.js), so that one read finds
// none: the handler runs once, in its place among the listeners. Each
// listener is added as a guard that reports what it throws, as the DOM's
// dispatch reports a listener's, so the listeners after it still hear the
// event; an error out of the dispatch all the same is reported too, so the
// socket's next event still comes.
import { reportThrown } from "./data.js";
import { HANDLER_TYPES } from "./handlers.js";

/** The socket whose next read of `on<type>` is workerd's dispatch looking for a handler, or null. */
let reader = null;

/** Dispatches `event` to the listeners of `socket`, as `EventTarget.dispatchEvent`. */
export function dispatchThroughPlatform(socket, event) {
  // Not an event: the platform's TypeError, as is.
  if (!(event instanceof Event)) return EventTarget.prototype.dispatchEvent.call(socket, event);
  reader = HANDLER_TYPES.includes(event.type) ? socket : null;
  try {
    return EventTarget.prototype.dispatchEvent.call(socket, event);
  } catch (error) {
    reportThrown(error);
    return !event.defaultPrevented;
  } finally {
    reader = null;
  }
}

/** Whether this read of an `on<type>` property of `socket` is workerd's dispatch looking for a handler (its first in a dispatch). */
export function readByDispatch(socket) {
  if (reader !== socket) return false;
  reader = null;
  return true;
}

/** Each listener's guards: listener → "type capture" → the guard added in its place. */
const guards = new WeakMap();

/** The guard of `listener` for `type` and `options`' capture; made if `make`, else undefined if there is none. */
function guardOf(listener, type, options, make) {
  if (listener === null || (typeof listener !== "function" && typeof listener !== "object")) return listener;
  const key = `${type} ${typeof options === "boolean" ? options : Boolean(options?.capture)}`;
  let byKey = guards.get(listener);
  if (byKey === undefined) {
    if (!make) return listener;
    guards.set(listener, (byKey = new Map()));
  }
  let guard = byKey.get(key);
  if (guard === undefined && make) {
    guard = function (event) {
      try {
        if (typeof listener === "function") return listener.call(this ?? event.currentTarget, event);
        return listener.handleEvent(event);
      } catch (error) {
        reportThrown(error);
      }
    };
    byKey.set(key, guard);
  }
  return guard ?? listener;
}

/**
 * Makes `prototype`'s addEventListener and removeEventListener add and
 * remove each listener's guard in its place (as methods are: not enumerable).
 */
export function guardListeners(prototype) {
  const { addEventListener: add, removeEventListener: remove } = prototype;
  Object.defineProperties(prototype, {
    addEventListener: {
      value: function addEventListener(type, listener, options) {
        return add.call(this, type, guardOf(listener, String(type), options, true), options);
      },
    },
    removeEventListener: {
      value: function removeEventListener(type, listener, options) {
        return remove.call(this, type, guardOf(listener, String(type), options, false), options);
      },
    },
  });
}
