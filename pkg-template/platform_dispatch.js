// How the socket dispatches an event through the platform's EventTarget.
// The dispatch of browsers, Node, Deno and Bun calls listeners only (a
// handler that others listen with is one of them: handlers.js), and reports
// an error a listener throws. The workerd bundle has
// platform_dispatch.workerd.js in its place.

/** Dispatches `event` to the listeners of `socket`, as `EventTarget.dispatchEvent`. */
export const dispatchThroughPlatform = (socket, event) => EventTarget.prototype.dispatchEvent.call(socket, event);

/** Whether this read of an `on<type>` property of `socket` is the platform's dispatch looking for a handler. */
export const readByDispatch = () => false;

/** Where the platform's dispatch reports what a listener throws and goes on, listeners are added as they are. */
export const guardListeners = () => {};
