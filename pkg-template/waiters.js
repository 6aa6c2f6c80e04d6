// The promises a socket hands out that settle when the core says so:
// `drained()` (backpressure: the core decides when the high water mark is
// crossed and when it has drained, see src/core/flow.rs; the class samples
// the platform's `bufferedAmount` only when a send leaves it above the high
// mark, and when the core asks) and `closed()` (closed for good). Made on a
// socket's first call: most sockets never wait.

/** What `drained()` rejects with once the socket is closed for good. */
function closedError() {
  return new DOMException("closed for good before the buffer drained", "InvalidStateError");
}

/** The pending `drained()` and `closed()` promises of one socket. */
export class Waiters {
  /** `[resolve, reject]` of each `drained()` waiting. */
  #draining = [];
  /** The `resolve` of each `closed()` waiting (the socket pushes them: it knows whether it is closed). */
  closing = [];

  /** For `drained()`: resolved at once unless `congested`, else at the drain; rejected if `closed`. */
  wait(congested, closed) {
    if (closed) return Promise.reject(closedError());
    if (!congested) return Promise.resolve();
    return new Promise((resolve, reject) => this.#draining.push([resolve, reject]));
  }

  /** The core reported the drain. */
  drained() {
    for (const [resolve] of this.#draining.splice(0)) resolve();
  }

  /** Closed for good: nothing will drain, and the wait for the close is over. */
  closed() {
    for (const [, reject] of this.#draining.splice(0)) reject(closedError());
    for (const resolve of this.closing.splice(0)) resolve();
  }
}
