// The trace: one entry for every decision of the core, as a plain object
// `{ type, ...fields, text }`. The core sends the kind and its numbers
// (src/js/trace.rs); this names the fields and words the explanation in the
// same sentences as the Rust face's `TraceEntry` Display (both are checked
// against tests/vectors.json).
import { reportThrown } from "./data.js";
import { DELAY_SOURCE_WORDS, TRACE_KIND_WORDS } from "./engine.js";

const ms = (value) => Math.floor(value);

/** The fields of each kind, from the core's numbers (`first` … `fifth`) and text. */
const FIELDS = {
  opened: (n, text) => ({ protocol: text === "" ? null : text, reconnected: n[0] === 1 }),
  closed: (n, text) => ({ code: n[0], reason: text, wasClean: n[1] === 1, willRetry: n[2] === 1 }),
  "retry-scheduled": (n) => ({
    attempt: n[0], delay: ms(n[1]), source: DELAY_SOURCE_WORDS[n[2]], step: n[3], hint: n[4] < 0 ? null : ms(n[4]),
  }),
  "waiting-for-network": (n) => ({ attempt: n[0] }),
  queued: (n) => ({ bytes: n[0], queuedMessages: n[1] }),
  flushed: (n) => ({ messages: n[0] }),
  dropped: (n) => ({ bytes: n[0] }),
  acknowledged: (n) => ({ bytes: n[0] }),
  congested: (n) => ({ pending: n[0] }),
  drained: (n) => ({ pending: n[0] }),
  "gave-up": (n) => ({ attempts: n[0] }),
};

/** The explanation of each kind. */
const TEXTS = {
  attempt: (e) => `attempt ${e.attempt}: connecting to ${e.url}${e.protocols.length > 0 ? ` offering ${e.protocols.join(", ")}` : ""}`,
  opened: (e) => `${e.reconnected ? "reopened" : "open"}${e.protocol === null ? "" : ` with subprotocol ${e.protocol}`}`,
  closed: (e) =>
    `closed: code ${e.code}, ${e.wasClean ? "clean" : "not clean"}${e.reason === "" ? "" : `, reason "${e.reason}"`}` +
    `; ${e.willRetry ? "a retry follows" : "closed for good"}`,
  "retry-scheduled": (e) =>
    `retry ${e.attempt} in ${e.delay} ms: ` +
    (e.source === "hint" && e.hint !== null
      ? `the server asked for ${e.hint} ms, spread up to 1.5 times`
      : e.source === "try-again-later"
        ? "the server said try again later (1013), from the cap's window"
        : `backoff step ${e.step}`),
  "waiting-for-network": (e) => `offline: attempt ${e.attempt} waits for the network`,
  queued: (e) => `queued ${e.bytes} bytes (${e.queuedMessages} waiting)`,
  flushed: (e) => `sent ${e.messages} waiting messages on the new connection`,
  dropped: (e) => `dropped a message of ${e.bytes} bytes`,
  acknowledged: (e) => `the server acknowledged a message of ${e.bytes} bytes`,
  congested: (e) => `congested: ${e.pending} bytes not yet transmitted, above the high water mark`,
  drained: (e) => `drained: ${e.pending} bytes not yet transmitted, at or below the low water mark`,
  "gave-up": (e) => `gave up after ${e.attempts} retries`,
};

/** `fields` of kind `type` with their explanation as `text`. */
export function described(type, fields) {
  const entry = { type, ...fields };
  entry.text = TEXTS[type](entry);
  return entry;
}

/** The entry of a TRACE action of the core. */
export function traceEntry(action) {
  const type = TRACE_KIND_WORDS[action.entry];
  const numbers = [action.first, action.second, action.third, action.fourth, action.fifth];
  return described(type, FIELDS[type](numbers, action.text));
}

/** The entry of an attempt, made by the class: it knows the URL after asking the providers. */
export function attemptEntry(attempt, url, protocols) {
  return described("attempt", { attempt, url, protocols: [...protocols] });
}

/**
 * Hands `entry` to `tracer`, the trace option's function. What it throws is reported as a listener's error is: it
 * neither stops the class's step that traced nor counts as a failed attempt.
 */
export function traceTo(tracer, entry) {
  try {
    tracer(entry);
  } catch (error) {
    reportThrown(error);
  }
}
