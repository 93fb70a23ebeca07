import { timingSafeEqual } from 'node:crypto';

/** What the browser-mode server knows about itself when judging a request. */
interface GuardConfig {
  readonly token: string;
  readonly port: number;
}

/** The parts of an HTTP request the guard reads. */
export interface GuardedRequest {
  readonly host: string | undefined;
  readonly origin: string | undefined;
  readonly cookieHeader: string | undefined;
  readonly tokenHeader: string | undefined;
  readonly tokenQuery: string | null;
}

type GuardVerdict =
  | { readonly allowed: true; readonly tokenFromQuery: boolean }
  | { readonly allowed: false; readonly reason: string };

/** Cookie name carries the port: browsers share cookies across ports of one host. */
export const tokenCookieName = (port: number): string => `headroom_token_${port}`;

function sameToken(candidate: string | undefined | null, token: string): boolean {
  if (!candidate) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  for (const part of (cookieHeader ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return undefined;
}

/**
 * Decides whether a request may reach browser mode. A foreign Host header means DNS
 * rebinding; a foreign Origin means another site's page; no token means anyone on the
 * machine. Each of those gets a 403.
 */
export function guardRequest(request: GuardedRequest, config: GuardConfig): GuardVerdict {
  const loopbackHosts = [`127.0.0.1:${config.port}`, `localhost:${config.port}`];
  if (!request.host || !loopbackHosts.includes(request.host.toLowerCase())) {
    return { allowed: false, reason: `foreign Host header "${request.host ?? ''}"` };
  }
  if (
    request.origin !== undefined &&
    !loopbackHosts.some((h) => request.origin === `http://${h}`)
  ) {
    return { allowed: false, reason: `foreign Origin header "${request.origin}"` };
  }
  if (sameToken(request.tokenQuery, config.token)) return { allowed: true, tokenFromQuery: true };
  if (sameToken(request.tokenHeader, config.token)) return { allowed: true, tokenFromQuery: false };
  if (sameToken(cookieValue(request.cookieHeader, tokenCookieName(config.port)), config.token)) {
    return { allowed: true, tokenFromQuery: false };
  }
  return { allowed: false, reason: 'missing or wrong token' };
}
