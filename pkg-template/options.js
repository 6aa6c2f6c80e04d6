// Reading the constructor's arguments: what is wrong throws a TypeError that
// names the option and says what is allowed. The core checks what the values
// mean together (a factor below 1, a first delay above the cap).
import { ConfigProblem, DEFAULT_HINT, JITTER_WORDS, NO_HINT, OPTION_SLOTS, OVERFLOW_WORDS, readConfig } from "./engine.js";

/** A value as an error message shows it. */
function shown(value) {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "function") return "a function";
  if (typeof value === "symbol") return "symbol";
  return String(value);
}

function fail(name, allowed, value) {
  throw new TypeError(`option ${name} must be ${allowed}, not ${shown(value)}`);
}

const absent = (value) => value === undefined || value === null;

/** Every option the class reads. */
export const OPTION_NAMES = [
  "minDelay", "maxDelay", "factor", "jitter", "maxRetries", "connectTimeout", "minUptime",
  "maxQueuedMessages", "maxQueuedBytes", "overflow", "heartbeat", "acknowledge", "shouldReconnect",
  "retryAfter", "highWaterMark", "lowWaterMark", "trace",
  "WebSocket", "seed", "startClosed",
];

/**
 * reconnecting-websocket's and partysocket's names for the same options, so
 * their users switch by changing the import. (`maxRetries`, `minUptime`,
 * `startClosed` and `WebSocket` have the same names there.)
 */
export const ALIASES = {
  minReconnectionDelay: "minDelay",
  maxReconnectionDelay: "maxDelay",
  reconnectionDelayGrowFactor: "factor",
  connectionTimeout: "connectTimeout",
  maxEnqueuedMessages: "maxQueuedMessages",
};

/** Their options steadysocket has no counterpart for, and what to use instead. */
const UNSUPPORTED = {
  debug: "use the trace option (true, or a function that receives every decision)",
  debugLogger: "use the trace option with your logger: trace: (entry) => logger(entry.text, entry)",
};

/**
 * The options under their own names (`values`), with the name the caller
 * used for each (`names`, for error messages). An unknown name, or an alias
 * given beside its option, throws a TypeError: nothing is silently ignored.
 */
function canonical(options) {
  const values = {};
  const names = {};
  for (const given of Object.keys(options)) {
    const name = ALIASES[given] ?? given;
    if (given in UNSUPPORTED) throw new TypeError(`option ${given} is not supported: ${UNSUPPORTED[given]}`);
    if (!OPTION_NAMES.includes(name)) {
      throw new TypeError(
        `unknown option ${JSON.stringify(given)}; the options are ${OPTION_NAMES.join(", ")} ` +
          `(and reconnecting-websocket's names ${Object.keys(ALIASES).join(", ")})`,
      );
    }
    if (name in names) throw new TypeError(`give option ${name} or ${names[name] === name ? given : names[name]}, not both`);
    values[name] = options[given];
    names[name] = given;
  }
  return { values, names };
}

/** A number, 0 or more, or NaN when absent. */
function number(options, name, allowed) {
  const value = options.values[name];
  if (absent(value)) return Number.NaN;
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) fail(options.names[name], allowed, value);
  return value;
}

const milliseconds = (options, name) => number(options, name, "a number of milliseconds, 0 or more");

/** A whole number, 0 or more, or Infinity (no limit). */
function count(options, name) {
  const allowed = "a whole number, 0 or more, or Infinity";
  const value = number(options, name, allowed);
  if (!Number.isNaN(value) && !Number.isInteger(value) && value !== Infinity) fail(options.names[name], allowed, value);
  return value;
}

/** The index of a word among `allowed`, or NaN when absent. */
function word(options, name, allowed) {
  const value = options.values[name];
  if (absent(value)) return Number.NaN;
  const index = allowed.indexOf(value);
  if (typeof value !== "string" || index < 0) fail(name, `one of "${allowed.join('", "')}"`, value);
  return index;
}

function functionOption(options, name) {
  const value = options.values[name];
  if (absent(value)) return null;
  if (typeof value !== "function") fail(name, "a function", value);
  return value;
}

function booleanOption(options, name) {
  const value = options.values[name];
  if (absent(value)) return false;
  if (typeof value !== "boolean") fail(options.names[name], "true or false", value);
  return value;
}

/** `heartbeat: { interval, timeout, ping, pong? }` → `{ interval, timeout, ping, isPong }` or null. */
function heartbeatOf(options) {
  const heartbeat = options.values.heartbeat;
  if (absent(heartbeat)) return null;
  const above0 = (name) => {
    const value = heartbeat[name];
    if (typeof value !== "number" || !(value > 0)) {
      throw new TypeError(`option heartbeat.${name} must be a number of milliseconds above 0`);
    }
    return value;
  };
  const [interval, timeout] = [above0("interval"), above0("timeout")];
  const ping = heartbeat.ping;
  if (typeof ping !== "string") throw new TypeError("option heartbeat.ping must be the text to send");
  const pong = heartbeat.pong ?? ping;
  if (typeof pong !== "string" && typeof pong !== "function") {
    throw new TypeError("option heartbeat.pong must be the reply's text or a function");
  }
  const isPong = typeof pong === "string" ? (data) => data === pong : (data) => {
    try {
      return Boolean(pong(data));
    } catch {
      return false;
    }
  };
  return { interval, timeout, ping, isPong };
}

/** A key given by `keyOf`/`ackOf`: a string, or a number as JavaScript writes it; anything else is none. */
function keyFrom(fn, data) {
  let key;
  try {
    key = fn(data);
  } catch {
    return null;
  }
  if (typeof key === "string") return key;
  return typeof key === "number" ? String(key) : null;
}

/** `acknowledge: { keyOf, ackOf }` → `{ keyOf(data), ackOf(data) }` giving keys or null, or null. */
function acknowledgeOf(options) {
  const acknowledge = options.values.acknowledge;
  if (absent(acknowledge)) return null;
  for (const name of ["keyOf", "ackOf"]) {
    if (typeof acknowledge[name] !== "function") fail(`acknowledge.${name}`, "a function", acknowledge[name]);
  }
  return {
    keyOf: (data) => keyFrom(acknowledge.keyOf, data),
    ackOf: (data) => keyFrom(acknowledge.ackOf, data),
  };
}

/** `shouldReconnect` as the core asks it: 1 reconnect, 2 stop, 0 (it threw) the default table. */
function decisionOf(options) {
  const shouldReconnect = functionOption(options, "shouldReconnect");
  if (shouldReconnect === null) return undefined;
  return (code, reason, wasClean) => {
    try {
      return shouldReconnect({ code, reason, wasClean }) ? 1 : 2;
    } catch {
      return 0;
    }
  };
}

/** The `trace` option: a function, or true for `console.debug(entry.text, entry)`; null when off. */
function tracerOf(options) {
  const value = options.values.trace;
  if (absent(value) || value === false) return null;
  if (value === true) return (entry) => console.debug(`steadysocket: ${entry.text}`, entry);
  if (typeof value !== "function") fail(options.names.trace, "a function or true", value);
  return value;
}

/**
 * `retryAfter` as the core asks it: the hint in ms, NO_HINT for null or
 * undefined, DEFAULT_HINT (the default reading decides) if it threw or
 * answered no number of milliseconds.
 */
function hintReaderOf(options) {
  const retryAfter = functionOption(options, "retryAfter");
  if (retryAfter === null) return undefined;
  return (code, reason, wasClean) => {
    try {
      const hint = retryAfter({ code, reason, wasClean });
      if (absent(hint)) return NO_HINT;
      return typeof hint === "number" && hint >= 0 ? hint : DEFAULT_HINT;
    } catch {
      return DEFAULT_HINT;
    }
  };
}

/**
 * Everything the class needs from `options`: `numbers` for the core (in the
 * order of its option positions), the `WebSocket` constructor, whether to
 * start closed, the heartbeat, acknowledgement and reconnect functions, and
 * the bounds the core keeps to (`maxQueuedMessages`, `maxQueuedBytes`,
 * `highWaterMark`, defaults applied).
 */
export function readOptions(given = {}) {
  if (typeof given !== "object") throw new TypeError(`options must be an object, not ${typeof given}`);
  const options = canonical(given);
  const heartbeat = heartbeatOf(options);
  const acknowledge = acknowledgeOf(options);
  const retries = number(options, "maxRetries", "a whole number or Infinity");
  const seed = number(options, "seed", "a number");
  // By the names of the core's option slots (NaN: not given).
  const slots = {
    minDelay: milliseconds(options, "minDelay"),
    maxDelay: milliseconds(options, "maxDelay"),
    factor: number(options, "factor", "a number of at least 1"),
    jitter: word(options, "jitter", JITTER_WORDS),
    maxRetries: retries,
    connectTimeout: milliseconds(options, "connectTimeout"),
    minUptime: milliseconds(options, "minUptime"),
    maxQueuedMessages: count(options, "maxQueuedMessages"),
    maxQueuedBytes: count(options, "maxQueuedBytes"),
    highWaterMark: count(options, "highWaterMark"),
    lowWaterMark: count(options, "lowWaterMark"),
    overflow: word(options, "overflow", OVERFLOW_WORDS),
    heartbeatInterval: heartbeat ? heartbeat.interval : Number.NaN,
    heartbeatTimeout: heartbeat ? heartbeat.timeout : Number.NaN,
    acknowledge: acknowledge ? 1 : 0,
    trace: absent(options.values.trace) || options.values.trace === false ? 0 : 1,
    // NaN: each core draws its own (so sockets with the same options can share these numbers).
    seed,
  };
  const numbers = sharedNumbers(
    OPTION_SLOTS.map((slot) => {
      // A slot the core declares and this list lacks: the two sides drifted apart.
      if (!(slot in slots)) throw new Error(`steadysocket: the core's option slot ${slot} has no value`);
      return slots[slot];
    }),
  );
  const { problem, maxQueuedMessages, maxQueuedBytes, highWaterMark } = readConfig(numbers);
  const { values, names } = options;
  if (problem === ConfigProblem.FACTOR) fail(names.factor, "a number of at least 1", values.factor);
  if (problem === ConfigProblem.MIN_DELAY_ABOVE_MAX) {
    // Only an explicit minDelay can be above the cap: a cap alone lowers the default.
    throw new TypeError(
      `option ${names.minDelay} (${values.minDelay}) must not be more than ` +
        `${names.maxDelay ?? "maxDelay"} (${values.maxDelay ?? "30000 by default"})`,
    );
  }
  if (problem === ConfigProblem.LOW_MARK_ABOVE_HIGH) {
    throw new TypeError(
      `option lowWaterMark (${values.lowWaterMark ?? "262144 by default"}) must not be more than ` +
        `highWaterMark (${values.highWaterMark ?? "1048576 by default"})`,
    );
  }
  if (problem !== ConfigProblem.NONE) throw new TypeError("these options cannot work together");
  const Constructor = values.WebSocket ?? globalThis.WebSocket;
  if (!absent(values.WebSocket) && typeof values.WebSocket !== "function") {
    fail("WebSocket", "a WebSocket constructor", values.WebSocket);
  }
  if (typeof Constructor !== "function") {
    throw new Error(
      "there is no WebSocket constructor here: Node before 22 needs the flag --experimental-websocket, " +
        "or pass one (such as the ws package's WebSocket) as the WebSocket option",
    );
  }
  const startClosed = booleanOption(options, "startClosed");
  return shared({
    numbers, Constructor, heartbeat, acknowledge, startClosed, trace: tracerOf(options),
    decide: decisionOf(options), retryAfter: hintReaderOf(options),
    maxQueuedMessages, maxQueuedBytes, highWaterMark,
  });
}

/** The options last read (the class only reads them, so sockets made alike share one object). */
let lastRead = null;

/** `read`, or the last options read if every field is the same (options with functions never are). */
function shared(read) {
  const last = lastRead;
  if (last !== null && Object.keys(read).every((key) => read[key] === last[key])) return last;
  lastRead = read;
  return read;
}

/** The numbers of the last options read (apps make many sockets alike; they share one array). */
let lastNumbers = null;

/** `values` as a Float64Array: the last one made if it holds the same numbers (NaN included), else a new one. */
function sharedNumbers(values) {
  if (lastNumbers === null || !values.every((value, i) => Object.is(value, lastNumbers[i]))) {
    lastNumbers = new Float64Array(values);
  }
  return lastNumbers;
}

/** The list of no protocols, one for every socket that offers none. */
const NO_PROTOCOLS = Object.freeze([]);

/**
 * The protocols as a list of its own: absent, a string, or an array or any
 * other iterable of strings (a WebIDL sequence, as WebSocket takes it, and
 * as the Rust API's `protocols` takes any `IntoIterator`), copied as
 * WebSocket copies it: changing the array later does not change what the
 * next attempt offers. A function is a provider, asked before every attempt
 * (see `provided`).
 */
export function protocolList(protocols) {
  if (absent(protocols)) return NO_PROTOCOLS;
  if (typeof protocols === "string") return [protocols];
  if (typeof protocols[Symbol.iterator] !== "function") {
    throw new TypeError(`protocols must be a string or an array (or other iterable) of strings, not ${shown(protocols)}`);
  }
  const list = Array.from(protocols);
  for (const protocol of list) {
    if (typeof protocol !== "string") throw new TypeError(`every protocol must be a string, not ${shown(protocol)}`);
  }
  return list.length > 0 ? list : NO_PROTOCOLS;
}

/**
 * Calls `open(url, protocols)` with the sources' values: at once when both are
 * fixed, else when the providers have answered; `fail(reason)` when a
 * provider fails or answers what cannot be used.
 */
export function withSources(url, protocols, { open, fail }) {
  if (typeof url !== "function" && typeof protocols !== "function") return open(url, protocols);
  const askedUrl = typeof url === "function" ? provided(url, "URL") : url;
  const askedProtocols = typeof protocols === "function" ? provided(protocols, "protocols") : protocols;
  Promise.all([askedUrl, askedProtocols]).then(
    ([url, protocols]) => {
      if (typeof url !== "string") return fail("the URL function must return a string or a promise of one");
      let list;
      try {
        list = protocolList(protocols);
      } catch (error) {
        return fail(error.message);
      }
      open(url, list);
    },
    (error) => fail(error.message),
  );
}

/** Calls a provider and waits for its value, turning a failure into the attempt's reason. */
export async function provided(provider, what) {
  try {
    return await provider();
  } catch (error) {
    throw new Error(`the ${what} provider failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
