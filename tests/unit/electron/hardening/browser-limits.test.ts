import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBridgeService } from '../../../../electron/services/bridge-service';
import {
  startBrowserServer,
  type BrowserServer,
} from '../../../../electron/services/browser-server';
import {
  BROWSER_SERVER_LIMITS,
  type ServerLimits,
} from '../../../../electron/services/browser-server-limits';

/**
 * Issue 16 in browser mode, all over loopback: D5 (a malformed URL was a 500), D6 (no header,
 * request or keep-alive timeouts, no connection cap: slow clients stayed past 60 s), D1 (FIFO
 * model paths filled libuv's thread pool and stopped static files), and a load of 2,000 requests
 * from 50 clients that must all be answered.
 */

let dir: string;
const started: BrowserServer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'headroom-limits-'));
  await mkdir(join(dir, 'assets'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Headroom</title>');
  await writeFile(join(dir, 'assets', 'app.js'), 'console.log(1)');
});

afterAll(async () => {
  await Promise.all(started.map((server) => server.close()));
  await rm(dir, { recursive: true, force: true });
});

async function serve(limits?: ServerLimits): Promise<BrowserServer> {
  const server = await startBrowserServer({
    rendererDir: dir,
    bridge: createBridgeService('browser'),
    ...(limits ? { limits } : {}),
  });
  started.push(server);
  return server;
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

function get(
  server: BrowserServer,
  path: string,
  options: { method?: string; body?: string; agent?: Agent } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'GET',
        agent: options.agent,
        headers: { Host: `127.0.0.1:${server.port}`, 'X-Headroom-Token': server.token },
      },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/**
 * A client that connects and sends `text` one byte every `gapMs` (at most `text.length` bytes:
 * a bounded loop), resolving with how long the server kept it and what it answered.
 */
function slowClient(
  port: number,
  text: string,
  gapMs: number,
): Promise<{ keptMs: number; answer: string; sent: number }> {
  return new Promise((resolve) => {
    const socket: Socket = connect(port, '127.0.0.1');
    const opened = Date.now();
    let answer = '';
    let sent = 0;
    let timer: ReturnType<typeof setInterval> | undefined;
    socket.on('connect', () => {
      timer = setInterval(() => {
        if (sent >= text.length || socket.destroyed) return clearInterval(timer);
        socket.write(text[sent++]!);
      }, gapMs);
    });
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ keptMs: Date.now() - opened, answer, sent });
    });
  });
}

describe('malformed URLs (D5)', () => {
  it('answers 400, not a 500 BugError, to a broken percent-escape', async () => {
    const server = await serve();
    const answer = await get(server, `/%E0%A4%A?token=${server.token}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toBe('Bad request: malformed percent-encoding.');
    expect(answer.body).not.toContain('BugError');
  });

  it('answers 400 to a request target that is not a URL path, and keeps serving', async () => {
    const server = await serve();
    expect((await get(server, '//')).status).toBe(400);
    expect((await get(server, '/assets/app.js')).status).toBe(200);
  });
});

describe('slow clients (D6)', () => {
  const short: ServerLimits = {
    headersTimeoutMs: 600,
    requestTimeoutMs: 1_200,
    keepAliveTimeoutMs: 300,
    maxConnections: 4,
    checkIntervalMs: 100,
  };

  it('sets every limit by default: 10 s for headers, 30 s per request, 256 connections', async () => {
    const server = await serve();
    expect(server.limits).toEqual(BROWSER_SERVER_LIMITS);
    expect(BROWSER_SERVER_LIMITS).toMatchObject({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 256,
    });
  });

  it('cuts clients that send one header byte at a time at the headers timeout', async () => {
    const server = await serve(short);
    const header = `GET /?token=${server.token} HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Slow: ${'a'.repeat(100)}\r\n\r\n`;
    const clients = await Promise.all([1, 2, 3].map(() => slowClient(server.port, header, 100)));
    for (const client of clients) {
      expect(client.sent).toBeLessThan(header.length);
      expect(client.keptMs).toBeLessThan(short.headersTimeoutMs + 1_500);
      expect(client.answer).toMatch(/^HTTP\/1\.1 408|^$/);
    }
  });

  it('cuts a client whose body never finishes at the request timeout', async () => {
    const server = await serve(short);
    const head =
      `POST /api/appInfo HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n` +
      `X-Headroom-Token: ${server.token}\r\nContent-Length: 1000\r\n\r\n`;
    const socket = connect(server.port, '127.0.0.1');
    const opened = Date.now();
    socket.write(head);
    let ticks = 0;
    const trickle = setInterval(() => {
      if (ticks++ < 100 && !socket.destroyed) socket.write('{');
    }, 100);
    const keptMs = await new Promise<number>((resolve) => {
      socket.on('error', () => undefined);
      socket.resume();
      socket.on('close', () => resolve(Date.now() - opened));
    });
    clearInterval(trickle);
    expect(keptMs).toBeGreaterThanOrEqual(short.requestTimeoutMs - 100);
    expect(keptMs).toBeLessThan(short.requestTimeoutMs + 1_500);
  });

  it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
    const server = await serve(short);
    const socket = connect(server.port, '127.0.0.1');
    socket.write(
      `GET /assets/app.js HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\nX-Headroom-Token: ${server.token}\r\n\r\n`,
    );
    const answered = Date.now();
    const keptMs = await new Promise<number>((resolve) => {
      socket.on('error', () => undefined);
      socket.resume(); // read, so the server's FIN is seen
      socket.on('close', () => resolve(Date.now() - answered));
    });
    // Node closes an idle socket about 1 s after keepAliveTimeout (its socket timeout adds a
    // grace second); well before the 5 s default.
    expect(keptMs).toBeLessThan(short.keepAliveTimeoutMs + 2_500);
  });

  it('closes connections past the cap as they connect, and serves again once they go', async () => {
    const server = await serve({ ...BROWSER_SERVER_LIMITS, maxConnections: 4 });
    const held = Array.from({ length: 4 }, () => connect(server.port, '127.0.0.1'));
    await Promise.all(held.map((s) => new Promise((resolve) => s.on('connect', resolve))));
    // The server counts a connection once it has accepted it: give it a moment to.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const extra = await slowClient(server.port, 'G', 10_000);
    expect(extra.answer).toBe('');
    expect(extra.keptMs).toBeLessThan(1_000);
    for (const socket of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await get(server, '/assets/app.js')).status).toBe(200);
  });
});

describe('body limits', () => {
  it('refuses a 2 MB body with 400 and closes that connection, so a reused socket still works', async () => {
    const server = await serve();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const big = await get(server, '/api/plan', {
      agent,
      method: 'POST',
      body: 'x'.repeat(2 * 1024 * 1024),
    });
    expect(big.status).toBe(400);
    expect(JSON.parse(big.body)).toMatchObject({ ok: false, error: { code: 'BAD_ARGUMENT' } });
    const next = await get(server, '/api/appInfo', { agent, method: 'POST', body: '{"args":[]}' });
    expect(next.status).toBe(200);
    agent.destroy();
  });
});

describe('load', () => {
  it('answers all 2,000 requests from 50 clients at once', async () => {
    const server = await serve();
    const agent = new Agent({ keepAlive: true, maxSockets: 50 });
    const statuses: number[] = [];
    const client = async (index: number) => {
      for (let i = 0; i < 40; i++) {
        const answer =
          (index + i) % 2 === 0
            ? await get(server, '/assets/app.js', { agent })
            : await get(server, '/api/appInfo', { agent, method: 'POST', body: '{"args":[]}' });
        statuses.push(answer.status);
      }
    };
    await Promise.all(Array.from({ length: 50 }, (_, index) => client(index)));
    agent.destroy();
    expect(statuses).toHaveLength(2000);
    expect(statuses.every((status) => status === 200)).toBe(true);
  });
});

describe.runIf(process.platform !== 'win32')('FIFO model paths in browser mode (D1)', () => {
  it('refuses eight FIFOs at once and keeps serving static files', async () => {
    const server = await serve();
    const fifo = join(dir, 'model.gguf');
    execFileSync('mkfifo', [fifo]);
    const begun = Date.now();
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        get(server, '/api/openModelPath', {
          method: 'POST',
          body: JSON.stringify({ args: [fifo] }),
        }),
      ),
    );
    for (const answer of answers) {
      expect(JSON.parse(answer.body)).toMatchObject({ ok: false, error: { code: 'BAD_FILE' } });
    }
    expect((await get(server, '/assets/app.js')).body).toBe('console.log(1)');
    expect(Date.now() - begun).toBeLessThan(5_000);
  });
});
