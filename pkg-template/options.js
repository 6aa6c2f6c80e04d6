// Reading the constructor's arguments: what is wrong throws a TypeError that
// names the option and says what is allowed. The core checks what the values
// mean together (a factor below 1, a first delay above the cap).
import { configProblem } from "./engine.js";

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

/** A number, 0 or more, or NaN when absent. */
function number(options, name, allowed) {
  const value = options[name];
  if (absent(value)) return Number.NaN;
  if (typeof value !== "number" || Number.isNaN(value) || value < 0) fail(name, allowed, value);
  return value;
}

const milliseconds = (options, name) => number(options, name, "a number of milliseconds, 0 or more");

function count(options, name) {
  const value = number(options, name, "a whole number, 0 or more");
  if (!Number.isNaN(value) && !Number.isInteger(value)) fail(name, "a whole number, 0 or more", value);
  return value;
}

/** The index of a word among `allowed`, or NaN when absent. */
function word(options, name, allowed) {
  const value = options[name];
  if (absent(value)) return Number.NaN;
  const index = allowed.indexOf(value);
  if (typeof value !== "string" || index < 0) fail(name, `one of "${allowed.join('", "')}"`, value);
  return index;
}

function functionOption(options, name) {
  const value = options[name];
  if (absent(value)) return null;
  if (typeof value !== "function") fail(name, "a function", value);
  return value;
}

/** `heartbeat: { interval, timeout, ping, pong? }` → `{ interval, timeout, ping, isPong }` or null. */
function heartbeatOf(options) {
  const heartbeat = options.heartbeat;
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
  const acknowledge = options.acknowledge;
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

/**
 * Everything the class needs from `options`: `numbers` for the core (in the
 * order of its option positions), the `WebSocket` constructor, and the
 * heartbeat, acknowledgement and reconnect functions.
 */
export function readOptions(options = {}) {
  if (typeof options !== "object") throw new TypeError(`options must be an object, not ${typeof options}`);
  const heartbeat = heartbeatOf(options);
  const acknowledge = acknowledgeOf(options);
  const retries = number(options, "maxRetries", "a whole number or Infinity");
  const seed = number(options, "seed", "a number");
  const numbers = new Float64Array([
    milliseconds(options, "minDelay"),
    milliseconds(options, "maxDelay"),
    number(options, "factor", "a number of at least 1"),
    word(options, "jitter", ["none", "full", "equal", "decorrelated"]),
    retries,
    milliseconds(options, "connectTimeout"),
    milliseconds(options, "minUptime"),
    count(options, "maxQueuedMessages"),
    count(options, "maxQueuedBytes"),
    word(options, "overflow", ["reject", "drop-oldest"]),
    heartbeat ? heartbeat.interval : Number.NaN,
    heartbeat ? heartbeat.timeout : Number.NaN,
    acknowledge ? 1 : 0,
    Number.isNaN(seed) ? Math.floor(Math.random() * 2 ** 53) : seed,
  ]);
  const problem = configProblem(numbers);
  if (problem === 1) fail("factor", "a number of at least 1", options.factor);
  if (problem === 2) throw new TypeError("option minDelay must not be more than maxDelay");
  if (problem !== 0) throw new TypeError("these options cannot work together");
  const Constructor = options.WebSocket ?? globalThis.WebSocket;
  if (!absent(options.WebSocket) && typeof options.WebSocket !== "function") {
    fail("WebSocket", "a WebSocket constructor", options.WebSocket);
  }
  if (typeof Constructor !== "function") {
    throw new Error(
      "there is no WebSocket constructor here: Node before 22 needs the flag --experimental-websocket, " +
        "or pass one (such as the ws package's WebSocket) as the WebSocket option",
    );
  }
  return { numbers, Constructor, heartbeat, acknowledge, decide: decisionOf(options) };
}

/**
 * The protocols as a list: absent, a string or an array of strings. A
 * function is a provider, asked before every attempt (see `provided`).
 */
export function protocolList(protocols) {
  if (absent(protocols)) return [];
  if (typeof protocols === "string") return [protocols];
  if (!Array.isArray(protocols)) {
    throw new TypeError(`protocols must be a string or an array of strings, not ${shown(protocols)}`);
  }
  for (const protocol of protocols) {
    if (typeof protocol !== "string") throw new TypeError(`every protocol must be a string, not ${shown(protocol)}`);
  }
  return protocols;
}

/** Calls a provider and waits for its value, turning a failure into the attempt's reason. */
export async function provided(provider, what) {
  try {
    return await provider();
  } catch (error) {
    throw new Error(`the ${what} provider failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
