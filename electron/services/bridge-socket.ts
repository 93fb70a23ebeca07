import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  BRIDGE_SOCKET_PATH,
  type BridgeSocketCall,
  type BridgeSocketReply,
  type HeadroomBridge,
} from '../../core/bridge';
import { HeadroomError, serializeError } from '../../core/errors';
import { dispatchBridgeCall } from './bridge-service';
import { withBugHint } from './unexpected-error';

/*
 * Browser mode's bridge over one WebSocket (RFC 6455) beside `POST /api/<method>`: the same
 * calls, envelopes and guards, without a request per call. A fetch from headless Chromium to
 * 127.0.0.1 took 8.1 ms at the median and 16.9 ms at p95 on the 2-core build machine, a message
 * on an open socket 1.3 ms and 7.1 ms (100 round trips of a 16 KB answer each, same run): a
 * large share of a control change's time to redrawn cards (issue 17).
 */

interface BridgeSocketOptions {
  readonly bridge: HeadroomBridge;
  /** The HTTP guard's verdict on the upgrade request (Host, Origin, token). */
  readonly allow: (
    request: IncomingMessage,
  ) => { allowed: true } | { allowed: false; reason: string };
  /** Largest message accepted (the same bound as an HTTP request body). */
  readonly maxMessageBytes: number;
}

/** Answers an upgrade that is refused, then drops the connection (no WebSocket opens). */
function refuseUpgrade(socket: Duplex, status: string, reason: string): void {
  socket.end(
    `HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n${reason}\n`,
  );
}

/** The path an upgrade asks for; undefined when its URL does not parse. */
function socketPath(raw: string | undefined): string | undefined {
  try {
    return new URL(raw ?? '/', 'http://127.0.0.1').pathname;
  } catch {
    return undefined;
  }
}

/** A call as sent, or a HeadroomError saying what is wrong with it. */
function parseCall(data: RawData): BridgeSocketCall | HeadroomError {
  let parsed: unknown;
  try {
    parsed = JSON.parse(String(data));
  } catch {
    return new HeadroomError('BAD_ARGUMENT', 'Bridge message is not JSON.');
  }
  if (typeof parsed !== 'object' || parsed === null) {
    return new HeadroomError('BAD_ARGUMENT', 'Bridge message is not an object.');
  }
  const { id, method, args } = parsed as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || typeof method !== 'string') {
    return new HeadroomError('BAD_ARGUMENT', 'Bridge message needs a numeric id and a method.');
  }
  return { id, method, args };
}

async function answer(bridge: HeadroomBridge, client: WebSocket, data: RawData): Promise<void> {
  const call = parseCall(data);
  const reply: BridgeSocketReply =
    call instanceof HeadroomError
      ? { id: null, envelope: { ok: false, error: serializeError(call) } }
      : {
          id: call.id,
          envelope: withBugHint(await dispatchBridgeCall(bridge, call.method, call.args)),
        };
  // The page may have gone while the call ran.
  if (client.readyState === client.OPEN) client.send(JSON.stringify(reply));
}

/**
 * Serves the bridge on `BRIDGE_SOCKET_PATH` of `server`. Calls run concurrently and each reply
 * carries its call's id. Returns what stops it (open sockets are not the HTTP server's to close).
 */
export function attachBridgeSocket(
  server: Server,
  options: BridgeSocketOptions,
): { close(): void } {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: options.maxMessageBytes });
  sockets.on('connection', (client) => {
    // A message over maxPayload, or a broken frame: ws closes the socket (1009, 1002) and emits
    // the reason here; without a listener the 'error' event would end the server.
    client.on('error', () => client.terminate());
    client.on('message', (data) => {
      void answer(options.bridge, client, data).catch(() => client.terminate());
    });
  });
  server.on('upgrade', (request, socket, head) => {
    // Until the handshake is done the raw socket is ours: a client that resets it mid-upgrade
    // must not end the server with an unheard 'error' (ws README, "Client authentication").
    const dropOnError = (): void => {
      socket.destroy();
    };
    socket.on('error', dropOnError);
    if (socketPath(request.url) !== BRIDGE_SOCKET_PATH) {
      refuseUpgrade(socket, '404 Not Found', 'No WebSocket here.');
      return;
    }
    const verdict = options.allow(request);
    if (!verdict.allowed) {
      refuseUpgrade(socket, '403 Forbidden', `Forbidden: ${verdict.reason}.`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => {
      socket.removeListener('error', dropOnError);
      sockets.emit('connection', client, request);
    });
  });
  return {
    close: () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
    },
  };
}
