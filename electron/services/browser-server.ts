import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, resolve, sep } from 'node:path';
import type { HeadroomBridge } from '../../core/bridge';
import { HeadroomError, serializeError } from '../../core/errors';
import { dispatchBridgeCall } from './bridge-service';
import { attachBridgeSocket } from './bridge-socket';
import {
  applyServerLimits,
  BROWSER_SERVER_LIMITS,
  serverCreationOptions,
  type ServerLimits,
} from './browser-server-limits';
import { CONTENT_SECURITY_POLICY } from './content-security-policy';
import { guardRequest, tokenCookieName } from './request-guard';
import { serializeUnexpected, withBugHint } from './unexpected-error';

interface BrowserServerOptions {
  /** Folder of the built renderer (index.html and assets/). */
  readonly rendererDir: string;
  readonly bridge: HeadroomBridge;
  /** 0 picks a free port. */
  readonly port?: number;
  /** Fixed token for tests; a random 128-bit one otherwise. */
  readonly token?: string;
  /** Timeouts and the connection cap (default BROWSER_SERVER_LIMITS); tests shorten them. */
  readonly limits?: ServerLimits;
}

export interface BrowserServer {
  /** The address to open, token included. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** The limits in force. */
  readonly limits: ServerLimits;
  close(): Promise<void>;
}

/** Bridge calls are small JSON documents; anything bigger is refused unread. */
const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
} as const;

function send(
  response: ServerResponse,
  status: number,
  body: string | Buffer,
  contentType: string,
): void {
  response.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': contentType });
  response.end(body);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of request) {
    total += (chunk as Buffer).length;
    if (total > MAX_REQUEST_BODY_BYTES) {
      throw new HeadroomError('BAD_ARGUMENT', `Request body over ${MAX_REQUEST_BODY_BYTES} bytes.`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function answerBridgeCall(
  bridge: HeadroomBridge,
  methodName: string,
  request: IncomingMessage,
  response: ServerResponse,
): Promise<void> {
  let args: unknown;
  try {
    const body = await readBody(request);
    const parsed: unknown = body === '' ? { args: [] } : JSON.parse(body);
    args =
      typeof parsed === 'object' && parsed !== null
        ? (parsed as { args?: unknown }).args
        : undefined;
  } catch (thrown) {
    const error =
      thrown instanceof HeadroomError
        ? thrown
        : new HeadroomError('BAD_ARGUMENT', 'Request body is not JSON.');
    // The rest of an oversized body is never read: the connection cannot carry another
    // request, so it closes after this answer instead of being reused mid-body.
    if (!request.complete) response.setHeader('Connection', 'close');
    send(
      response,
      400,
      JSON.stringify({ ok: false, error: serializeError(error) }),
      CONTENT_TYPES['.json']!,
    );
    return;
  }
  const envelope = withBugHint(await dispatchBridgeCall(bridge, methodName, args));
  send(response, 200, JSON.stringify(envelope), CONTENT_TYPES['.json']!);
}

/**
 * A URL path with its percent-escapes decoded; undefined when they are malformed ("%E0%A4%A"
 * is not UTF-8), which decodeURIComponent throws a URIError for (issue 16, D5: it was a 500).
 */
function decodePath(pathname: string): string | undefined {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
}

/** The request's URL, or undefined when it does not parse (`//`, a bare `*`). */
function parseRequestUrl(raw: string | undefined): URL | undefined {
  try {
    return new URL(raw ?? '/', 'http://127.0.0.1');
  } catch {
    return undefined;
  }
}

async function answerStaticFile(
  rendererDir: string,
  pathname: string,
  response: ServerResponse,
): Promise<void> {
  const root = resolve(rendererDir);
  const decoded = decodePath(pathname);
  if (decoded === undefined) {
    send(response, 400, 'Bad request: malformed percent-encoding.', 'text/plain; charset=utf-8');
    return;
  }
  let filePath = resolve(root, `.${decoded}`);
  if (filePath !== root && !filePath.startsWith(root + sep)) {
    send(response, 403, 'Forbidden', 'text/plain; charset=utf-8');
    return;
  }
  const isFile = await stat(filePath).then(
    (s) => s.isFile(),
    () => false,
  );
  // Anything that is not a built asset is the single-page app itself.
  if (!isFile) filePath = resolve(root, 'index.html');
  try {
    const body = await readFile(filePath);
    send(response, 200, body, CONTENT_TYPES[extname(filePath)] ?? 'application/octet-stream');
  } catch {
    send(
      response,
      500,
      `The renderer is not built in ${root}: run \`npm run build\`.`,
      'text/plain; charset=utf-8',
    );
  }
}

/**
 * Serves the built renderer and the bridge over HTTP on 127.0.0.1 only, for headless servers
 * (reach it with `ssh -L`) and for end-to-end tests.
 */
export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(16).toString('hex');
  let port = options.port ?? 0;

  const limits = options.limits ?? BROWSER_SERVER_LIMITS;
  /** The guard's verdict on a request (page, API call or socket upgrade). */
  const verdictOf = (request: IncomingMessage, url: URL) =>
    guardRequest(
      {
        host: request.headers.host,
        origin: request.headers.origin,
        cookieHeader: request.headers.cookie,
        tokenHeader: request.headers['x-headroom-token'] as string | undefined,
        tokenQuery: url.searchParams.get('token'),
      },
      { token, port },
    );
  const server = createServer(serverCreationOptions(limits), (request, response) => {
    const url = parseRequestUrl(request.url);
    if (url === undefined) {
      send(response, 400, 'Bad request: the URL does not parse.', 'text/plain; charset=utf-8');
      return;
    }
    const verdict = verdictOf(request, url);
    if (!verdict.allowed) {
      send(response, 403, `Forbidden: ${verdict.reason}.`, 'text/plain; charset=utf-8');
      return;
    }
    if (verdict.tokenFromQuery) {
      // The page's own asset and API requests then carry the token as a cookie.
      response.setHeader(
        'Set-Cookie',
        `${tokenCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
      );
    }
    const apiMatch = /^\/api\/([A-Za-z]+)$/.exec(url.pathname);
    const work =
      apiMatch && request.method === 'POST'
        ? answerBridgeCall(options.bridge, apiMatch[1]!, request, response)
        : request.method === 'GET' || request.method === 'HEAD'
          ? answerStaticFile(options.rendererDir, url.pathname, response)
          : Promise.resolve(send(response, 405, 'Method not allowed', 'text/plain; charset=utf-8'));
    work.catch((thrown: unknown) => {
      if (!response.headersSent)
        send(
          response,
          500,
          JSON.stringify({ ok: false, error: serializeUnexpected(thrown) }),
          'application/json',
        );
      else response.destroy();
    });
  });
  applyServerLimits(server, limits);
  const socket = attachBridgeSocket(server, {
    bridge: options.bridge,
    allow: (request) => {
      const url = parseRequestUrl(request.url);
      return url === undefined
        ? { allowed: false, reason: 'the URL does not parse' }
        : verdictOf(request, url);
    },
    maxMessageBytes: MAX_REQUEST_BODY_BYTES,
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, '127.0.0.1', () => resolveListen());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    limits,
    close: () =>
      new Promise<void>((resolveClose) => {
        socket.close();
        server.closeAllConnections();
        server.close(() => resolveClose());
      }),
  };
}
