// The platform side: one WebSocket at a time with its listeners, and the
// page's online/offline/visibility signals. Every listener is counted while
// attached (steadysocketDiagnostics), so tests can prove none is left behind.

import { Input } from "./abi.js";
import { acceptsChosenProtocol } from "./validation.js";

let attachedListeners = 0;

/** Platform listeners attached now, across all sockets. */
export function liveListeners() {
  return attachedListeners;
}

/**
 * Adds `listener` to `target` for every type of `types`: a function with
 * `addEventListener`, or, for an EventEmitter, a record of one function per
 * type with `on`; in the capture phase if `capture`. One listener for all
 * types keeps a socket's memory to one closure instead of one per type.
 */
function attach(target, types, listener, capture) {
  for (const type of types) {
    if (typeof listener === "function") target.addEventListener(type, listener, capture);
    else target.on(type, listener[type]);
  }
  attachedListeners += types.length;
}

/** Removes what `attach(target, types, listener, capture)` added. */
function detach(target, types, listener, capture) {
  for (const type of types) {
    if (typeof listener === "function") target.removeEventListener(type, listener, capture);
    else target.off(type, listener[type]);
  }
  attachedListeners -= types.length;
}

const SOCKET_EVENTS = ["open", "message", "error", "close"];
/** What stays attached once the socket opened (the `ws` package keeps a closure for each type attached). */
const OPEN_EVENTS = ["message", "error", "close"];

const ignore = () => {};

/** The property of a `ws` package socket that names the PlatformSocket listening to it. */
const OWNER = Symbol();

/**
 * Whether `ws`, just made, is the `ws` package's socket: an EventEmitter
 * whose binary data comes as Node Buffers until told otherwise.
 */
const isWsPackage = (ws) => ws.binaryType === "nodebuffer" && typeof ws.on === "function";

/**
 * What the source of a `send` that copies binary data before it returns
 * shows: the platform's own shows no body; undici's (Node) begins
 * `webidl.brandCheck(this, …)`, Deno's `webidl.assertBranded(this, …)`. The
 * Rust face declares the same marks (`core::platform_send`); the sources
 * in tests/vectors.json check both.
 */
const COPYING_SEND = /\[native code\]|brandCheck\(this|assertBranded\(this/;

/** What each `send` function seen so far was found to do (no field per socket, one lookup per binary send). */
const copyingBySend = new WeakMap();

/**
 * Whether `ws.send` takes the bytes of a binary message at the call, as
 * WebSocket's does. The `ws` package's may read the caller's buffer later
 * (while an earlier message is being compressed), and so may a subclass
 * or a double that overrides `send`: for those the class sends a copy.
 */
export function sendCopiesAtOnce({ send }) {
  if (typeof send !== "function") return false;
  let copies = copyingBySend.get(send);
  if (copies === undefined) {
    try {
      copies = COPYING_SEND.test(String(send));
    } catch {
      copies = false; // a send whose source cannot be read is not trusted
    }
    copyingBySend.set(send, copies);
  }
  return copies;
}

/**
 * The one function every connection reports to, with its owner as the
 * first argument (set once by the class: a connection keeps no reference
 * to it, nor a closure of its own).
 */
let report = null;

/** Makes `reporter` the function every PlatformSocket reports to (see PlatformSocket). */
export function reportTo(reporter) {
  report = reporter;
}

/**
 * A platform WebSocket opened with `Constructor`, `binaryType` "arraybuffer",
 * its listeners attached before it can open. It calls the function given to
 * `reportTo` as `report(owner, "open", protocol, extensions)`,
 * `report(owner, "message", data)`, `report(owner, "error")` and
 * `report(owner, "closed", code, reason, wasClean)`; after "closed"
 * (reported once) nothing more is. Its handlers are static methods given
 * the connection: private instance methods would cost every connection a
 * field.
 *
 * - The server chose none of the protocols offered, or one not offered: the
 *   connection fails (RFC 6455, WHATWG; Firefox and Deno open anyway),
 *   reported as an error and a 1006 close.
 * - An error before `open` ends the attempt: browsers follow it with a close
 *   event, Node 20 does not, so the close is reported here.
 * - The `ws` package's socket is listened to with `on`, as the EventEmitter
 *   it is: its `addEventListener` wraps every listener in a closure of its
 *   own and makes an event object per message.
 */
export class PlatformSocket {
  #ws;
  /**
   * While attached, the listener of the platform socket's event types: one
   * function, or PlatformSocket.#wsListeners for the `ws` package; else null.
   */
  #listener;
  #owner;
  /** The protocols offered, until the socket opens; null once it has. */
  #protocols;
  #origin = null;

  constructor(Constructor, url, protocols, owner) {
    const ws = protocols.length > 0 ? new Constructor(url, protocols) : new Constructor(url);
    this.#ws = ws;
    const emitter = isWsPackage(ws);
    ws.binaryType = "arraybuffer";
    this.#owner = owner;
    this.#protocols = protocols;
    if (emitter) {
      ws[OWNER] = this;
      this.#listener = PlatformSocket.#wsListeners;
    } else {
      // A function, not this object with `handleEvent`: Node's EventTarget
      // (its global WebSocket's) wraps such an object in an async function
      // per type, which costs a promise per event (1.7 µs a dispatch against
      // 0.1 µs for a function, measured in Node 20) and four closures.
      this.#listener = (event) => PlatformSocket.#handle(this, event);
    }
    attach(ws, SOCKET_EVENTS, this.#listener);
  }

  /**
   * The listeners of every `ws` package socket, called with it as `this`
   * and `ws`'s own arguments: a text message is a Buffer with `isBinary`
   * false (a string in `ws` 7, which passes no `isBinary`), and `wasClean`
   * is what `ws`'s own CloseEvent says (where its close-frame flags are
   * missing, as in Bun's stand-in for `ws`, a close other than 1006).
   */
  static #wsListeners = {
    open() {
      PlatformSocket.#onOpen(this[OWNER]);
    },
    message(data, isBinary) {
      report(this[OWNER].#owner, "message", isBinary === false ? String(data) : data);
    },
    error() {
      PlatformSocket.#onError(this[OWNER]);
    },
    close(code, reason) {
      const handshake = this._closeFrameReceived;
      const wasClean = typeof handshake === "boolean" ? handshake && this._closeFrameSent : code !== 1006;
      PlatformSocket.#finish(this[OWNER], code, String(reason), Boolean(wasClean));
    },
  };

  /** The events of `platform`'s socket (an EventTarget's). */
  static #handle(platform, event) {
    switch (event.type) {
      case "open":
        return PlatformSocket.#onOpen(platform);
      case "message":
        return report(platform.#owner, "message", event.data);
      case "error":
        return PlatformSocket.#onError(platform);
      case "close":
        // The core makes the code what WHATWG says (Deno reports a dropped connection as 0).
        return PlatformSocket.#finish(platform, event.code, event.reason ?? "", Boolean(event.wasClean));
    }
  }

  static #onOpen(platform) {
    const offered = platform.#protocols;
    platform.#protocols = null;
    detach(platform.#ws, ["open"], platform.#listener);
    if (!acceptsChosenProtocol(offered, platform.#ws.protocol ?? "")) {
      report(platform.#owner, "error");
      PlatformSocket.#finish(platform, 1006, "", false);
      return;
    }
    report(platform.#owner, "open", platform.#ws.protocol ?? "", platform.#ws.extensions ?? "");
  }

  static #onError(platform) {
    report(platform.#owner, "error");
    if (platform.#protocols !== null) PlatformSocket.#finish(platform, 1006, "", false);
  }

  /** The platform socket itself (for direct sends while open). */
  get ws() {
    return this.#ws;
  }

  /** The origin of its URL, as a platform message event gives it; made on the first message. */
  get origin() {
    return (this.#origin ??= new URL(this.#ws.url).origin);
  }

  static #finish(platform, code, reason, wasClean) {
    if (platform.#listener === null) return;
    platform.abandon();
    report(platform.#owner, "closed", code, reason, wasClean);
  }

  /**
   * Detaches every listener and closes the platform socket if it is still
   * connecting or open (1000 if open); nothing is reported after this. A
   * late error of a socket not yet closed goes to a no-op listener: Node
   * fires one inside close(), and the `ws` package's socket, still closing,
   * emits one for a bad frame, which with no listener would throw.
   */
  abandon() {
    if (this.#listener === null) return;
    detach(this.#ws, this.#protocols === null ? OPEN_EVENTS : SOCKET_EVENTS, this.#listener);
    this.#listener = null;
    const state = this.#ws.readyState;
    if (state > 2) return;
    this.#ws.addEventListener("error", ignore);
    if (state > 1) return;
    try {
      if (state === 1) this.#ws.close(1000);
      else this.#ws.close();
    } catch {
      // A platform that refuses to close what it is connecting has nothing to close.
    }
  }
}

/**
 * The function that stops watching the page for each owner that watches it
 * (browsers only; a field of each socket's would cost every socket 8 B in
 * the runtimes, where there is no page).
 */
const pageWatchers = new Map();

/**
 * Calls `feed` with the core's input for each of the page's signals
 * (`online`, `offline`, visible again, shown again from the back/forward
 * cache; browsers, in a page or a worker) until `unwatchPage(owner)`; does
 * nothing where the platform does not say whether it is online and has no
 * document (Node, Deno, Bun, workerd). Heard in the capture phase: an
 * engine that runs a target's capture listeners first (WebKit) tells the
 * socket before the app's own `pageshow`, so what the app sends there
 * finds the lost connection already replaced.
 */
export function watchPage(owner, feed) {
  const { navigator, document } = globalThis;
  const watched = [];
  // `online` and `offline` fire on the global scope: the window in a page,
  // the worker's own scope in a worker (which has no `window`).
  if (typeof navigator?.onLine === "boolean" && typeof globalThis.addEventListener === "function") {
    watched.push([globalThis, ["online", "offline"], (event) => feed(event.type === "online" ? Input.ONLINE : Input.OFFLINE)]);
  }
  if (typeof document?.addEventListener === "function") {
    watched.push([document, ["visibilitychange"], () => document.visibilityState === "visible" && feed(Input.VISIBLE)]);
    watched.push([globalThis, ["pageshow"], (event) => event.persisted && feed(Input.RESTORED)]);
  }
  if (watched.length === 0) return;
  for (const [target, types, listener] of watched) attach(target, types, listener, true);
  pageWatchers.set(owner, () => watched.forEach(([target, types, listener]) => detach(target, types, listener, true)));
}

/** Stops what `watchPage(owner, …)` started, if anything. */
export function unwatchPage(owner) {
  pageWatchers.get(owner)?.();
  pageWatchers.delete(owner);
}

/** Whether the page says it starts offline. */
export const startsOffline = () => globalThis.navigator?.onLine === false;
