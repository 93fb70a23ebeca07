import { BRIDGE_SOCKET_PATH, type HeadroomBridge } from '../../core/bridge';
import { httpTransport } from './http-bridge';
import { socketTransport, type BridgeSocket, type SocketEvents } from './socket-transport';
import { ipcBridge, unwrapBridge } from './unwrap';

/**
 * The bridge of the face this page runs in: the preload's in Electron; in a browser, one
 * WebSocket to the server (HTTP until it is open, or if it fails).
 */
export function connectBridge(): HeadroomBridge {
  if (window.headroom) return ipcBridge(window.headroom);
  const socketUrl = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${BRIDGE_SOCKET_PATH}`;
  return unwrapBridge(
    socketTransport((events) => browserSocket(socketUrl, events), httpTransport()),
  );
}

/** A browser WebSocket as the socket transport uses it. */
function browserSocket(url: string, events: SocketEvents): BridgeSocket {
  const socket = new WebSocket(url);
  socket.addEventListener('message', (event) => events.onMessage(String(event.data)));
  // A socket that fails also closes: one close event either way.
  socket.addEventListener('close', () => events.onClose());
  return {
    isOpen: () => socket.readyState === WebSocket.OPEN,
    send: (text) => socket.send(text),
  };
}
