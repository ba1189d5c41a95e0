/**
 * The one WebSocket: connecting, saying hello (with the resume token), and reconnecting with back-off,
 * or at once when the browser says the network is back (and not at all while it says it is offline).
 */
import type { ClientMessage, ServerMessage } from '../protocols/web/json-protocol.js';
import { setConn } from './banner.js';
import { onServerMessage } from './messages.js';
import { el, state, tr } from './state.js';

export function send(msg: ClientMessage): void {
  if (state.ws?.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(msg));
}

/** Enters the chat as `nick` (the nickname form, or a sign-in): a first connection. */
export function enter(nick: string): void {
  el.loginError.textContent = tr('login.connecting');
  state.token = undefined;
  state.me = '';
  // Asked here, on the person's gesture (browsers ignore the request otherwise); answered once.
  if ('Notification' in window && Notification.permission === 'default') void Notification.requestPermission();
  connect(nick);
}

export function connect(nick: string): void {
  clearTimeout(state.retryTimer);
  state.intentionalClose = false;
  state.socketWelcomed = false;
  setConn({ kind: 'connecting' });
  // Relative to the page, so a reverse proxy may serve the client under a path of its own (`/chat/`).
  const url = new URL('ws', location.href);
  url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = '';
  url.hash = '';
  const socket = new WebSocket(url);
  state.ws = socket;
  socket.addEventListener('open', () => {
    const hello: ClientMessage = {
      type: 'hello',
      nick,
      lang: state.lang,
      // The server password, once the server has asked for it (kept in the page for reconnects only).
      ...(el.password.value !== '' ? { password: el.password.value } : {}),
      ...(state.token ? { resume: state.token } : {}),
    };
    socket.send(JSON.stringify(hello));
  });
  socket.addEventListener('message', (ev: MessageEvent<string>) => {
    let msg: ServerMessage;
    try {
      msg = JSON.parse(ev.data) as ServerMessage;
    } catch {
      return;
    }
    onServerMessage(msg, nick);
  });
  socket.addEventListener('close', () => {
    if (state.ws !== socket) return;
    state.ws = undefined;
    state.socketWelcomed = false;
    if (state.intentionalClose || !state.me) {
      setConn({ kind: 'stopped' });
      // The first connection failed (no server there): say so on the login form, unless it says why already.
      if (!state.welcomed && el.loginError.textContent === tr('login.connecting'))
        el.loginError.textContent = tr('login.unreachable');
      return;
    }
    // No network: wait for the browser's `online` event rather than knock on a closed door.
    if (!navigator.onLine) {
      setConn({ kind: 'offline' });
      return;
    }
    // Back-off: 1, 2, 4 … 30 s, with jitter so a restarted server is not hit by everyone at once.
    const secs = Math.min(30, 2 ** state.retries) * (0.75 + Math.random() * 0.5);
    state.retries++;
    setConn({ kind: 'retry', at: Date.now() + secs * 1000 });
    state.retryTimer = window.setTimeout(() => connect(state.me), secs * 1000);
  });
}

/** The banner's "Reconnect now", and the network coming back: no waiting for the back-off. */
export function reconnectNow(): void {
  if (!state.me || state.ws) return;
  state.retries = 0;
  connect(state.me);
}

window.addEventListener('online', reconnectNow);
window.addEventListener('offline', () => {
  if (state.socketWelcomed || !state.me) return;
  clearTimeout(state.retryTimer);
  setConn({ kind: 'offline' });
});

/** Retries the hello after a while on a fresh socket (our own ghost still held the nickname). */
export function retryHello(nick: string, delayMs: number): void {
  state.intentionalClose = true;
  state.ws?.close();
  state.retryTimer = window.setTimeout(() => connect(nick), delayMs);
}

/** Closes on purpose: no reconnect follows. */
export function closeOnPurpose(): void {
  state.intentionalClose = true;
  state.ws?.close();
}
