// How the socket dispatches an event through workerd's EventTarget, in the
// workerd bundle (see platform_dispatch.js). workerd's dispatch reads the
// target's `on<type>` property itself and calls what it finds before the
// listeners, with no `this`; and an error a listener throws ends its
// dispatch and comes out of dispatchEvent. The socket's handler already
// runs as the listener of the handlers (handlers.js), so that one read finds
// none: the handler runs once, in its place among the listeners. An error
// out of the dispatch is reported, as the DOM's dispatch reports a
// listener's, so the socket's next event still comes.
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
