// The events each socket has waiting to be dispatched, in order, after the
// step that made them (never inside a method call): a socket is here only
// while a dispatch is due (a field of each socket's would cost every socket
// 8 B).

const eventsDue = new Map();

/**
 * Dispatches `event` with `deliver` a microtask after the step that made
 * it, behind the events `owner` has due; events that handlers cause join
 * the end of the same queue.
 */
export function queueEvent(owner, event, deliver) {
  const waiting = eventsDue.get(owner);
  if (waiting !== undefined) return void waiting.push(event);
  const events = [event];
  eventsDue.set(owner, events);
  queueMicrotask(() => {
    for (let item = events.shift(); item !== undefined; item = events.shift()) {
      if (item instanceof Event) deliver(item);
      else if (item.stillCurrent()) deliver(item.message);
    }
    eventsDue.delete(owner);
  });
}

/** Whether `owner` has events due: a message then waits behind them (queueBehindDue). */
export function hasEventsDue(owner) {
  return eventsDue.has(owner);
}

/**
 * Puts a message event behind the events `owner` has due, to be dispatched
 * only if `stillCurrent()` says so then. The `ws` package hands over a
 * message that came with the handshake's answer before the open's
 * microtask runs (in a `nextTick` in Node, in the same task in Deno).
 */
export function queueBehindDue(owner, message, stillCurrent) {
  eventsDue.get(owner).push({ message, stillCurrent });
}

/**
 * Drops the messages `owner` holds behind its due events: close() was
 * called, and WebSocket dispatches no message that finds it no longer OPEN,
 * even when the server's close was heard first and left nothing to close.
 */
export function dropHeldMessages(owner) {
  const waiting = eventsDue.get(owner);
  if (waiting === undefined) return;
  for (let index = waiting.length - 1; index >= 0; index--) {
    if (!(waiting[index] instanceof Event)) waiting.splice(index, 1);
  }
}
