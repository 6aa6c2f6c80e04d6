// Shared by the JS tests: where the package and the peer server are, and
// waiting for events with a deadline.
export const peer = process.env.STEADYSOCKET_PEER ?? "127.0.0.1:9001";
export const hang = process.env.STEADYSOCKET_HANG ?? "127.0.0.1:9002";
export const packageUrl = new URL("../../target/pkg/", import.meta.url);

/** Records every event of the given types; `next(type)` waits for the next one of that type. */
export function recorder(target, types) {
  const seen = [];
  for (const type of types) target.addEventListener(type, (event) => seen.push(event));
  return async function next(type, timeoutMs = 5000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = seen.findIndex((event) => event.type === type);
      if (index >= 0) return seen.splice(0, index + 1).pop();
      if (Date.now() > deadline) {
        throw new Error(`no ${type} event within ${timeoutMs} ms; saw ${seen.map((e) => e.type).join(", ")}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
}

export const ALL_EVENTS = ["open", "message", "error", "close", "connecting", "reconnecting", "giveup", "attemptfailed", "dropped"];

export function uniqueTag(name) {
  return `${name}-${Math.random().toString(36).slice(2)}`;
}

export async function counts(tag) {
  const response = await fetch(`http://${peer}/stats?tag=${encodeURIComponent(tag)}`);
  return response.json();
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
