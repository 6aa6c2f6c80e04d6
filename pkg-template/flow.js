// Backpressure in the class: the promises of `drained()`. The core decides
// when the high water mark is crossed and when it has drained (see
// src/core/flow.rs); the class samples the platform's `bufferedAmount` only
// when a send leaves it above the high mark, and when the core asks.

/** What `drained()` rejects with once the socket is closed for good. */
function closedError() {
  return new DOMException("the socket closed for good before its buffer drained", "InvalidStateError");
}

/** The pending `drained()` promises of one socket. */
export class DrainWaiters {
  #waiting = [];

  /** Resolved at once unless `congested`, else at the drain; rejected if `closed`. */
  wait(congested, closed) {
    if (closed) return Promise.reject(closedError());
    if (!congested) return Promise.resolve();
    return new Promise((resolve, reject) => this.#waiting.push({ resolve, reject }));
  }

  /** The core reported the drain. */
  drained() {
    for (const waiter of this.#waiting.splice(0)) waiter.resolve();
  }

  /** Closed for good: nothing will drain. */
  closed() {
    for (const waiter of this.#waiting.splice(0)) waiter.reject(closedError());
  }
}
