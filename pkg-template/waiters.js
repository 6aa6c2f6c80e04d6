// The promises a socket hands out that settle when the core says so:
// `drained()` (backpressure: the core decides when the high water mark is
// crossed and when it has drained, see src/core/flow.rs; the class samples
// the platform's `bufferedAmount` only when a send leaves it above the high
// mark, and when the core asks) and `closed()` (closed for good). Made on a
// socket's first call: most sockets never wait.

/** What `drained()` rejects with once the socket is closed for good. */
function closedError() {
  return new DOMException("the socket closed for good before its buffer drained", "InvalidStateError");
}

/** The pending `drained()` and `closed()` promises of one socket. */
export class Waiters {
  #draining = [];
  #closing = [];

  /** For `drained()`: resolved at once unless `congested`, else at the drain; rejected if `closed`. */
  untilDrained(congested, closed) {
    if (closed) return Promise.reject(closedError());
    if (!congested) return Promise.resolve();
    return new Promise((resolve, reject) => this.#draining.push({ resolve, reject }));
  }

  /** For `closed()`: resolved at once if `closed`, else when the socket is closed for good. */
  untilClosed(closed) {
    if (closed) return Promise.resolve();
    return new Promise((resolve) => this.#closing.push(resolve));
  }

  /** The core reported the drain. */
  drained() {
    for (const waiter of this.#draining.splice(0)) waiter.resolve();
  }

  /** Closed for good: nothing will drain, and the wait for the close is over. */
  closed() {
    for (const waiter of this.#draining.splice(0)) waiter.reject(closedError());
    for (const resolve of this.#closing.splice(0)) resolve();
  }
}
