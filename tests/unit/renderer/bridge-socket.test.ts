/**
 * Browser mode's bridge socket (electron/services/bridge-socket.ts) with the renderer's socket
 * transport (renderer/bridge/socket-transport.ts) on the other end: a real server, real
 * WebSockets (the `ws` package stands in for the browser's, with the same handshake headers).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { BRIDGE_SOCKET_PATH, type BridgeSocketReply } from '../../../core/bridge';
import { HeadroomError, type Envelope } from '../../../core/errors';
import { createBridgeService } from '../../../electron/services/bridge-service';
import { startBrowserServer, type BrowserServer } from '../../../electron/services/browser-server';
import { tokenCookieName } from '../../../electron/services/request-guard';
import {
  socketTransport,
  type BridgeSocket,
  type SocketEvents,
} from '../../../renderer/bridge/socket-transport';
import { unwrapBridge, type BridgeTransport } from '../../../renderer/bridge/unwrap';

let dir: string;
let server: BrowserServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headroom-socket-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Headroom</title>');
  server = await startBrowserServer({ rendererDir: dir, bridge: createBridgeService('browser') });
});

afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

/** The handshake a page opened from the printed URL sends: its Origin and the token cookie. */
function pageHeaders(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    Origin: `http://127.0.0.1:${server.port}`,
    Cookie: `${tokenCookieName(server.port)}=${server.token}`,
    ...overrides,
  };
}

function socketUrl(path = BRIDGE_SOCKET_PATH): string {
  return `ws://127.0.0.1:${server.port}${path}`;
}

/** Opens a socket; resolves with it open, or with the HTTP status that refused the upgrade. */
function connect(headers: Record<string, string>, path?: string): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(socketUrl(path), { headers });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
    socket.once('error', reject);
  });
}

function nextReply(socket: WebSocket): Promise<BridgeSocketReply> {
  return new Promise((resolve) =>
    socket.once('message', (data) => resolve(JSON.parse(String(data)) as BridgeSocketReply)),
  );
}

/**
 * The `ws` client as the transport's socket (what renderer/bridge/index.ts does for a page),
 * with a promise of its opening.
 */
function nodeSocket(headers: Record<string, string>) {
  let markOpen: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (markOpen = resolve));
  const open = (events: SocketEvents): BridgeSocket => {
    const socket = new WebSocket(socketUrl(), { headers });
    socket.on('open', markOpen);
    socket.on('message', (data) => events.onMessage(String(data)));
    socket.on('close', () => events.onClose());
    socket.on('error', () => undefined);
    return {
      isOpen: () => socket.readyState === WebSocket.OPEN,
      send: (text) => socket.send(text),
    };
  };
  return { open, opened };
}

/** A fallback that records what it was asked and answers like the server would. */
function recordingFallback(): { calls: string[]; transport: BridgeTransport } {
  const calls: string[] = [];
  return {
    calls,
    transport: async (method) => {
      calls.push(method);
      return { ok: true, value: { via: 'http' } } as Envelope<unknown>;
    },
  };
}

describe('the bridge socket', () => {
  it('refuses an upgrade without the token, from a foreign Origin, or on another path', async () => {
    expect(await connect(pageHeaders({ Cookie: '' }))).toBe(403);
    expect(await connect(pageHeaders({ Origin: 'http://attacker.example' }))).toBe(403);
    expect(await connect(pageHeaders(), '/api/other')).toBe(404);
  });

  it('answers a call with the same envelope as POST /api/<method>, under its id', async () => {
    const socket = await connect(pageHeaders());
    if (typeof socket === 'number') throw new Error(`upgrade refused: ${socket}`);
    const reply = nextReply(socket);
    socket.send(JSON.stringify({ id: 7, method: 'appInfo', args: [] }));
    const answered = await reply;
    expect(answered.id).toBe(7);
    expect(answered.envelope.ok).toBe(true);

    const unknown = nextReply(socket);
    socket.send(JSON.stringify({ id: 8, method: 'deleteEverything', args: [] }));
    const refused = await unknown;
    expect(refused).toMatchObject({ id: 8, envelope: { ok: false } });

    const garbled = nextReply(socket);
    socket.send('{"id": 9, "meth');
    expect(await garbled).toMatchObject({
      id: null,
      envelope: {
        ok: false,
        error: { code: 'BAD_ARGUMENT', message: 'Bridge message is not JSON.' },
      },
    });
    socket.close();
  });

  it('closes a socket that sends more than a request body may hold, and keeps serving', async () => {
    const socket = await connect(pageHeaders());
    if (typeof socket === 'number') throw new Error(`upgrade refused: ${socket}`);
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    socket.send('x'.repeat(2 * 1024 * 1024));
    // RFC 6455 7.4.1: 1009, "a message that is too big for it to process".
    expect(await closed).toBe(1009);
    const next = await connect(pageHeaders());
    expect(typeof next).not.toBe('number');
    (next as WebSocket).close();
  });

  it('carries the renderer transport: HTTP until the socket is open, then the socket', async () => {
    const fallback = recordingFallback();
    const socket = nodeSocket(pageHeaders());
    const bridge = unwrapBridge(socketTransport(socket.open, fallback.transport));
    // The first call opens the socket and goes over the fallback meanwhile.
    expect(await bridge.appInfo()).toEqual({ via: 'http' });
    expect(fallback.calls).toEqual(['appInfo']);
    await socket.opened;
    const info = await bridge.appInfo();
    expect(info).toMatchObject({ version: expect.any(String) });
    expect(fallback.calls).toEqual(['appInfo']);
    // Errors cross as HeadroomErrors, as over HTTP.
    await expect(bridge.plan({ modelId: 'no/such-model', deviceIds: [] } as never)).rejects.toThrow(
      HeadroomError,
    );
  });

  it('falls back to HTTP when the socket is refused, and fails calls in flight when it closes', async () => {
    const refused = recordingFallback();
    let closes = 0;
    const noToken = socketTransport((events) => {
      const socket = nodeSocket(pageHeaders({ Cookie: '' })).open({
        onMessage: events.onMessage,
        onClose: () => {
          closes++;
          events.onClose();
        },
      });
      return socket;
    }, refused.transport);
    await noToken('appInfo', []);
    for (let i = 0; i < 100 && closes === 0; i++) await new Promise((r) => setTimeout(r, 10));
    expect(closes).toBe(1);
    await noToken('appInfo', []);
    expect(refused.calls).toEqual(['appInfo', 'appInfo']);

    // A socket that closes under a call: the call fails as unreachable and is not resent.
    const events: SocketEvents[] = [];
    const fallback = recordingFallback();
    const closing = socketTransport((e) => {
      events.push(e);
      return { isOpen: () => true, send: () => undefined };
    }, fallback.transport);
    const inFlight = closing('saveSettings', [{}]);
    events[0]!.onClose();
    await expect(inFlight).rejects.toThrow(/not reachable/);
    expect(fallback.calls).toEqual([]);
  });
});
