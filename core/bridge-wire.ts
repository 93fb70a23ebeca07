/**
 * How the bridge travels: browser mode's socket messages, and the desktop preload's enveloped
 * bridge with its shell (menu commands, dropped paths). Re-exported by core/bridge.ts.
 */
import type { BridgeMethod, HeadroomBridge } from './bridge';
import type { MeasuredFileUpload } from './bridge-measure';
import type { ThemePreference } from './bridge-settings';
import type { Envelope } from './errors';

/**
 * Browser mode's WebSocket for bridge calls, beside `POST /api/<method>`: the same methods and
 * envelopes, one connection for all of them (electron/services/bridge-socket.ts).
 */
export const BRIDGE_SOCKET_PATH = '/api/socket';

/** One call on the bridge socket; its reply carries the same id. */
export interface BridgeSocketCall {
  readonly id: number;
  readonly method: string;
  readonly args: unknown;
}

/** The answer to one call: null id when the message itself could not be read. */
export interface BridgeSocketReply {
  readonly id: number | null;
  readonly envelope: Envelope<unknown>;
}

/** What the desktop's menu asks the page to do (sent from the main process). */
export type AppCommand =
  | { readonly kind: 'open-model-path'; readonly path: string }
  | { readonly kind: 'set-theme'; readonly theme: ThemePreference }
  /** File → Export report…: open the Export panel. */
  | { readonly kind: 'export-report' }
  /** File → Import Measured Run…: the files the user chose, read by the main process. */
  | { readonly kind: 'import-measured-files'; readonly files: readonly MeasuredFileUpload[] };

/**
 * What only the desktop preload offers beside the bridge: the menu's commands, and the path
 * of a file or folder dropped on the window (a browser page cannot know it).
 */
export interface DesktopShell {
  /** Calls `listener` with each menu command; the returned function stops listening. */
  onCommand(listener: (command: AppCommand) => void): () => void;
  /** The filesystem path of a dropped file or folder (a DOM File; Electron's webUtils). */
  pathForFile(file: object): string;
}

/**
 * The bridge as the preload exposes it: each call answers an envelope instead of throwing,
 * because Electron's contextBridge copies only an error's message (a HeadroomError's code
 * would be lost). The renderer unwraps it back into a HeadroomBridge.
 */
export type EnvelopedBridge = {
  readonly [M in BridgeMethod]: (
    ...args: Parameters<HeadroomBridge[M]>
  ) => Promise<Envelope<Awaited<ReturnType<HeadroomBridge[M]>>>>;
};

/** `window.headroom` in the desktop app: the enveloped bridge, and the desktop shell. */
export type PreloadApi = EnvelopedBridge & { readonly desktop: DesktopShell };
