// The `onopen`, `onmessage`, `onerror` and `onclose` properties, as
// WebSocket has them (WHATWG event handlers): one handler each, called with
// the socket as `this`; anything but a function is null. A socket's listener
// for a type is added when its handler is first set (so it runs after the
// listeners added before that, and before those added after) and removed
// when it is set to null; a socket that sets none holds none.

const TYPES = ["open", "message", "error", "close"];
/** Each socket's handlers by event type (undefined for a type it has not set). */
const handlers = new WeakMap();

/**
 * The one listener of every socket's handlers, so setting them holds no
 * closure per socket. The socket is `this`, as a listener is called with
 * the event's current target (not `event.currentTarget` itself: Node 20's
 * EventTarget has it null from the second listener of a dispatch on).
 */
function callHandler(event) {
  handlers.get(this)?.[event.type]?.call(this, event);
}

/** Sets `target`'s handler for `type` to `value` (a function or null). */
function setHandler(target, type, value) {
  let own = handlers.get(target);
  const isSet = own?.[type] !== undefined;
  if (value === null) {
    if (!isSet) return;
    target.removeEventListener(type, callHandler);
    own[type] = undefined;
    return;
  }
  if (own === undefined) {
    own = { open: undefined, message: undefined, error: undefined, close: undefined };
    handlers.set(target, own);
  }
  own[type] = value;
  if (!isSet) target.addEventListener(type, callHandler);
}

/** Defines `on<type>` on `prototype` for every type. */
export function defineHandlerProperties(prototype) {
  for (const type of TYPES) {
    Object.defineProperty(prototype, `on${type}`, {
      get() {
        return handlers.get(this)?.[type] ?? null;
      },
      set(handler) {
        setHandler(this, type, typeof handler === "function" ? handler : null);
      },
      enumerable: true,
      configurable: true,
    });
  }
}
