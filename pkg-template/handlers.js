// The `onopen`, `onmessage`, `onerror` and `onclose` properties, as
// WebSocket has them (WHATWG event handlers): one handler each, called with
// the socket as `this`; anything but a function is null. A socket's listener
// for a type is added when its handler is first set (so it runs after the
// listeners added before that, and before those added after) and removed
// when it is set to null; a socket that sets none holds none.

const TYPES = ["open", "message", "error", "close"];
/** Each socket's `{ handler, listener }` by event type, for the types it set. */
const handlers = new WeakMap();

/** Sets `target`'s handler for `type` to `value` (a function or null). */
function setHandler(target, type, value) {
  let own = handlers.get(target);
  const current = own?.[type];
  if (current !== undefined && value !== null) {
    current.handler = value;
    return;
  }
  if (current !== undefined) {
    target.removeEventListener(type, current.listener);
    delete own[type];
    return;
  }
  if (value === null) return;
  if (own === undefined) handlers.set(target, (own = {}));
  const entry = { handler: value, listener: (event) => entry.handler.call(target, event) };
  own[type] = entry;
  target.addEventListener(type, entry.listener);
}

/** Defines `on<type>` on `prototype` for every type. */
export function defineHandlerProperties(prototype) {
  for (const type of TYPES) {
    Object.defineProperty(prototype, `on${type}`, {
      get() {
        return handlers.get(this)?.[type]?.handler ?? null;
      },
      set(handler) {
        setHandler(this, type, typeof handler === "function" ? handler : null);
      },
      enumerable: true,
      configurable: true,
    });
  }
}
