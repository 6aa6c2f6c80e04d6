// What the class checks before anything reaches the platform, with the
// platform's own URL parser (as the WHATWG WebSocket constructor does), and
// messages that say what was wrong and what is allowed. The Rust API checks
// the same rules of URLs, subprotocols and closes in the core
// (src/core/validation.rs), in its own words; what send() takes is the
// class's alone (the Rust API sends bytes of its own).

const TOKEN = /^[!#$%&'*+\-.^`|~\w]+$/;
// A space or a control character, as it is or percent-encoded (the URL parser decodes a host before it checks it),
// which no host may have.
const SPACE_OR_CONTROL = /[\s\0-\x1f\x7f-\x9f]|%(?:[01][\da-f]|20|7f)/i;
// The host as the URL parser reads it: after the scheme, any run of slashes and backslashes, and any user@.
const HOST = /^[a-z][a-z\d+.-]*:[/\\]*(?:[^/\\?#]*@)?([^/\\?#@]*)/i;
const HOST_PROBLEM = "its host contains white space or a control character, which no host may have";
const SCHEMES = { "ws:": "ws:", "wss:": "wss:", "http:": "ws:", "https:": "wss:" };

function invalidUrl(input, problem) {
  return new DOMException(`invalid WebSocket URL ${JSON.stringify(input)}: ${problem}`, "SyntaxError");
}

/**
 * `input` as the URL to open: resolved against the page location (if any),
 * http(s) mapped to ws(s), as the URL parser writes it (control characters
 * and spaces at either end and tabs and newlines anywhere dropped, white
 * space in the path or query percent-encoded). Throws a SyntaxError for
 * anything WebSocket would refuse.
 */
export function checkedUrl(input) {
  // What the URL parser drops: control characters and spaces at either end, tabs and newlines anywhere.
  const cleaned = input.replace(/^[\0- ]+|[\0- ]+$|[\t\n\r]/g, "");
  if (!cleaned) throw invalidUrl(input, "it is empty; give a ws:// or wss:// URL");
  const base = globalThis.location?.href;
  let url;
  try {
    url = new URL(input, base);
  } catch {
    // No match: there is no scheme (and `host?.[1]`, undefined, tests as "undefined": no host problem).
    const host = HOST.exec(cleaned);
    throw invalidUrl(
      input,
      host === null && base === undefined
        ? "it is relative and there is no page location to resolve it against; give an absolute ws://, wss://, http:// or https:// URL"
        : SPACE_OR_CONTROL.test(host?.[1])
          ? HOST_PROBLEM
          : "it does not parse as a URL; write it as ws://host[:port]/path",
    );
  }
  const scheme = SCHEMES[url.protocol];
  if (scheme === undefined) {
    throw invalidUrl(
      input,
      `the scheme ${JSON.stringify(url.protocol.slice(0, -1))} is not allowed; use ws:, wss:, http: (means ws:) or https: (means wss:)`,
    );
  }
  if (input.includes("#")) throw invalidUrl(input, "it has a #fragment, which WebSocket URLs must not have");
  // Checked here, not left to the parser: Chromium's takes a space in a ws: host (as %20).
  if (SPACE_OR_CONTROL.test(url.host)) throw invalidUrl(input, HOST_PROBLEM);
  url.protocol = scheme;
  // The caller's string when it is already the serialized URL: sockets opened with one URL share it.
  const serialized = url.href;
  return serialized === input ? input : serialized;
}

/**
 * Throws a SyntaxError for the first offered protocol that is not an RFC 7230 token or is offered twice, letter case
 * aside: browsers accept ["chat", "CHAT"], but Node's, Deno's and Bun's constructors throw for it.
 */
export function checkProtocols(protocols) {
  const seen = new Set();
  for (const protocol of protocols) {
    if (!TOKEN.test(protocol)) {
      throw new DOMException(
        `invalid subprotocol ${JSON.stringify(protocol)}: a subprotocol must be a non-empty token of letters, ` +
          "digits and !#$%&'*+-.^_`|~ (RFC 7230), without spaces, commas, quotes or separators",
        "SyntaxError",
      );
    }
    // A token is ASCII: lower case is ASCII lower case.
    const folded = protocol.toLowerCase();
    if (seen.has(folded)) {
      throw new DOMException(
        `subprotocol ${JSON.stringify(protocol)} is offered more than once (letter case aside); offer each subprotocol once`,
        "SyntaxError",
      );
    }
    seen.add(folded);
  }
}

/**
 * Whether the subprotocol a server chose (`""` for none) can be accepted: one of those offered, or none when none
 * was offered (RFC 6455 section 4.1). Deno and Firefox open such connections anyway.
 */
export function acceptsChosenProtocol(offered, chosen) {
  return chosen ? offered.includes(chosen) : offered.length === 0;
}

/** An object's class as `Object.prototype.toString` reads it: what `instanceof` cannot tell of another realm's. */
const classOf = Function.prototype.call.bind(Object.prototype.toString);

/** Whether `buffer` is detached; without ES2024's `detached` (Node 20), whether copying nothing of it fails. */
function isDetached(buffer) {
  try {
    return buffer.detached ?? !buffer.slice(0, 0);
  } catch {
    return true;
  }
}

/** Whether `data` is a Blob or a File, of any realm, or a Blob-like by its string tag (as undici takes them). */
export function isBlob(data) {
  return /^\[object (Blob|File)\]$/.test(classOf(data));
}

/**
 * Whether `data` is bytes that send() takes: an ArrayBuffer of any realm or a
 * view of one. One answer in every runtime, before anything is queued: a
 * shared or resizable buffer throws a TypeError, as WebIDL's BufferSource
 * and browsers do (Node 24 sent a view of a SharedArrayBuffer as the text of
 * its numbers, and took a resizable one), and so does a detached one, as in
 * Node (browsers send it as an empty message; a transferred buffer sent is a
 * bug to hear of).
 */
export function isSendableBinary(data) {
  const buffer = ArrayBuffer.isView(data) ? data.buffer : data;
  const kind = buffer instanceof ArrayBuffer ? "" : classOf(buffer);
  let problem;
  if (kind === "[object SharedArrayBuffer]") problem = "shared";
  else if (kind && kind !== "[object ArrayBuffer]") return false;
  else if (buffer.resizable) problem = "resizable";
  else if (isDetached(buffer)) problem = "detached";
  else return true;
  throw new TypeError(
    `send() takes no ${problem} ArrayBuffer or view of one` +
      (problem === "detached" ? ": its bytes were transferred elsewhere" : ", as WebSocket takes none; send a copy (slice())"),
  );
}

const utf8 = new TextEncoder();

/** Checks close() arguments as the WHATWG WebSocket does. */
export function checkClose(code, reason) {
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
