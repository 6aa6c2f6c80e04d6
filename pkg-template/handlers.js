// The `onopen`, `onmessage`, `onerror` and `onclose` properties, as
// WebSocket has them: one handler each, called with the socket as `this`,
// after the listeners added before it was set; anything but a function is
// null.

const TYPES = ["open", "message", "error", "close"];
/** Each socket's handlers, by event type. */
const handlers = new WeakMap();

/** Listens on `target` for the events its handler properties call. */
export function listenForHandlers(target) {
  const own = { open: null, message: null, error: null, close: null };
  handlers.set(target, own);
  for (const type of TYPES) {
    target.addEventListener(type, (event) => own[type]?.call(target, event));
  }
}

/** Defines `on<type>` on `prototype` for every type. */
export function defineHandlerProperties(prototype) {
  for (const type of TYPES) {
    Object.defineProperty(prototype, `on${type}`, {
      get() {
        return handlers.get(this)?.[type] ?? null;
      },
      set(handler) {
        const own = handlers.get(this);
        if (own) own[type] = typeof handler === "function" ? handler : null;
      },
      enumerable: true,
      configurable: true,
    });
  }
}
