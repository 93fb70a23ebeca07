import { ipcMain, type IpcMainInvokeEvent } from 'electron';
import type { BridgeMethod, HeadroomBridge } from '../../../core/bridge';
import { HeadroomError, serializeError } from '../../../core/errors';
import { dispatchBridgeCall } from '../../services/bridge-service';
import { withBugHint } from '../../services/unexpected-error';
import { isOwnRendererUrl } from '../security';
import { Channel } from './channels';

/**
 * Registers one handler per bridge method. Each checks that the caller is Headroom's own
 * page, validates the arguments, and answers with an envelope that the preload rethrows.
 */
export function registerBridgeHandlers(service: HeadroomBridge, rendererUrl: string): void {
  for (const method of Object.keys(Channel) as BridgeMethod[]) {
    ipcMain.handle(Channel[method], async (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      const senderUrl = event.senderFrame?.url ?? '';
      if (!isOwnRendererUrl(senderUrl, rendererUrl)) {
        return {
          ok: false,
          error: serializeError(
            new HeadroomError('NOT_AVAILABLE', `Refused bridge call from ${senderUrl}.`),
          ),
        };
      }
      return withBugHint(await dispatchBridgeCall(service, method, args));
    });
  }
}
