// The lifecycle events the core's notices make: each notice's type and
// fields as the class dispatches them (the notices that carry a message's
// data, dropped or acknowledged, are the class's own: it keeps the data).
import { Action, DELAY_SOURCE_WORDS } from "./engine.js";
import { lifecycleEvent } from "./data.js";

/**
 * The event of `action` (what `Core.next` returned) if it is one of the
 * core's notices that carry no data, else null.
 */
export function noticeEvent(action) {
  switch (action.kind) {
    case Action.CONNECTING: return lifecycleEvent("connecting", { attempt: action.attempt });
    case Action.OPEN: return lifecycleEvent("open", { protocol: action.protocol, reconnected: action.reconnected === 1 });
    case Action.ERROR: return lifecycleEvent("error", null);
    case Action.ATTEMPT_FAILED: return lifecycleEvent("attemptfailed", { reason: action.reason });
    case Action.CLOSED: {
      const { code, reason, wasClean, willRetry } = action;
      return lifecycleEvent("close", { code, reason, wasClean: wasClean === 1, willRetry: willRetry === 1 });
    }
    case Action.RECONNECTING: {
      const source = DELAY_SOURCE_WORDS[action.source];
      return lifecycleEvent("reconnecting", { attempt: action.attempt, delay: action.delay, source, hinted: source === "hint" });
    }
    case Action.GAVE_UP: return lifecycleEvent("giveup", { attempts: action.attempts });
    case Action.DRAINED: return lifecycleEvent("drain", {});
    default: return null;
  }
}
