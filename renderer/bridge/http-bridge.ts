import { HeadroomError, type Envelope } from '../../core/errors';
import type { BridgeTransport } from './unwrap';

/** The error of a call that could not reach browser mode's server. */
export function serverUnreachable(): HeadroomError {
  return new HeadroomError(
    'NOT_AVAILABLE',
    'Headroom’s server is not reachable: is `npm run serve` still running?',
  );
}

/**
 * Browser mode over HTTP: each call is `POST /api/<method>` with `{ args }`; the token travels
 * as the cookie the server set when the page was opened.
 */
export function httpTransport(fetchImpl: typeof fetch = fetch.bind(globalThis)): BridgeTransport {
  return async (method, args) => {
    let response: Response;
    try {
      response = await fetchImpl(`/api/${method}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        credentials: 'same-origin',
        body: JSON.stringify({ args }),
      });
    } catch {
      throw serverUnreachable();
    }
    if (response.status === 403) {
      throw new HeadroomError(
        'NOT_AVAILABLE',
        'The server refused this page: open the exact URL `npm run serve` printed (it carries the token).',
      );
    }
    return (await response.json()) as Envelope<unknown>;
  };
}
