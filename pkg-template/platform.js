// The platform side: one WebSocket at a time with its listeners, and the
// page's online/offline/visibility signals. Every listener is counted while
// attached (steadysocketDiagnostics), so tests can prove none is left behind.

let attachedListeners = 0;

/** Platform listeners attached now, across all sockets. */
export function liveListeners() {
  return attachedListeners;
}

/**
 * Adds `listener` (a function or an object with `handleEvent`, as DOM and
 * `ws` take) to `target` for every type of `types`; returns the function
 * that removes them. One listener for all types keeps a socket's memory to
 * one object instead of a closure per type.
 */
function attach(target, types, listener) {
  for (const type of types) target.addEventListener(type, listener);
  attachedListeners += types.length;
  return () => {
    for (const type of types) target.removeEventListener(type, listener);
    attachedListeners -= types.length;
  };
}

const SOCKET_EVENTS = ["open", "message", "error", "close"];

const ignore = () => {};

/**
 * A platform WebSocket opened with `Constructor`, `binaryType` "arraybuffer",
 * its listeners attached before it can open. It calls `report("open",
 * protocol, extensions)`, `report("message", data)`, `report("error")` and
 * `report("closed", code, reason, wasClean)` (one function, so a connection
 * holds one closure); after "closed" (reported once) nothing more is.
 *
 * - Protocols were offered and the server chose none: the connection fails
 *   (WHATWG; Firefox opens anyway), reported as an error and a 1006 close.
 * - An error before `open` ends the attempt: browsers follow it with a close
 *   event, Node 20 does not, so the close is reported here.
 */
export class PlatformSocket {
  #ws;
  #detach;
  #report;
  #opened = false;
  #protocols;

  constructor(Constructor, url, protocols, report) {
    this.#ws = protocols.length > 0 ? new Constructor(url, protocols) : new Constructor(url);
    this.#ws.binaryType = "arraybuffer";
    this.#report = report;
    this.#protocols = protocols;
    this.#detach = attach(this.#ws, SOCKET_EVENTS, this);
  }

  /** The platform socket's events (this object is their one listener). */
  handleEvent(event) {
    const report = this.#report;
    switch (event.type) {
      case "open":
        this.#opened = true;
        if (this.#protocols.length > 0 && !this.#ws.protocol) {
          report("error");
          this.#finish(1006, "", false);
          return;
        }
        return report("open", this.#ws.protocol ?? "", this.#ws.extensions ?? "");
      case "message":
        return report("message", event.data);
      case "error":
        report("error");
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
    if (this.#detach === null) return;
    this.abandon();
    this.#report("closed", code, reason, wasClean);
  }

  /**
   * Detaches every listener and closes the platform socket if it is still
   * connecting or open (1000 if open); nothing is reported after this. Its
   * late error (Node fires one inside close()) goes to a no-op listener.
   */
  abandon() {
    if (this.#detach === null) return;
    this.#detach();
    this.#detach = null;
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
  const stops = [];
  if (typeof page?.addEventListener === "function") {
    stops.push(attach(page, ["online", "offline"], (event) => (event.type === "online" ? on.online() : on.offline())));
  }
  if (typeof document?.addEventListener === "function") {
    stops.push(attach(document, ["visibilitychange"], () => document.visibilityState === "visible" && on.visible()));
  }
  return () => stops.forEach((stop) => stop());
}

/** Whether the page says it starts offline. */
export const startsOffline = () => globalThis.navigator?.onLine === false;
