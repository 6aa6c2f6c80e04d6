// Types of `steadysocket/react`.
import type { SteadySocket, SteadySocketOptions } from "./steadysocket.js";

/** SteadySocket's options, plus the hook's own. */
export interface UseSteadySocketOptions extends SteadySocketOptions {
  /** Whether a socket exists; turning it off closes it. Default true. */
  enabled?: boolean;
  /** Every `open` event. */
  onOpen?: (event: Event) => void;
  /** Every message, in order (`lastMessage` is only the latest). */
  onMessage?: (event: MessageEvent) => void;
  /** Every `error` event. */
  onError?: (event: Event) => void;
  /** Every `close` event. */
  onClose?: (event: Event) => void;
}

/** What the hook gives each render. */
export interface UseSteadySocket {
  /** The socket, once the effect made it; null while disabled or on the server. */
  socket: SteadySocket | null;
  /** CONNECTING, OPEN, CLOSING or CLOSED (CLOSED without a socket). */
  readyState: number;
  /** Where the socket stands, as `SteadySocket.state`. */
  state: SteadySocket["state"];
  /** The latest message event, or null. */
  lastMessage: MessageEvent | null;
  /** `socket.send`; throws `InvalidStateError` without a socket. */
  send: (data: string | ArrayBufferLike | ArrayBufferView | Blob) => "sent" | "queued";
  /** `socket.close`; nothing without a socket. */
  close: (code?: number, reason?: string) => void;
  /** `socket.reconnect`; nothing without a socket. */
  reconnect: () => void;
}

/**
 * One SteadySocket for the component: made in an effect, kept across renders
 * (a new one only when `url` or `protocols` change, compared by value, or
 * `enabled` turns on), closed on unmount.
 */
export function useSteadySocket(
  url: string,
  protocols?: string | string[],
  options?: UseSteadySocketOptions,
): UseSteadySocket;
