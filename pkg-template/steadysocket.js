// steadysocket: a WebSocket-compatible client that reconnects with jittered
// backoff, queues what is sent while disconnected, and stops when closed.
//
// Every lifecycle decision (state, backoff, queue, timers, stop rules) comes
// from the steadysocket core, Rust compiled to wasm; this class does the IO
// and keeps the data: messages never enter the wasm, so the message path is
// as short as the platform socket's own. Importing the module does nothing;
// the wasm is instantiated on the first `new SteadySocket(...)`.
import { Action, Core, Input, STATE_NAMES, Sent, engine } from "./engine.js";
import { noticeEvent } from "./notices.js";
import { protocolList, readOptions, withSources } from "./options.js";
import { attemptEntry, traceEntry, traceTo } from "./trace.js";
import { PlatformSocket, reportTo, sendCopiesAtOnce, startsOffline, unwatchPage, watchPage } from "./platform.js";
import { checkClose, checkProtocols, checkedUrl, isBlob, isSendableBinary } from "./validation.js";
import { SocketMessageEvent, copyOf, lifecycleEvent, refusal, utf8Length } from "./data.js";
import { Waiters } from "./waiters.js";
import { BlobQueue } from "./blobs.js";
import { CLOSED_STATUS, statusAfter } from "./status.js";
import { EventHandlers, defineHandlerProperties } from "./handlers.js";
import { dispatchThroughPlatform, guardListeners } from "./platform_dispatch.js";
import { dropHeldMessages, hasEventsDue, queueBehindDue, queueEvent } from "./events_due.js";

export { parseJson } from "./data.js";
export { steadysocketDiagnostics } from "./diagnostics.js";

const STATES = { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 };
const PING_ID = 0;
const LONGEST_TIMER = 2 ** 31 - 1;
/**
 * A drop-in for `WebSocket` (and for the `ReconnectingWebSocket(url,
 * protocols, options)` constructor) that reconnects with jittered
 * exponential backoff, queues what is sent while disconnected, and stops
 * when closed.
 */
export class SteadySocket extends EventTarget {
  static name = "SteadySocket";
  /** The slot of the socket's core (see `Core`), or null while closed for good. */
  #core = null;
  /** The core's status after its last step (see status.js). */
  #status = CLOSED_STATUS;
  #url;
  #urlSource;
  #protocolSource;
  #options;
  #binaryType = "blob";
  /** Sends waiting behind a Blob being read (a BlobQueue), or null. */
  #blobs = null;
  /** The current platform connection, and a counter that tells stale callbacks from its own. */
  #platform = null;
  #generation = 0;
  /** The platform socket while the core would transmit at once (open, queue empty), else null. */
  #direct = null;
  #protocol = "";
  #extensions = "";
  /** The data of the messages the core holds by id (queued, or unconfirmed); made on the first. */
  #payloads = null;
  #nextId = PING_ID + 1;
  #timer = null;
  #deadline = null;
  /** The `drained()` and `closed()` promises waiting (made on the first call: most sockets never wait). */
  #waiters = null;
  /** The `on<type>` handlers (made when the first is set). */
  #handlers = null;

  constructor(url, protocols, options) {
    super();
    if (arguments.length === 0) {
      throw new TypeError("SteadySocket needs a URL: new SteadySocket(url, protocols?, options?)");
    }
    if (url instanceof URL) url = url.href;
    if (typeof url !== "string" && typeof url !== "function") {
      throw new TypeError(`the URL must be a string, a URL or a function that returns one, not ${typeof url}`);
    }
    engine();
    this.#options = readOptions(options ?? undefined);
    const checked = typeof url === "string" ? checkedUrl(url) : "";
    if (typeof protocols !== "function") {
      const list = protocolList(protocols);
      checkProtocols(list);
      this.#protocolSource = list;
    } else {
      this.#protocolSource = protocols;
    }
    this.#urlSource = url;
    this.#url = checked;
    // startClosed (reconnecting-websocket's option): CLOSED until reconnect().
    if (!this.#options.startClosed) this.#start();
  }

  /** A new core (the first attempt starts now) and the page's signals. */
  #start() {
    const { numbers, decide, retryAfter } = this.#options;
    this.#core = Core.make(numbers, decide, retryAfter, Date.now());
    watchPage(this, (input) => this.#feed(input));
    this.#run();
    if (startsOffline()) this.#feed(Input.OFFLINE);
  }

  /** Tells the core what happened, then carries out what it decides. */
  #feed(input, text) {
    if (this.#core === null) return;
    Core.feed(this.#core, Date.now(), input, text);
    this.#run();
  }

  /** Carries out the core's actions, queues its events, arms its timer. */
  #run() {
    const core = this.#core;
    if (core === null) return;
    for (let action = Core.next(core); action !== null; action = Core.next(core)) {
      this.#carryOut(action);
      // A step inside this one (the platform's constructor threw, a trace function closed) did the rest, and may have
      // released this core.
      if (this.#core !== core) return;
    }
    this.#status = statusAfter(this.#status, Core.status(core));
    const { state, queuedMessages } = this.#status;
    const open = STATE_NAMES[state] === "open" && queuedMessages === 0 && this.#options.acknowledge === null;
    this.#direct = open && this.#platform !== null ? this.#platform.ws : null;
    if (STATE_NAMES[state] === "closed") {
      this.#release();
      return;
    }
    this.#arm(Core.deadline(core));
  }

  /** Carries out one action of the core (its fields as ACTION_LAYOUTS names them); a notice becomes its event (notices.js), dispatched after the step. */
  #carryOut(action) {
    switch (action.kind) {
      case Action.CONNECT: return this.#connect(action.attempt);
      case Action.TRANSMIT: return this.#transmit(action.id);
      case Action.CLOSE: return this.#platform?.ws.close(action.code, action.reason);
      case Action.ABANDON: return this.#abandon();
      case Action.OPEN:
        this.#protocol = action.protocol;
        break;
      case Action.DROPPED: return this.#queueEvent(lifecycleEvent("dropped", { data: this.#take(action.id) }));
      case Action.ACKNOWLEDGED: return this.#queueEvent(lifecycleEvent("acknowledged", { data: this.#take(action.id) }));
      case Action.TRACE: return traceTo(this.#options.trace, traceEntry(action));
      case Action.SAMPLE_BUFFERED: return Core.buffered(this.#core, Date.now(), this.#platform?.ws.bufferedAmount ?? 0);
      case Action.DRAINED:
        this.#waiters?.drained();
        break;
    }
    const event = noticeEvent(action);
    if (event !== null) this.#queueEvent(event);
  }

  /** The data kept under `id`, no longer kept. */
  #take(id) {
    const data = this.#payloads?.get(id)?.data;
    this.#payloads?.delete(id);
    return data;
  }

  /** Hands `event` (a SocketEvent) to its type's handler if only that listens, else dispatches it. */
  #deliver(event) {
    const handler = this.#handlers?.direct(event.type);
    if (handler === undefined) dispatchThroughPlatform(this, event);
    else event.deliverTo(this, handler);
  }

  /** As EventTarget's; a handler of `type` set before becomes a listener first, to run before this one. */
  addEventListener(type, listener, options) {
    this.#handlers?.share(this, type);
    super.addEventListener(type, listener, options);
  }

  /** As EventTarget's; the handler of the event's type, if set, hears it as a listener. */
  dispatchEvent(event) {
    if (event instanceof Event) this.#handlers?.share(this, event.type);
    return dispatchThroughPlatform(this, event);
  }

  /** Dispatches `event` after the step that made it (events_due.js). */
  #queueEvent(event) {
    queueEvent(this, event, (due) => this.#deliver(due));
  }

  /** Sets the one timer to the core's next deadline, or none for null (Infinity in a field would keep a box per socket). */
  #arm(deadline) {
    if (deadline === this.#deadline) return;
    clearTimeout(this.#timer);
    this.#deadline = deadline;
    this.#timer = null;
    if (deadline === null) return;
    // Whole milliseconds, rounded up as the Rust face's timer does: a browser truncates a fraction, which
    // would wake the core just before its deadline; and Node keeps a whole delay without a box.
    const delay = Math.ceil(Math.min(Math.max(deadline - Date.now(), 0), LONGEST_TIMER));
    this.#timer = setTimeout(SteadySocket.#timeout, delay, this);
  }

  /** The timer of `socket` fired (one function for every socket: no closure per timer). */
  static #timeout(socket) {
    socket.#timer = null;
    socket.#deadline = null;
    if (socket.#core !== null) Core.timeout(socket.#core, Date.now());
    socket.#run();
  }

  /** Closed for good: no timer, no page signals, the core freed (reconnect() makes a new one). */
  #release() {
    this.#arm(null);
    this.#waiters?.closed();
    unwatchPage(this);
    this.#payloads = null;
    Core.free(this.#core);
    this.#core = null;
  }

  /** Opens the platform socket of attempt `attempt`, asking the providers first. */
  #connect(attempt) {
    this.#abandon();
    const generation = this.#generation;
    const current = () => generation === this.#generation;
    withSources(this.#urlSource, this.#protocolSource, {
      open: (url, protocols) => current() && this.#open(generation, url, protocols, attempt),
      fail: (reason) => current() && this.#feed(Input.ATTEMPT_FAILED, reason),
    });
  }

  #open(generation, url, protocols, attempt) {
    let platform;
    try {
      const checked = checkedUrl(url);
      checkProtocols(protocols);
      if (this.#options.trace !== null) traceTo(this.#options.trace, attemptEntry(attempt, url, protocols));
      // With a URL provider, `url` is the URL of the latest attempt.
      if (typeof this.#urlSource === "function") this.#url = checked;
      platform = new PlatformSocket(this.#options.Constructor, checked, protocols, this);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#feed(Input.ATTEMPT_FAILED, message);
      return;
    }
    if (generation === this.#generation) this.#platform = platform;
    else platform.abandon();
  }


  /** What the platform socket reports. */
  #fromPlatform(type, first, second, third) {
    switch (type) {
      case "message":
        return this.#receive(first);
      case "open":
        this.#extensions = second;
        return this.#feed(Input.OPENED, first);
      case "error":
        return this.#feed(Input.ERROR);
      case "closed":
        this.#platform = null;
        if (this.#core !== null) Core.closed(this.#core, Date.now(), first, second, third);
        return this.#run();
    }
  }

  /** Closes and detaches the current platform socket; its late events are ignored. */
  #abandon() {
    this.#generation++;
    this.#platform?.abandon();
    this.#platform = null;
  }

  #transmit(id) {
    const entry = id === PING_ID ? { data: this.#options.heartbeat.ping, kept: true } : this.#payloads?.get(id);
    if (entry === undefined) return;
    if (!entry.kept) this.#payloads.delete(id);
    const ws = this.#platform?.ws;
    // The peer's close may have come before the core heard of it: a CLOSING socket would drop this (Chromium logs
    // an error). A ping is not needed then; a tracked message goes again, an untracked one is lost as it would be.
    if (ws?.readyState !== STATES.OPEN) return;
    try {
      ws.send(entry.data);
      this.#noteBuffered(ws);
    } catch {
      // Nothing the platform refuses here can be sent later either.
    }
  }

  /** A message straight from the platform socket: no copy, no wasm. */
  #receive(data) {
    const acknowledge = this.#options.acknowledge;
    if (acknowledge !== null) {
      const key = acknowledge.ackOf(data);
      if (key !== null) return this.#feed(Input.ACKNOWLEDGED, key);
    }
    const heartbeat = this.#options.heartbeat;
    if (heartbeat !== null && heartbeat.isPong(data)) return this.#feed(Input.PONG);
    // As WebSocket, none once close() was called (CLOSING): Deno's socket and the `ws` package's still hand them over.
    if (this.#status.readyState !== STATES.OPEN) return;
    const converted = typeof data === "string" || this.#binaryType === "arraybuffer" ? data : new Blob([data]);
    const event = new SocketMessageEvent(converted, this.#platform?.origin ?? "");
    if (!hasEventsDue(this)) return this.#deliver(event);
    // Behind the open whose dispatch is due, unless a handler closes (close() drops it, even when the server's
    // close was heard first) or replaces the connection first; a close from the server that came in the same
    // segment is not a reason to drop it: the message was received while OPEN.
    const generation = this.#generation;
    queueBehindDue(this, event, () => generation === this.#generation && this.readyState !== STATES.CLOSING);
  }

  get url() { return this.#url; }
  get readyState() { return this.#status.readyState; }
  get protocol() { return this.#protocol; }
  get extensions() { return this.#extensions; }
  /** Bytes not yet transmitted: the platform socket's buffer plus the queue. */
  get bufferedAmount() { return (this.#platform?.ws.bufferedAmount ?? 0) + this.#status.queuedBytes + (this.#blobs?.bytes ?? 0); }
  /** Messages queued while not open. */
  get queuedMessages() { return this.#status.queuedMessages; }
  /** Messages sent and not yet acknowledged (with the `acknowledge` option). */
  get unconfirmedMessages() { return this.#status.unconfirmedMessages; }
  /** `{ type, attempt?, delay? }`: connecting, open, closing, waiting, offline or closed. */
  get state() { return this.#status.described(); }
  get binaryType() { return this.#binaryType; }
  set binaryType(value) {
    // As for WebSocket, a value other than "blob" or "arraybuffer" is ignored.
    if (value === "blob" || value === "arraybuffer") this.#binaryType = value;
  }

  /**
   * Sends a string, ArrayBuffer, ArrayBufferView or Blob. Returns "sent" or
   * "queued" (while reconnecting; Blobs are always read first, in order).
   * Throws if the queue is full or the socket is closed for good, and a
   * TypeError for other data (`isSendableBinary` says which bytes).
   */
  send(data) {
    if (arguments.length === 0) throw new TypeError("send() needs the data to send");
    const isText = typeof data === "string";
    const isBinary = !isText && isSendableBinary(data);
    const direct = this.#direct;
    if ((isText || isBinary) && direct !== null && this.#blobs === null && direct.readyState === 1) {
      direct.send(isText || sendCopiesAtOnce(direct) ? data : copyOf(data));
      if (direct.bufferedAmount > this.#options.highWaterMark) this.#noteBuffered(direct, true);
      return "sent";
    }
    const blob = !isText && !isBinary && isBlob(data);
    if (!isText && !isBinary && !blob) {
      throw new TypeError(`send() takes a string, ArrayBuffer, ArrayBufferView or Blob, not ${typeof data}`);
    }
    if (this.#core === null) {
      throw new DOMException("cannot send while the socket is CLOSED; call reconnect() first", "InvalidStateError");
    }
    if (blob || this.#blobs !== null) return this.#sendAfterBlobs(data, blob);
    return this.#sendThroughCore(data, isText);
  }

  /**
   * Hands a message to the core, which transmits it now or queues it. The
   * data is kept (copied, for binary) while the core holds it.
   */
  #sendThroughCore(data, isText) {
    const size = isText ? utf8Length(data) : data.byteLength;
    const id = this.#nextId;
    this.#nextId = id >= 0xffffffff ? PING_ID + 1 : id + 1;
    const key = this.#options.acknowledge?.keyOf(data) ?? null;
    // The peer's close frame came first: the platform socket is closing.
    const peerClosing = (this.#platform?.ws.readyState ?? STATES.OPEN) > STATES.OPEN;
    const outcome = Core.send(this.#core, id, size, key, peerClosing);
    if (outcome === Sent.QUEUE_FULL || outcome === Sent.CLOSED) throw refusal(outcome === Sent.CLOSED, Object.keys(STATES)[this.#status.readyState], this.#options);
    const transmitNow = outcome === Sent.TRANSMIT;
    let kept = null;
    if (!transmitNow || key !== null) {
      kept = isText ? data : copyOf(data);
      (this.#payloads ??= new Map()).set(id, { data: kept, kept: key !== null });
    }
    const ws = this.#platform?.ws;
    if (transmitNow && ws !== undefined) {
      // A send that may read the bytes later gets a copy (ours, if one is kept): the caller may reuse its buffer.
      ws.send(isText || sendCopiesAtOnce(ws) ? data : (kept ?? copyOf(data)));
      this.#noteBuffered(ws);
    }
    this.#run();
    return transmitNow ? "sent" : "queued";
  }

  /** After a send: a buffer above the high water mark is told to the core (it samples until the drain). */
  #noteBuffered(ws, run) {
    const bytes = ws?.bufferedAmount ?? 0;
    if (bytes <= this.#options.highWaterMark || this.#status.congested === 1) return;
    Core.buffered(this.#core, Date.now(), bytes);
    if (run) this.#run();
  }

  /** At once below the high water mark, else when `bufferedAmount` falls to the low one; rejects once closed for good. */
  drained() {
    return (this.#waiters ??= new Waiters()).wait(this.#status.congested === 1, this.#core === null);
  }

  /** Once closed for good (by close(), a stop rule or retries running out), after the final `close`; at once while closed. */
  closed() {
    if (this.#core === null) return Promise.resolve();
    return new Promise((resolve) => (this.#waiters ??= new Waiters()).closing.push(resolve));
  }

  /** Sends `JSON.stringify(value)`. */
  sendJson(value) { return this.send(JSON.stringify(value)); }

  /** Keeps order behind a Blob that is still being read. */
  #sendAfterBlobs(data, isBlob) {
    const isText = typeof data === "string";
    const size = isBlob ? data.size : isText ? utf8Length(data) : data.byteLength;
    (this.#blobs ??= new BlobQueue(() => (this.#blobs = null))).push(
      // Bytes wait as they were at send(): the caller may reuse its buffer at once, as with WebSocket.
      isBlob || isText ? data : copyOf(data),
      isBlob,
      size,
      (payload) => (this.#core === null ? this.send(payload) : this.#sendThroughCore(payload, typeof payload === "string")),
      // A Blob that cannot be read, or a send refused: reported, and the queue goes on.
      (payload, error) => this.#deliver(lifecycleEvent("dropped", { data: payload, reason: error.message })),
    );
    return "queued";
  }

  /**
   * Closes for good, in any state: no reconnect follows. Throws an
   * InvalidAccessError for a code other than 1000 or 3000-4999 and a
   * SyntaxError for a reason over 123 bytes of UTF-8, as WebSocket does.
   */
  close(code, reason) {
    checkClose(code, reason);
    dropHeldMessages(this);
    if (this.#core === null) return;
    // checkClose leaves nothing the core would refuse.
    Core.close(this.#core, Date.now(), code === undefined ? 1000 : Number(code), reason === undefined ? "" : String(reason));
    this.#run();
  }

  static {
    // What a platform socket reports to the socket that owns it (one function for every socket: see PlatformSocket).
    reportTo((socket, type, first, second, third) => socket.#fromPlatform(type, first, second, third));
    const made = (socket) => (socket.#handlers ??= new EventHandlers());
    defineHandlerProperties(SteadySocket.prototype, (socket) => socket.#handlers, made);
  }

  /** Reconnects now, from any state (also after close() or giving up), with the backoff started over. */
  reconnect() {
    if (this.#core === null) this.#start();
    else this.#feed(Input.RECONNECT);
  }
}

guardListeners(SteadySocket.prototype);

for (const [name, value] of Object.entries(STATES)) {
  Object.defineProperty(SteadySocket, name, { value, enumerable: true });
  Object.defineProperty(SteadySocket.prototype, name, { value, enumerable: true });
}
