/**
 * How long browser mode waits for a client and how many it serves at once (issue 16, D6). Node's
 * defaults are for servers behind a proxy (60 s for headers, 300 s for a request, no
 * connection cap) and let a few sockets that send one header byte per second hold the
 * server; browser mode is reached directly, over loopback or an `ssh -L` tunnel, so the limits
 * are set here. Node's http docs: server.headersTimeout, requestTimeout, keepAliveTimeout,
 * maxConnections, and createServer's connectionsCheckingInterval.
 */
import type { Server } from 'node:http';

export interface ServerLimits {
  /** Time to receive a request's headers; a slow-header (slowloris) client is cut after it. */
  readonly headersTimeoutMs: number;
  /** Time to receive a whole request, body included (bridge calls are a few KB of JSON). */
  readonly requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open between requests. */
  readonly keepAliveTimeoutMs: number;
  /** Sockets open at once; more are closed as they connect. */
  readonly maxConnections: number;
  /** How often Node checks the two request timeouts (its default, 30 s, would blur them). */
  readonly checkIntervalMs: number;
}

/**
 * Browser mode's limits. 10 s for headers: a browser sends them in one packet, so even over a
 * slow SSH tunnel 10 s is generous. 30 s for a whole request: bodies are at most 1 MB
 * (MAX_REQUEST_BODY_BYTES). 5 s keep-alive: Node's own default, written down. 256
 * connections: a browser opens at most 6 per host (Chromium's per-host socket pool), so this
 * leaves room for many tabs and the 50-client load test while a flood cannot exhaust file
 * descriptors (a default `ulimit -n` is 1024).
 */
export const BROWSER_SERVER_LIMITS: ServerLimits = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 256,
  checkIntervalMs: 1_000,
};

/** The options createServer takes for the limits that must be set at creation. */
export function serverCreationOptions(limits: ServerLimits) {
  return {
    headersTimeout: limits.headersTimeoutMs,
    requestTimeout: limits.requestTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    connectionsCheckingInterval: limits.checkIntervalMs,
  };
}

/** Sets the limits that live on the server object (and the timeouts again, for clarity). */
export function applyServerLimits(server: Server, limits: ServerLimits): void {
  server.headersTimeout = limits.headersTimeoutMs;
  server.requestTimeout = limits.requestTimeoutMs;
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  server.maxConnections = limits.maxConnections;
}
