// What `WebSocket` makes of a URL, and what steadysocket does, the oracle
// both faces are checked against: the Rust API in every browser place and runtime
// (tests/web_api/url_parity.rs imports this module) and the npm class
// (a scenario in scenarios.mjs). Its inputs are drawn from one grammar of URL parts,
// chosen to reach the URL parser's corners: schemes in any case, runs of
// slashes and backslashes, user info, hosts it refuses or rewrites, ports
// out of range, white space, fragments.

const PARTS = [
  ["ws:", "WSS:", "http:", "HTTPS:", "ftp:", ""],
  ["", "/", "//", "\\\\", "///", "/\\"],
  ["", "u@", "u:p@", "@"],
  ["h.example", "127.0.0.1", "[::1]", "", "a<b", "1.2.3.256", "H.Ex%41mple", "0x7f.1", "ex ample", "ex%20ample", "h\t.example"],
  ["", ":", ":80", ":65536", ":x", ":0443"],
  ["", "/", "/a b", "\\p", "?q=1", "#f", "/p?q#", "/./x/../y", " "],
];

/** How many inputs the grammar gives: a sample of its combinations, the same one everywhere. */
const CASES = 4000;

/**
 * The inputs: CASES combinations of one part from each list of PARTS,
 * spread over all of them (the k-th is the combination numbered k × a
 * prime stride, modulo their count), plus the empty URL.
 */
export function websocketUrlCases() {
  const total = PARTS.reduce((count, choices) => count * choices.length, 1);
  const stride = 7919; // A prime that does not divide `total`, so no two k below it give one combination.
  const cases = [""];
  for (let k = 1; k < CASES; k++) {
    let number = (k * stride) % total;
    let input = "";
    for (const choices of PARTS) {
      input += choices[number % choices.length];
      number = Math.floor(number / choices.length);
    }
    cases.push(input);
  }
  return cases;
}

const SCHEMES = { "ws:": "ws:", "wss:": "wss:", "http:": "ws:", "https:": "wss:" };

/**
 * What the WHATWG `WebSocket` constructor makes of `input`: the URL parser
 * against the page location (where there is one), http(s) as ws(s), another
 * scheme or any fragment refused. The serialized URL, or null if refused.
 */
export function whatWebSocketMakesOf(input) {
  let url;
  try {
    url = new URL(input, globalThis.location?.href);
  } catch {
    return null;
  }
  const scheme = SCHEMES[url.protocol];
  // `hash` is "" for a bare "#", which WebSocket refuses too: the href keeps it.
  if (scheme === undefined || url.href.includes("#")) return null;
  url.protocol = scheme;
  return url.href;
}

/**
 * What steadysocket makes of `input`: what `WebSocket` does, but for the
 * URLs both faces refuse on purpose: an empty one (only white space or
 * control characters), and one whose host has white space or a control
 * character, which Chromium's URL parser percent-encodes there
 * (`ws://exa mple.com/` opens `exa%20mple.com`) and the others refuse.
 */
export function whatSteadysocketMakesOf(input) {
  if (input.replace(/^[\0- ]+|[\0- ]+$|[\t\n\r]/g, "") === "") return null;
  const url = whatWebSocketMakesOf(input);
  if (url !== null && /%(?:[01][\da-f]|20|7f)/i.test(new URL(url).host)) return null;
  return url;
}

/**
 * A `WebSocket` class that opens nothing: its constructor keeps the URL it
 * was given, so what a face hands the platform can be read without a
 * connection for every input.
 */
export class InertWebSocket extends EventTarget {
  constructor(url, protocols) {
    super();
    this.url = url;
    this.protocols = protocols;
    this.readyState = 0;
    this.protocol = "";
    this.extensions = "";
    this.binaryType = "blob";
    this.bufferedAmount = 0;
  }
  send() {}
  close() {
    this.readyState = 3;
  }
}

/** The class, for the Rust API's `constructor` option. */
export function inertWebSocket() {
  return InertWebSocket;
}
