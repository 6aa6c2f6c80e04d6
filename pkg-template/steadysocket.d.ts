// Types of the steadysocket npm package.

/** Reconnect options; every one has a default (see the README). */
export interface SteadySocketOptions {
  /** Ceiling of the first reconnect delay, ms (the delay itself is random). Default 1000. */
  minDelay?: number;
  /** Cap of every reconnect delay, ms. Default 30000. */
  maxDelay?: number;
  /** Growth of the delay ceiling per attempt. Default 2. */
  factor?: number;
  /** How delays are randomised. Default "full". */
  jitter?: "none" | "full" | "equal" | "decorrelated";
  /** Reconnect attempts before giving up ("giveup" event). Default Infinity. */
  maxRetries?: number;
  /** An attempt not open by then is abandoned, ms; 0 for none. Default 10000. */
  connectTimeout?: number;
  /** The backoff starts over after a connection stayed open this long, ms. Default 5000. */
  minUptime?: number;
  /** Messages held while not open. Default 1000. */
  maxQueuedMessages?: number;
  /** Bytes held while not open. Default 1048576. */
  maxQueuedBytes?: number;
  /** Backpressure: above this many bytes not yet transmitted (`bufferedAmount`) the socket is
   * congested and `drained()` waits. Default 1048576. */
  highWaterMark?: number;
  /** A congested socket drains (the `drain` event, `drained()` resolves) at or below this many
   * bytes. Not more than `highWaterMark`. Default 262144. */
  lowWaterMark?: number;
  /** What a full queue does with a new message. Default "reject". */
  overflow?: "reject" | "drop-oldest";
  /** Seed of the jitter, for reproducible delays. Default random. */
  seed?: number;
  /** The WebSocket constructor to use, e.g. the `ws` package's in Node. Default `globalThis.WebSocket`. */
  WebSocket?: unknown;
  /** An application-level heartbeat (default off): `ping` is sent every `interval` ms;
   * without the reply (`pong`: its text or a test; default the same text) within
   * `timeout` ms the connection is replaced. Replies are not `message` events. */
  heartbeat?: {
    interval: number;
    timeout: number;
    ping: string;
    pong?: string | ((data: string | ArrayBuffer) => boolean);
  };
  /** Acknowledged delivery (default off): `keyOf` gives the key of an outgoing
   * message (null or undefined: not tracked), `ackOf` the key an incoming
   * acknowledgement confirms, with every message sent before it (null: not an
   * acknowledgement; acknowledgements are not `message` events). Unconfirmed
   * messages are sent again, first, after a reconnect; the server drops what it
   * has seen by key. At most `maxQueuedMessages`/`maxQueuedBytes` are unconfirmed
   * at once; closing for good reports each as `dropped`. */
  acknowledge?: {
    keyOf: (data: string | ArrayBuffer) => string | number | null | undefined;
    ackOf: (data: string | ArrayBuffer) => string | number | null | undefined;
  };
  /** Whether to reconnect after a close. Default: stop on 1002, 1003, 1007-1010, 1015, 3000, 3003. */
  shouldReconnect?: (close: { code: number; reason: string; wasClean: boolean }) => boolean;
  /** Reads a server's hint of when to come back, in ms (`null`: no hint), instead of
   * the default reading: `retry-after=<seconds>` in the close reason. A hinted retry
   * starts no earlier than the hint, spread uniformly up to 1.5 times it. If the
   * function throws or answers no number of ms, the default reading decides. */
  retryAfter?: (close: { code: number; reason: string; wasClean: boolean }) => number | null | undefined;
  /** Stay CLOSED, without connecting, until `reconnect()`. Default false. */
  startClosed?: boolean;
  /** reconnecting-websocket's and partysocket's name of `minDelay`. */
  minReconnectionDelay?: number;
  /** reconnecting-websocket's and partysocket's name of `maxDelay`. */
  maxReconnectionDelay?: number;
  /** reconnecting-websocket's and partysocket's name of `factor`. */
  reconnectionDelayGrowFactor?: number;
  /** reconnecting-websocket's and partysocket's name of `connectTimeout`. */
  connectionTimeout?: number;
  /** reconnecting-websocket's and partysocket's name of `maxQueuedMessages`. */
  maxEnqueuedMessages?: number;
}

/** A URL, or a function giving one (or a promise of one) before every attempt. */
export type UrlProvider = string | URL | (() => string | Promise<string>);
/** Subprotocols, or a function giving them before every attempt. */
export type ProtocolsProvider =
  | string
  | Iterable<string>
  | (() => string | Iterable<string> | null | undefined | Promise<string | Iterable<string> | null | undefined>);

/** Where the connection stands. */
export type SteadySocketState =
  | { type: "connecting"; attempt: number }
  | { type: "open" }
  | { type: "closing" }
  | { type: "waiting"; attempt: number; delay: number }
  | { type: "offline"; attempt: number }
  | { type: "closed" };

export interface SteadyOpenEvent extends Event {
  readonly protocol: string;
  /** Whether an earlier connection of this socket had opened. */
  readonly reconnected: boolean;
}
export interface SteadyCloseEvent extends Event {
  readonly code: number;
  readonly reason: string;
  readonly wasClean: boolean;
  /** Whether a reconnect follows. */
  readonly willRetry: boolean;
}
export interface SteadyMessageEvent<Incoming = unknown> extends MessageEvent<string | ArrayBuffer | Blob> {
  /** Marker for the JSON type this socket receives; parse with `parseJson(event)`. */
  readonly __incoming?: Incoming;
}
export interface SteadyConnectingEvent extends Event { readonly attempt: number }
export interface SteadyReconnectingEvent extends Event {
  readonly attempt: number;
  /** ms until the attempt starts. */
  readonly delay: number;
  /** Where the delay came from: the backoff's step, the server's hint, or close code
   * 1013 (Try Again Later) without a hint (drawn from the backoff cap's window). */
  readonly source: "backoff" | "hint" | "try-again-later";
  /** Whether the server chose the delay (`source === "hint"`). */
  readonly hinted: boolean;
}
export interface SteadyGiveUpEvent extends Event { readonly attempts: number }
export interface SteadyAttemptFailedEvent extends Event { readonly reason: string }
export interface SteadyDroppedEvent extends Event { readonly data: string | ArrayBuffer; readonly reason?: string }
/** With the `acknowledge` option: the server acknowledged this message. */
export interface SteadyAcknowledgedEvent extends Event { readonly data: string | ArrayBuffer }

export interface SteadySocketEventMap<Incoming = unknown> {
  open: SteadyOpenEvent;
  message: SteadyMessageEvent<Incoming>;
  error: Event;
  close: SteadyCloseEvent;
  connecting: SteadyConnectingEvent;
  reconnecting: SteadyReconnectingEvent;
  giveup: SteadyGiveUpEvent;
  attemptfailed: SteadyAttemptFailedEvent;
  dropped: SteadyDroppedEvent;
  acknowledged: SteadyAcknowledgedEvent;
  /** What was not yet transmitted fell to `lowWaterMark` after crossing `highWaterMark`. */
  drain: Event;
}

/**
 * A drop-in for `WebSocket` that reconnects. `Incoming` and `Outgoing` type
 * the JSON messages of `parseJson` and `sendJson`.
 */
export declare class SteadySocket<Incoming = unknown, Outgoing = unknown> extends EventTarget {
  constructor(url: UrlProvider, protocols?: ProtocolsProvider | null, options?: SteadySocketOptions);
  static readonly CONNECTING: 0;
  static readonly OPEN: 1;
  static readonly CLOSING: 2;
  static readonly CLOSED: 3;
  readonly CONNECTING: 0;
  readonly OPEN: 1;
  readonly CLOSING: 2;
  readonly CLOSED: 3;
  /**
   * The URL as WebSocket gives it: serialized, with http(s) as ws(s) and a
   * relative URL resolved; with a URL function, the latest attempt's (`""`
   * before the first).
   */
  readonly url: string;
  readonly readyState: 0 | 1 | 2 | 3;
  readonly protocol: string;
  readonly extensions: string;
  readonly bufferedAmount: number;
  readonly queuedMessages: number;
  /** Messages sent and not yet acknowledged (with the `acknowledge` option). */
  readonly unconfirmedMessages: number;
  readonly state: SteadySocketState;
  binaryType: "blob" | "arraybuffer";
  onopen: ((this: SteadySocket<Incoming, Outgoing>, event: SteadyOpenEvent) => unknown) | null;
  onmessage: ((this: SteadySocket<Incoming, Outgoing>, event: SteadyMessageEvent<Incoming>) => unknown) | null;
  onerror: ((this: SteadySocket<Incoming, Outgoing>, event: Event) => unknown) | null;
  onclose: ((this: SteadySocket<Incoming, Outgoing>, event: SteadyCloseEvent) => unknown) | null;
  /**
   * Sends text, bytes or a Blob: "sent", or "queued" while reconnecting.
   * Throws a TypeError for anything else and, in every runtime, for a
   * shared, resizable or detached buffer or a view of one (WebSocket's
   * WebIDL takes neither of the first two); an InvalidStateError after
   * `close()`; an Error when the queue is full.
   */
  send(data: string | ArrayBufferLike | ArrayBufferView | Blob): "sent" | "queued";
  sendJson(value: Outgoing): "sent" | "queued";
  close(code?: number, reason?: string): void;
  reconnect(): void;
  /** Resolves at once unless `highWaterMark` is crossed, else when `bufferedAmount` falls to
   * `lowWaterMark`; rejects (InvalidStateError) once closed for good. `await` it after each
   * `send` to keep at most the high mark plus one message buffered. */
  drained(): Promise<void>;
  /** Resolves when the socket is closed for good (by `close()`, a stop rule or retries running out), after
   * the final `close` event; at once if it is closed (also with `startClosed`, before `reconnect()`). */
  closed(): Promise<void>;
  addEventListener<K extends keyof SteadySocketEventMap<Incoming>>(
    type: K,
    listener: (this: SteadySocket<Incoming, Outgoing>, event: SteadySocketEventMap<Incoming>[K]) => unknown,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof SteadySocketEventMap<Incoming>>(
    type: K,
    listener: (this: SteadySocket<Incoming, Outgoing>, event: SteadySocketEventMap<Incoming>[K]) => unknown,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions): void;
}

/** The JSON value of a text message, typed as the socket's `Incoming`. */
export declare function parseJson<Incoming>(event: SteadyMessageEvent<Incoming>): Incoming;

/** Counters for benchmarks and leak tests: wasm linear memory bytes, bytes the core's allocator holds, and platform listeners attached now. */
export declare function steadysocketDiagnostics(): { wasmMemoryBytes: number; rustHeapBytes: number; liveListeners: number };
