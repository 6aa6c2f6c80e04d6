// The platform side: one WebSocket at a time with its listeners, and the
// page's online/offline/visibility signals. Every listener is counted while
// attached (steadysocketDiagnostics), so tests can prove none is left behind.

let attachedListeners = 0;

/** Platform listeners attached now, across all sockets. */
export function liveListeners() {
  return attachedListeners;
}

/**
 * Adds the function `listener` to `target` for every type of `types`. One
 * listener for all types keeps a socket's memory to one closure instead of
 * one per type.
 */
function attach(target, types, listener) {
  for (const type of types) target.addEventListener(type, listener);
  attachedListeners += types.length;
}

/** Removes what `attach(target, types, listener)` added. */
function detach(target, types, listener) {
  for (const type of types) target.removeEventListener(type, listener);
  attachedListeners -= types.length;
}

const SOCKET_EVENTS = ["open", "message", "error", "close"];
/** What stays attached once the socket opened (the `ws` package keeps a closure for each type attached). */
const OPEN_EVENTS = ["message", "error", "close"];

const ignore = () => {};

/**
 * A platform WebSocket opened with `Constructor`, `binaryType` "arraybuffer",
 * its listeners attached before it can open. It calls `report(owner, "open",
 * protocol, extensions)`, `report(owner, "message", data)`, `report(owner,
 * "error")` and `report(owner, "closed", code, reason, wasClean)` (one
 * function for every connection and its owner as an argument, so a
 * connection holds no closure of its own); after "closed" (reported once)
 * nothing more is.
 *
 * - Protocols were offered and the server chose none: the connection fails
 *   (WHATWG; Firefox opens anyway), reported as an error and a 1006 close.
 * - An error before `open` ends the attempt: browsers follow it with a close
 *   event, Node 20 does not, so the close is reported here.
 */
export class PlatformSocket {
  #ws;
  /** The one listener of the platform socket's four event types while attached, else null. */
  #listener;
  #report;
  #owner;
  #opened = false;
  #protocols;

  constructor(Constructor, url, protocols, report, owner) {
    this.#ws = protocols.length > 0 ? new Constructor(url, protocols) : new Constructor(url);
    this.#ws.binaryType = "arraybuffer";
    this.#report = report;
    this.#owner = owner;
    this.#protocols = protocols;
    // A function, not this object with `handleEvent`: Node's EventTarget
    // (its global WebSocket's) wraps such an object in an async function
    // per type, which costs a promise per event (1.7 µs a dispatch against
    // 0.1 µs for a function, measured in Node 20) and four closures.
    this.#listener = (event) => this.#handle(event);
    attach(this.#ws, SOCKET_EVENTS, this.#listener);
  }

  /** The platform socket's events. */
  #handle(event) {
    const report = this.#report;
    const owner = this.#owner;
    switch (event.type) {
      case "open":
        this.#opened = true;
        detach(this.#ws, ["open"], this.#listener);
        if (this.#protocols.length > 0 && !this.#ws.protocol) {
          report(owner, "error");
          this.#finish(1006, "", false);
          return;
        }
        return report(owner, "open", this.#ws.protocol ?? "", this.#ws.extensions ?? "");
      case "message":
        return report(owner, "message", event.data);
      case "error":
        report(owner, "error");
        if (!this.#opened) this.#finish(1006, "", false);
        return;
      case "close":
        // The core makes the code what WHATWG says (Deno reports a dropped connection as 0).
        return this.#finish(event.code, event.reason ?? "", Boolean(event.wasClean));
    }
  }

  /** The platform socket itself (for direct sends while open). */
  get ws() {
    return this.#ws;
  }

  #finish(code, reason, wasClean) {
    if (this.#listener === null) return;
    this.abandon();
    this.#report(this.#owner, "closed", code, reason, wasClean);
  }

  /**
   * Detaches every listener and closes the platform socket if it is still
   * connecting or open (1000 if open); nothing is reported after this. Its
   * late error (Node fires one inside close()) goes to a no-op listener.
   */
  abandon() {
    if (this.#listener === null) return;
    detach(this.#ws, this.#opened ? OPEN_EVENTS : SOCKET_EVENTS, this.#listener);
    this.#listener = null;
    const state = this.#ws.readyState;
    if (state > 1) return;
    this.#ws.addEventListener("error", ignore);
    try {
      if (state === 1) this.#ws.close(1000);
      else this.#ws.close();
    } catch {
      // A platform that refuses to close what it is connecting has nothing to close.
    }
  }
}

/**
 * Calls `on.online()`, `on.offline()` and `on.visible()` on the page's
 * signals (browsers); returns the function that stops, or null where there
 * is no page to watch (Node, Deno, Bun).
 */
export function watchPage(on) {
  const { window: page, document } = globalThis;
  if (typeof page?.addEventListener !== "function" && typeof document?.addEventListener !== "function") return null;
  const watched = [];
  if (typeof page?.addEventListener === "function") {
    watched.push([page, ["online", "offline"], (event) => (event.type === "online" ? on.online() : on.offline())]);
  }
  if (typeof document?.addEventListener === "function") {
    watched.push([document, ["visibilitychange"], () => document.visibilityState === "visible" && on.visible()]);
  }
  for (const [target, types, listener] of watched) attach(target, types, listener);
  return () => watched.forEach(([target, types, listener]) => detach(target, types, listener));
}

/** Whether the page says it starts offline. */
export const startsOffline = () => globalThis.navigator?.onLine === false;
