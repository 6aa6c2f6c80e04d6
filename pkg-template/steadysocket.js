// steadysocket: a WebSocket-compatible client that reconnects with jittered
// backoff, built on the steadysocket wasm core.
//
// Importing this module does nothing: the wasm is instantiated on the first
// `new SteadySocket(...)`, once.
import { initSync, liveListeners, SteadySocket as Core } from "./core.js";
import wasmBase64 from "./core_wasm.js";

let coreExports = null;

/** Instantiates the wasm core once, synchronously, on first use. */
function ensureCore() {
  if (coreExports) return;
  const binary = atob(wasmBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  coreExports = initSync({ module: bytes });
}

const STATES = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 };
const HANDLER_TYPES = ["open", "message", "error", "close"];
// Messages are not among them: the class listens to the platform socket itself.
const CORE_EVENTS = ["open", "error", "close", "connecting", "reconnecting", "giveup", "attemptfailed", "dropped"];
const utf8 = new TextEncoder();

/** An `Event` of `type` carrying `fields` as read-only properties. */
function lifecycleEvent(type, fields) {
  const event = new Event(type);
  for (const [name, value] of Object.entries(fields)) {
    Object.defineProperty(event, name, { value, enumerable: true });
  }
  return event;
}

/**
 * The heartbeat reply test of `heartbeat: { ping, pong }`: `pong` text (else
 * `ping`) or a function of the data; null without a heartbeat. The core
 * checks the option's values.
 */
function pongMatcher(heartbeat) {
  if (heartbeat === undefined || heartbeat === null) return null;
  const pong = heartbeat.pong ?? heartbeat.ping;
  if (typeof pong !== "function") return (data) => data === pong;
  return (data) => {
    try {
      return Boolean(pong(data));
    } catch {
      return false;
    }
  };
}

/**
 * The acknowledgement test of `acknowledge: { keyOf, ackOf }`: the key an
 * incoming message acknowledges, or null; null without the option. The core
 * checks the option's values.
 */
function ackMatcher(acknowledge) {
  const ackOf = acknowledge?.ackOf;
  if (typeof ackOf !== "function") return null;
  return (data) => {
    try {
      return ackOf(data) ?? null;
    } catch {
      return null;
    }
  };
}

/** Turns an error thrown by the core into what the WHATWG WebSocket would throw. */
function translate(error) {
  const message = error instanceof Error ? error.message : String(error);
  if (/^(invalid WebSocket URL|invalid subprotocol|subprotocol .* is offered more than once)/.test(message)) {
    return new DOMException(message, "SyntaxError");
  }
  if (/^(invalid option|option |the URL must|protocols must|every protocol)/.test(message)) {
    return new TypeError(message);
  }
  if (/^cannot send while the socket is/.test(message)) {
    return new DOMException(message, "InvalidStateError");
  }
  return error instanceof Error ? error : new Error(message);
}

/** Checks close() arguments as the WHATWG WebSocket does, with messages that say what is allowed. */
function checkClose(code, reason) {
  if (code !== undefined) {
    const number = Number(code);
    if (!Number.isInteger(number) || (number !== 1000 && (number < 3000 || number > 4999))) {
      throw new DOMException(
        `close code ${String(code)} is not allowed: use 1000 or a code from 3000 to 4999`,
        "InvalidAccessError",
      );
    }
  }
  if (reason !== undefined) {
    const bytes = utf8.encode(String(reason)).length;
    if (bytes > 123) {
      throw new DOMException(`close reason is ${bytes} bytes of UTF-8; at most 123 are allowed`, "SyntaxError");
    }
  }
}

/**
 * A drop-in for `WebSocket` (and for the `ReconnectingWebSocket(url,
 * protocols, options)` constructor) that reconnects with jittered
 * exponential backoff, queues what is sent while disconnected, and stops
 * when closed.
 */
export class SteadySocket extends EventTarget {
  #core = null;
  #arguments;
  #url;
  #binaryType = "blob";
  #handlers = { open: null, message: null, error: null, close: null };
  #blobChain = null;
  /** The current platform socket, whose messages this class listens to. */
  #platform = null;
  /** The platform socket while it may be sent on directly (open, queue flushed), else null. */
  #direct = null;
  /** Tells a heartbeat reply, when the heartbeat option is on. */
  #isPong = null;
  /** Tells the key an acknowledgement confirms, when the acknowledge option is on. */
  #ackOf = null;
  #onPlatformMessage = (event) => this.#receive(event.data);

  constructor(url, protocols, options) {
    super();
    if (arguments.length === 0) {
      throw new TypeError("SteadySocket needs a URL: new SteadySocket(url, protocols?, options?)");
    }
    if (url instanceof URL) url = url.href;
    if (typeof url !== "string" && typeof url !== "function") {
      throw new TypeError(`the URL must be a string, a URL or a function that returns one, not ${typeof url}`);
    }
    if (options !== undefined && options !== null && typeof options !== "object") {
      throw new TypeError(`options must be an object, not ${typeof options}`);
    }
    this.#arguments = [url, protocols ?? undefined, options ?? undefined, (platform, sendable) => this.#watch(platform, sendable)];
    this.#isPong = pongMatcher(options?.heartbeat);
    this.#ackOf = ackMatcher(options?.acknowledge);
    this.#url = typeof url === "string" ? url : "";
    for (const type of HANDLER_TYPES) {
      this.addEventListener(type, (event) => this.#handlers[type]?.call(this, event));
    }
    this.#start();
  }

  #start() {
    ensureCore();
    let core;
    try {
      core = new Core(...this.#arguments);
    } catch (error) {
      throw translate(error);
    }
    for (const type of CORE_EVENTS) core.on(type, (event) => this.#relay(type, event));
    this.#core = core;
  }

  /** Called by the core whenever the current platform socket, or whether it is sendable, changes. */
  #watch(platform, sendable) {
    if (platform !== this.#platform) {
      this.#platform?.removeEventListener("message", this.#onPlatformMessage);
      platform?.addEventListener("message", this.#onPlatformMessage);
      this.#platform = platform;
    }
    this.#direct = sendable ? platform : null;
  }

  /** A message straight from the platform socket: no copy, no wasm. */
  #receive(data) {
    const acknowledged = this.#ackOf?.(data) ?? null;
    if (acknowledged !== null) {
      this.#core?.acknowledged(acknowledged);
      return;
    }
    if (this.#isPong !== null && this.#isPong(data)) {
      this.#core?.heartbeatReply();
      return;
    }
    const converted = typeof data === "string" || this.#binaryType === "arraybuffer" ? data : new Blob([data]);
    this.dispatchEvent(new MessageEvent("message", { data: converted }));
  }

  #relay(type, event) {
    if (type === "error") {
      this.dispatchEvent(new Event("error"));
      return;
    }
    const { type: _ignored, ...fields } = event;
    this.dispatchEvent(lifecycleEvent(type, fields));
    if (type === "close" && !event.willRetry) this.#releaseWhenClosed();
  }

  /** Frees the wasm side of a socket closed for good; reconnect() makes a new one. */
  #releaseWhenClosed() {
    queueMicrotask(() => {
      if (this.#core && this.#core.state.type === "closed") {
        this.#core.free();
        this.#core = null;
      }
    });
  }

  get url() { return this.#url; }
  get readyState() { return this.#core ? this.#core.readyState : STATES.CLOSED; }
  get protocol() { return this.#core ? this.#core.protocol : ""; }
  get extensions() { return this.#core ? this.#core.extensions : ""; }
  get bufferedAmount() { return this.#core ? this.#core.bufferedAmount : 0; }
  /** Messages queued while not open. */
  get queuedMessages() { return this.#core ? this.#core.queuedMessages : 0; }
  get unconfirmedMessages() { return this.#core ? this.#core.unconfirmedMessages : 0; }
  /** `{ type, attempt?, delay? }`: connecting, open, closing, waiting, offline or closed. */
  get state() { return this.#core ? this.#core.state : { type: "closed" }; }
  get onopen() { return this.#handlers.open; }
  set onopen(handler) { this.#handlers.open = typeof handler === "function" ? handler : null; }
  get onmessage() { return this.#handlers.message; }
  set onmessage(handler) { this.#handlers.message = typeof handler === "function" ? handler : null; }
  get onerror() { return this.#handlers.error; }
  set onerror(handler) { this.#handlers.error = typeof handler === "function" ? handler : null; }
  get onclose() { return this.#handlers.close; }
  set onclose(handler) { this.#handlers.close = typeof handler === "function" ? handler : null; }
  get binaryType() { return this.#binaryType; }
  set binaryType(value) {
    // As for WebSocket, a value other than "blob" or "arraybuffer" is ignored.
    if (value === "blob" || value === "arraybuffer") this.#binaryType = value;
  }

  /**
   * Sends a string, ArrayBuffer, ArrayBufferView or Blob. Returns "sent" or
   * "queued" (while reconnecting; Blobs are always read first, in order).
   * Throws if the queue is full or the socket is closed for good.
   */
  send(data) {
    if (arguments.length === 0) throw new TypeError("send() needs the data to send");
    const isText = typeof data === "string";
    const isBinary = !isText && (data instanceof ArrayBuffer || ArrayBuffer.isView(data));
    const direct = this.#direct;
    if ((isText || isBinary) && direct !== null && this.#blobChain === null && direct.readyState === 1) {
      direct.send(data);
      return "sent";
    }
    const isBlob = typeof Blob !== "undefined" && data instanceof Blob;
    if (!isText && !isBinary && !isBlob) {
      throw new TypeError(`send() takes a string, ArrayBuffer, ArrayBufferView or Blob, not ${typeof data}`);
    }
    if (!this.#core) {
      throw new DOMException("cannot send while the socket is CLOSED; call reconnect() first", "InvalidStateError");
    }
    if (isBlob || this.#blobChain) return this.#sendAfterBlobs(data, isBlob);
    try {
      return this.#core.send(data);
    } catch (error) {
      throw translate(error);
    }
  }

  /** Sends `JSON.stringify(value)`. */
  sendJson(value) {
    return this.send(JSON.stringify(value));
  }

  /** Keeps order behind a Blob that is still being read. */
  #sendAfterBlobs(data, isBlob) {
    const previous = this.#blobChain ?? Promise.resolve();
    const chain = previous.then(async () => {
      const payload = isBlob ? await data.arrayBuffer() : data;
      try {
        this.#core?.send(payload);
      } catch (error) {
        this.dispatchEvent(lifecycleEvent("dropped", { data: payload, reason: translate(error).message }));
      }
    });
    this.#blobChain = chain;
    chain.then(() => { if (this.#blobChain === chain) this.#blobChain = null; });
    return "queued";
  }

  /**
   * Closes for good, in any state: no reconnect follows. Throws an
   * InvalidAccessError for a code other than 1000 or 3000-4999 and a
   * SyntaxError for a reason over 123 bytes of UTF-8, as WebSocket does.
   */
  close(code, reason) {
    checkClose(code, reason);
    if (!this.#core) return;
    try {
      this.#core.close(code === undefined ? undefined : Number(code), reason === undefined ? undefined : String(reason));
    } catch (error) {
      throw translate(error);
    }
  }

  /** Reconnects now, from any state (also after close() or giving up), with the backoff started over. */
  reconnect() {
    if (this.#core) this.#core.reconnect();
    else this.#start();
  }
}

for (const [name, value] of Object.entries(STATES)) {
  Object.defineProperty(SteadySocket, name, { value, enumerable: true });
  Object.defineProperty(SteadySocket.prototype, name, { value, enumerable: true });
}

/** The JSON value of a text message event. */
export function parseJson(event) {
  if (typeof event.data !== "string") {
    throw new TypeError("parseJson() takes the event of a text message; this one is binary");
  }
  return JSON.parse(event.data);
}

/**
 * Counters for benchmarks and leak tests: the wasm linear memory in bytes and
 * the platform event listeners currently attached by all sockets.
 */
export function steadysocketDiagnostics() {
  ensureCore();
  return { wasmMemoryBytes: coreExports.memory.buffer.byteLength, liveListeners: liveListeners() };
}
