/**
 * The browser-mode rows of `npm run robustness`: a real server (startBrowserServer with the
 * real bridge and the default limits) on 127.0.0.1, attacked over loopback only. Each case
 * answers in words what happened and whether that is what should happen.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { BRIDGE_SOCKET_PATH } from '../core/bridge';
import { createBridgeService } from '../electron/services/bridge-service';
import { startBrowserServer, type BrowserServer } from '../electron/services/browser-server';
import type { Fixtures } from './robustness-fixtures';

export interface BrowserOutcome {
  readonly result: string;
  readonly ok: boolean;
}

export interface BrowserCase {
  readonly input: string;
  readonly expected: string;
  /** Allowed to take longer than the 5 s of other rows (it waits out a timeout). */
  readonly slow?: boolean;
  run(server: BrowserServer): Promise<BrowserOutcome>;
}

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** One HTTP request over loopback, with the token unless `headers` replaces it. */
function send(
  server: BrowserServer,
  path: string,
  options: {
    method?: string;
    body?: string;
    headers?: Record<string, string>;
    agent?: Agent;
  } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: options.method ?? 'GET',
        agent: options.agent,
        headers: options.headers ?? {
          Host: `127.0.0.1:${server.port}`,
          'X-Headroom-Token': server.token,
        },
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

/** A bridge call: the envelope's error code, or "ok". */
async function call(server: BrowserServer, method: string, args: unknown[]): Promise<string> {
  const answer = await send(server, `/api/${method}`, {
    method: 'POST',
    body: JSON.stringify({ args }),
  });
  const envelope = JSON.parse(answer.body) as { ok: boolean; error?: { code: string } };
  return envelope.ok ? `HTTP ${answer.status} ok` : `HTTP ${answer.status} ${envelope.error!.code}`;
}

/**
 * What a WebSocket to `path` does with `message` sent once open: the HTTP status that refused
 * the upgrade, the reply's error code (or "ok"), or the close code.
 */
function socketOutcome(
  server: BrowserServer,
  options: { path?: string; origin?: string; message: string },
): Promise<string> {
  return new Promise((resolve) => {
    const socket = new WebSocket(
      `ws://127.0.0.1:${server.port}${options.path ?? BRIDGE_SOCKET_PATH}`,
      {
        headers: {
          Origin: options.origin ?? `http://127.0.0.1:${server.port}`,
          'X-Headroom-Token': server.token,
        },
      },
    );
    socket.on('unexpected-response', (_req, res) => resolve(`HTTP ${res.statusCode}`));
    socket.on('error', () => undefined);
    socket.on('open', () => socket.send(options.message));
    socket.on('message', (data) => {
      const reply = JSON.parse(String(data)) as {
        envelope: { ok: boolean; error?: { code: string } };
      };
      resolve(reply.envelope.ok ? 'reply ok' : `reply ${reply.envelope.error!.code}`);
      socket.close();
    });
    socket.on('close', (code) => resolve(`closed ${code}`));
  });
}

const PLAN = {
  modelId: 'meta-llama/Llama-3.1-8B',
  deviceIds: ['nvidia-rtx-4090'],
  kvFormat: 'fp16',
  contextTokens: 4096,
  batch: 1,
  engine: 'generic',
  marginFraction: 0.05,
  unit: 'GB',
};

const status = (expected: number) => (answer: Answer) => ({
  result: `HTTP ${answer.status}`,
  ok: answer.status === expected,
});

/** Every browser-mode row. */
export function browserCases(f: Fixtures): BrowserCase[] {
  return [
    {
      input: 'GET /%E0%A4%A (malformed percent-encoding)',
      expected: 'HTTP 400',
      run: async (s) => status(400)(await send(s, '/%E0%A4%A')),
    },
    {
      input: 'GET // (not a URL path)',
      expected: 'HTTP 400',
      run: async (s) => status(400)(await send(s, '//')),
    },
    {
      input: 'GET /%2e%2e/%2e%2e/etc/passwd',
      expected: 'the page, never the file',
      run: async (s) => {
        const answer = await send(s, '/%2e%2e/%2e%2e/etc/passwd');
        return { result: `HTTP ${answer.status}`, ok: !answer.body.includes('root:') };
      },
    },
    {
      input: 'GET / without the token',
      expected: 'HTTP 403',
      run: async (s) =>
        status(403)(await send(s, '/', { headers: { Host: `127.0.0.1:${s.port}` } })),
    },
    {
      input: 'GET / with the token and Host: attacker.example (DNS rebinding)',
      expected: 'HTTP 403',
      run: async (s) =>
        status(403)(
          await send(s, '/', {
            headers: { Host: 'attacker.example', 'X-Headroom-Token': s.token },
          }),
        ),
    },
    {
      input: 'POST /api/appInfo with the token and Origin: https://attacker.example',
      expected: 'HTTP 403',
      run: async (s) =>
        status(403)(
          await send(s, '/api/appInfo', {
            method: 'POST',
            body: '{"args":[]}',
            headers: {
              Host: `127.0.0.1:${s.port}`,
              Origin: 'https://attacker.example',
              'X-Headroom-Token': s.token,
            },
          }),
        ),
    },
    {
      input: `WebSocket ${BRIDGE_SOCKET_PATH} with the token and Origin: https://attacker.example`,
      expected: 'HTTP 403',
      run: async (s) => {
        const result = await socketOutcome(s, {
          origin: 'https://attacker.example',
          message: '{"id":1,"method":"appInfo","args":[]}',
        });
        return { result, ok: result === 'HTTP 403' };
      },
    },
    {
      input: 'WebSocket upgrade to /api/other',
      expected: 'HTTP 404',
      run: async (s) => {
        const result = await socketOutcome(s, { path: '/api/other', message: '' });
        return { result, ok: result === 'HTTP 404' };
      },
    },
    {
      input: `WebSocket ${BRIDGE_SOCKET_PATH} message that is not JSON`,
      expected: 'reply BAD_ARGUMENT',
      run: async (s) => {
        const result = await socketOutcome(s, { message: '{nope' });
        return { result, ok: result === 'reply BAD_ARGUMENT' };
      },
    },
    {
      input: `WebSocket ${BRIDGE_SOCKET_PATH} message of 2 MB`,
      expected: 'closed 1009 (message too big)',
      run: async (s) => {
        const result = await socketOutcome(s, { message: 'x'.repeat(2 * 1024 * 1024) });
        return { result, ok: result === 'closed 1009' };
      },
    },
    {
      input: 'PUT /',
      expected: 'HTTP 405',
      run: async (s) => status(405)(await send(s, '/', { method: 'PUT' })),
    },
    {
      input: 'POST /api/plan with a 2 MB body',
      expected: 'HTTP 400',
      run: async (s) =>
        status(400)(
          await send(s, '/api/plan', { method: 'POST', body: 'x'.repeat(2 * 1024 * 1024) }),
        ),
    },
    {
      input: 'POST /api/plan with a body that is not JSON',
      expected: 'HTTP 400',
      run: async (s) => status(400)(await send(s, '/api/plan', { method: 'POST', body: '{nope' })),
    },
    {
      input: 'POST /api/nope',
      expected: 'HTTP 200 UNKNOWN_METHOD',
      run: async (s) => {
        const result = await call(s, 'nope', []);
        return { result, ok: result === 'HTTP 200 UNKNOWN_METHOD' };
      },
    },
    ...[
      ['contextTokens 1e30', { ...PLAN, contextTokens: 1e30 }],
      ['batch 1e21', { ...PLAN, batch: 1e21 }],
      [
        '1025 deviceIds',
        { ...PLAN, deviceIds: Array.from({ length: 1025 }, () => 'nvidia-rtx-4090') },
      ],
      ['marginFraction NaN (null in JSON)', { ...PLAN, marginFraction: null }],
      ['params 1e16', { ...PLAN, modelId: undefined, params: 1e16 }],
    ].map(([name, request]) => ({
      input: `plan with ${String(name)}`,
      expected: 'HTTP 200 BAD_ARGUMENT',
      run: async (s: BrowserServer) => {
        const result = await call(s, 'plan', [request]);
        return { result, ok: result === 'HTTP 200 BAD_ARGUMENT' };
      },
    })),
    {
      input: 'planBatch with 2049 plans',
      expected: 'HTTP 200 BAD_ARGUMENT',
      run: async (s) => {
        const result = await call(s, 'planBatch', [Array.from({ length: 2049 }, () => PLAN)]);
        return { result, ok: result === 'HTTP 200 BAD_ARGUMENT' };
      },
    },
    ...[
      ['$DIR/fifo.gguf', f.path('fifo.gguf'), 'BAD_FILE'],
      ['$DIR/fifo-folder', f.path('fifo-folder'), 'BAD_FILE'],
      ['/dev/zero', '/dev/zero', 'BAD_FILE'],
      ['$DIR/length-max.safetensors', f.path('length-max.safetensors'), 'BAD_FILE'],
      ['a 5000-character path', 'x'.repeat(5000), 'BAD_ARGUMENT'],
      ['$DIR/config-bom', f.path('config-bom'), 'ok'],
    ].map(([shown, path, code]) => ({
      input: `openModelPath ${shown}`,
      expected: `HTTP 200 ${code}`,
      run: async (s: BrowserServer) => {
        const result = await call(s, 'openModelPath', [path]);
        return { result, ok: result === `HTTP 200 ${code}` };
      },
    })),
    {
      input: 'openModelPath $DIR/fifo.gguf ×8 at once, then GET /',
      expected: '8 × BAD_FILE, then HTTP 200',
      run: async (s) => {
        const results = await Promise.all(
          Array.from({ length: 8 }, () => call(s, 'openModelPath', [f.path('fifo.gguf')])),
        );
        const page = await send(s, '/');
        const refused = results.filter((result) => result === 'HTTP 200 BAD_FILE').length;
        return {
          result: `${refused} × BAD_FILE, then HTTP ${page.status}`,
          ok: refused === 8 && page.status === 200,
        };
      },
    },
    {
      input: '2,000 requests from 50 clients at once (GET / and POST /api/appInfo)',
      expected: '2000 × HTTP 200',
      run: async (s) => {
        const agent = new Agent({ keepAlive: true, maxSockets: 50 });
        const statuses: number[] = [];
        const client = async (index: number) => {
          for (let i = 0; i < 40; i++) {
            const answer =
              (index + i) % 2 === 0
                ? await send(s, '/', { agent })
                : await send(s, '/api/appInfo', { agent, method: 'POST', body: '{"args":[]}' });
            statuses.push(answer.status);
          }
        };
        await Promise.all(Array.from({ length: 50 }, (_, index) => client(index)));
        agent.destroy();
        const answered = statuses.filter((code) => code === 200).length;
        return { result: `${answered} × HTTP 200`, ok: answered === 2000 };
      },
    },
    {
      input: '3 clients sending one header byte per second',
      expected: `cut at the headers timeout (10 s)`,
      slow: true,
      run: async (s) => {
        const kept = await Promise.all([1, 2, 3].map(() => slowHeaderClient(s.port)));
        const longest = Math.max(...kept);
        return {
          result: `all cut after ≤ ${(longest / 1000).toFixed(0)} s`,
          ok: longest < s.limits.headersTimeoutMs + 2 * s.limits.checkIntervalMs + 1_000,
        };
      },
    },
  ];
}

/** Sends "GET / HTTP/1.1…" a byte a second (at most 60 bytes); resolves with how long it was kept. */
function slowHeaderClient(port: number): Promise<number> {
  return new Promise((resolve) => {
    const text = `GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: ${'a'.repeat(30)}\r\n\r\n`;
    const socket = connect(port, '127.0.0.1');
    const opened = Date.now();
    let sent = 0;
    const timer = setInterval(() => {
      if (sent < text.length && !socket.destroyed) socket.write(text[sent++]!);
    }, 1_000);
    socket.on('error', () => undefined);
    socket.resume();
    socket.on('close', () => {
      clearInterval(timer);
      resolve(Date.now() - opened);
    });
  });
}

/** Starts browser mode over a minimal renderer folder in the fixtures. */
export async function startRobustnessServer(f: Fixtures): Promise<BrowserServer> {
  const rendererDir = join(f.dir, 'renderer');
  await mkdir(rendererDir);
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Headroom</title>');
  return startBrowserServer({ rendererDir, bridge: createBridgeService('browser') });
}
