import type { BridgeSocketCall, BridgeSocketReply } from '../../core/bridge';
import type { Envelope } from '../../core/errors';
import { serverUnreachable } from './http-bridge';
import type { BridgeTransport } from './unwrap';

/** What the transport hears from its socket. */
export interface SocketEvents {
  /** A message's text. */
  onMessage(text: string): void;
  /** The socket closed or failed (it cannot be used again). */
  onClose(): void;
}

/**
 * What the transport needs of a socket: a browser WebSocket (renderer/bridge/index.ts wraps
 * one), or the `ws` package's in Node tests.
 */
export interface BridgeSocket {
  isOpen(): boolean;
  send(text: string): void;
}

/** After a socket fails, calls go over `fallback` this long before a new socket is tried. */
const RETRY_AFTER_MS = 5000;

/**
 * Browser mode over one WebSocket (electron/services/bridge-socket.ts): each call a message
 * with an id, each reply matched back to it. Until the socket is open, and for a while after it
 * fails, calls go over `fallback` (HTTP), so a page works from its first call and against a
 * server without the socket. Calls in flight when the socket closes fail as unreachable: a call
 * that may have run is not sent again.
 */
export function socketTransport(
  open: (events: SocketEvents) => BridgeSocket,
  fallback: BridgeTransport,
  now: () => number = () => Date.now(),
): BridgeTransport {
  let socket: BridgeSocket | null = null;
  let failedAt = -Infinity;
  let nextId = 1;
  const pending = new Map<number, (envelope: Envelope<unknown> | Error) => void>();

  const connect = (): void => {
    const opened: BridgeSocket = open({
      onMessage: (text) => {
        const reply = JSON.parse(text) as BridgeSocketReply;
        if (reply.id === null) return;
        const settle = pending.get(reply.id);
        pending.delete(reply.id);
        settle?.(reply.envelope);
      },
      onClose: () => {
        if (socket === opened) socket = null;
        failedAt = now();
        for (const settle of pending.values()) settle(serverUnreachable());
        pending.clear();
      },
    });
    socket = opened;
  };

  return (method, args) => {
    if (socket === null && now() - failedAt >= RETRY_AFTER_MS) connect();
    const ready = socket;
    if (ready === null || !ready.isOpen()) return fallback(method, args);
    const id = nextId++;
    const call: BridgeSocketCall = { id, method, args };
    return new Promise((resolve, reject) => {
      pending.set(id, (outcome) => (outcome instanceof Error ? reject(outcome) : resolve(outcome)));
      ready.send(JSON.stringify(call));
    });
  };
}
