// What the class makes of data: the events it dispatches, the size of what
// it queues, copies of binary data it keeps, the error of a refused send,
// and the JSON of a message.

/** The `ports` of every message event: none come over a WebSocket. */
const NO_PORTS = Object.freeze([]);

/** The event a handler is being called with by `deliverTo` now, or null. */
let delivering = null;

/** Reports an error a handler or listener threw, as the platform reports a listener's, and goes on. */
export function reportThrown(error) {
  if (typeof reportError === "function") reportError(error);
  // Node has no reportError; its EventTarget throws a listener's error again on the next tick, as this does.
  else if (typeof process === "object" && typeof process.nextTick === "function") process.nextTick(() => { throw error; });
  else queueMicrotask(() => { throw error; });
}

/**
 * Every event of a socket. An `Event` as the platform's, but one the socket
 * may hand to its only handler itself (`deliverTo`): the handler then sees
 * the attributes a dispatch to that one listener would show (`target`,
 * `currentTarget`, `eventPhase`, `composedPath()`), and so does anyone
 * after it (`target` stays the socket, the rest as after a dispatch).
 */
export class SocketEvent extends Event {
  static name = "Event";
  /** The socket that called its handler with this event, or null. */
  #deliveredTo = null;

  get target() { return super.target ?? this.#deliveredTo; }
  get srcElement() { return this.target; }
  // workerd's Event reads undefined where the DOM says null (before a dispatch).
  get currentTarget() { return delivering === this ? this.#deliveredTo : (super.currentTarget ?? null); }
  get eventPhase() { return delivering === this ? Event.AT_TARGET : super.eventPhase; }
  composedPath() { return delivering === this ? [this.#deliveredTo] : super.composedPath(); }

  /** Calls `handler` with this event and `socket` as `this`; an error it throws is reported, not thrown. */
  deliverTo(socket, handler) {
    this.#deliveredTo = socket;
    const outer = delivering;
    delivering = this;
    try {
      handler.call(socket, this);
    } catch (error) {
      reportThrown(error);
    } finally {
      delivering = outer;
    }
  }
}

/**
 * A message event, as `MessageEvent` by `instanceof` and every attribute
 * (`data`, `origin`, `lastEventId` "", `source` null, `ports` empty), made
 * as an `Event` of its own because the platforms' `MessageEvent`
 * constructor converts its init dictionary by WebIDL rules on every call:
 * made and dispatched, 1.0 µs against 0.13–0.25 in Node 24 and 5–8 µs
 * against 1.6–2.3 in Chromium.
 */
export class SocketMessageEvent extends SocketEvent {
  static name = "MessageEvent";
  #data;
  #origin;

  constructor(data, origin) {
    if (!linked) linkToMessageEvent();
    super("message");
    this.#data = data;
    this.#origin = origin;
  }

  get data() { return this.#data; }
  get origin() { return this.#origin; }
  get lastEventId() { return ""; }
  get source() { return null; }
  get ports() { return NO_PORTS; }
  /** As WebIDL names the class (Node 20's own MessageEvent says "Event"). */
  get [Symbol.toStringTag]() { return "MessageEvent"; }
}

/** Whether SocketMessageEvent's prototype is MessageEvent's yet. */
let linked = false;

/**
 * Makes every SocketMessageEvent a MessageEvent by `instanceof`: at the
 * first one, not on import, because reading the global `MessageEvent` in
 * Node 22 and later loads undici (1.8 MB of heap in Node 24). SocketEvent's
 * own members, out of the chain from then on, are copied to keep working
 * (the constructor still runs SocketEvent's, which makes its field).
 */
function linkToMessageEvent() {
  linked = true;
  if (typeof MessageEvent !== "function") return;
  for (const name of Reflect.ownKeys(SocketEvent.prototype)) {
    if (name !== "constructor") Object.defineProperty(SocketMessageEvent.prototype, name, Object.getOwnPropertyDescriptor(SocketEvent.prototype, name));
  }
  Object.setPrototypeOf(SocketMessageEvent.prototype, MessageEvent.prototype);
}

/** An event of `type` carrying `fields` (if any) as read-only properties. */
export function lifecycleEvent(type, fields) {
  const event = new SocketEvent(type);
  if (fields === null) return event;
  for (const [name, value] of Object.entries(fields)) {
    Object.defineProperty(event, name, { value, enumerable: true });
  }
  return event;
}

/** Bytes of `text` in UTF-8 (a lone surrogate counts as U+FFFD, 3 bytes). */
export function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit < 0xdc00 && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** A copy of binary data (an ArrayBuffer of any realm, or a view) the caller may change after send() returns. */
export function copyOf(data) {
  return ArrayBuffer.isView(data)
    ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice().buffer
    : data.slice(0);
}

/**
 * The error of a send the core refused: the socket is `closed` (in `state`),
 * or the queue is full (`bounds`: its `maxQueuedMessages` and `maxQueuedBytes`).
 */
export function refusal(closed, state, bounds) {
  if (closed) {
    return new DOMException(`cannot send while the socket is ${state}; messages can be sent only while it is OPEN`, "InvalidStateError");
  }
  return new Error(
    `the message was not queued: the outbound queue holds at most ${bounds.maxQueuedMessages} messages and ${bounds.maxQueuedBytes} bytes ` +
      "while the socket is not open, and it is full",
  );
}

/** The JSON value of a text message event. */
export function parseJson(event) {
  if (typeof event.data !== "string") {
    throw new TypeError("parseJson() takes the event of a text message; this one is binary");
  }
  return JSON.parse(event.data);
}
