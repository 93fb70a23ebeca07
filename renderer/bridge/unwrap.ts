import {
  BRIDGE_METHODS,
  type BridgeMethod,
  type EnvelopedBridge,
  type HeadroomBridge,
} from '../../core/bridge';
import { deserializeError, type Envelope } from '../../core/errors';

/** One bridge call sent to the other side, answered with its envelope (IPC, HTTP, a socket). */
export type BridgeTransport = (method: BridgeMethod, args: unknown[]) => Promise<Envelope<unknown>>;

/**
 * Turns envelope-answering calls into a bridge whose failures are thrown HeadroomErrors. It
 * has the bridge's methods and nothing else: a name outside BRIDGE_METHODS is undefined, never
 * a call sent on to the other side.
 */
export function unwrapBridge(call: BridgeTransport): HeadroomBridge {
  const methods = BRIDGE_METHODS.map((method) => [
    method,
    async (...args: unknown[]): Promise<unknown> => {
      const envelope = await call(method, args);
      if (envelope.ok) return envelope.value;
      throw deserializeError(envelope.error);
    },
  ]);
  // Each method answers what the other side's method answers; the types travel in HeadroomBridge.
  return Object.freeze(Object.fromEntries(methods)) as HeadroomBridge;
}

/** The desktop face: the preload's `window.headroom`. */
export function ipcBridge(exposed: EnvelopedBridge): HeadroomBridge {
  return unwrapBridge((method, args) =>
    (exposed[method] as (...a: unknown[]) => Promise<Envelope<unknown>>)(...args),
  );
}
