// An echo component over useSteadySocket, shared by the page (main.js) and
// the server render (tests/js/react.test.mjs). No JSX: no build plugin needed.
import { createElement as h, useState } from "react";
import { useSteadySocket } from "steadysocket/react";

export function Echo({ url }) {
  const [seen, setSeen] = useState(0);
  const { readyState, state, lastMessage, send } = useSteadySocket(url, [], {
    onMessage: () => setSeen((n) => n + 1),
    minDelay: 100,
    maxDelay: 200,
  });
  return h(
    "div",
    null,
    h("p", { id: "ready", "data-ready": readyState }, `readyState ${readyState} ${state.type}`),
    h("p", { id: "last" }, lastMessage ? String(lastMessage.data) : ""),
    h("p", { id: "seen" }, String(seen)),
    h("button", { id: "send", onClick: () => send("hello") }, "send"),
  );
}
