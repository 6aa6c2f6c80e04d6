// `steadysocket/react`: one SteadySocket for a component, as React state.
//
// The socket is made by an effect (never while rendering, so a server render
// touches no WebSocket), connects a microtask after it, and is closed in the
// effect's cleanup: StrictMode's immediate remount closes the first before
// it has a platform socket, so at most one is alive at a time. A new socket only when the URL or the
// protocols change (compared by value) or `enabled` turns on; handlers are
// read through a ref, so new handler functions on every render cost nothing.
// Where WebAssembly cannot run (an engine without it, as Safari in Lockdown
// Mode, or a page whose Content-Security-Policy refuses it), the socket's
// class comes from the no-wasm export, imported then only: a bundler makes
// it a chunk of its own, which no other page loads.
import { useEffect, useRef, useState } from "react";
import { SteadySocket } from "./steadysocket.js";
import { canRunWebAssembly } from "./webassembly.js";

/** The option that handles each event type. */
const HANDLER_OF = { open: "onOpen", message: "onMessage", error: "onError", close: "onClose" };
const HOOK_OPTIONS = new Set(["enabled", ...Object.values(HANDLER_OF)]);
/** The events that change what the hook shows. */
const WATCHED = ["connecting", "open", "message", "error", "close", "reconnecting", "giveup"];

/** What the hook shows before a socket exists (server render, disabled). */
const IDLE = { readyState: SteadySocket.CLOSED, state: { type: "closed" }, lastMessage: null };

function socketOptions(options) {
  const rest = {};
  for (const [name, value] of Object.entries(options)) if (!HOOK_OPTIONS.has(name)) rest[name] = value;
  return rest;
}

/**
 * `useSteadySocket(url, protocols?, options?)`: `{ socket, readyState, state,
 * lastMessage, send, close, reconnect }`. `options` are SteadySocket's, plus
 * `enabled` (default true) and the handlers `onOpen`, `onMessage`, `onError`,
 * `onClose`, which see every event (`lastMessage` is only the latest).
 * Socket options are read when a socket is made.
 */
export function useSteadySocket(url, protocols, options = {}) {
  const { enabled = true } = options;
  const latest = useRef(options);
  latest.current = options;
  const [view, setView] = useState(IDLE);
  const [socket, setSocket] = useState(null);
  const protocolsKey = JSON.stringify(protocols ?? []);

  useEffect(() => {
    if (!enabled) return undefined;
    const options = socketOptions(latest.current);
    let cancelled = false;
    let created = null;
    const show = (event) => {
      latest.current[HANDLER_OF[event.type]]?.(event);
      setView((before) => ({
        readyState: created.readyState,
        state: created.state,
        lastMessage: event.type === "message" ? event : before.lastMessage,
      }));
    };
    const start = (Socket) => {
      // Checked now (a bad URL or option throws, to an error boundary) but
      // connected a microtask later: StrictMode runs this effect, its
      // cleanup and the effect again in one go, and the cleanup closes the
      // first before it has a platform socket: one at a time, for the server too.
      created = new Socket(url, JSON.parse(protocolsKey), { ...options, startClosed: true });
      for (const type of WATCHED) created.addEventListener(type, show);
      setSocket(created);
      queueMicrotask(() => {
        if (!cancelled && options.startClosed !== true) created.reconnect();
      });
    };
    if (canRunWebAssembly()) start(SteadySocket);
    else {
      // The socket is made once the no-wasm export has loaded; what that
      // throws reaches the error boundary through a state update, as the
      // effect's own throw would.
      import("./no-wasm.js")
        .then((noWasm) => cancelled || start(noWasm.SteadySocket))
        .catch((error) => {
          if (!cancelled) setView(() => { throw error; });
        });
    }
    return () => {
      cancelled = true;
      if (created !== null) {
        for (const type of WATCHED) created.removeEventListener(type, show);
        created.close();
      }
      setSocket(null);
      setView(IDLE);
    };
  }, [url, protocolsKey, enabled]);

  return {
    socket,
    ...view,
    send: (data) => {
      if (socket === null) throw new DOMException("no socket: the hook is disabled or not mounted", "InvalidStateError");
      return socket.send(data);
    },
    close: (code, reason) => socket?.close(code, reason),
    reconnect: () => socket?.reconnect(),
  };
}
