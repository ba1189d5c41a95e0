/**
 * The connection's state, said plainly: a banner over the conversation while the page is not connected
 * (connecting, reconnecting in N s with a countdown, offline) with a "Reconnect now" button, and how
 * many messages wait to be sent; the header's status line says the same in short.
 */
import { renderOutgoing } from './outgoing.js';
import { el, state, tr, type Conn } from './state.js';

export function setConn(conn: Conn): void {
  state.conn = conn;
  clearInterval(state.connTick);
  state.connTick = conn.kind === 'retry' ? window.setInterval(renderConn, 1000) : undefined;
  renderConn();
  renderOutgoing();
}

export function renderConn(): void {
  const c = state.conn;
  const secs = c.kind === 'retry' ? Math.max(0, Math.ceil((c.at - Date.now()) / 1000)) : 0;
  el.status.textContent =
    c.kind === 'online'
      ? tr('status.online', { nick: state.me })
      : c.kind === 'retry'
        ? tr('status.retry', { secs })
        : c.kind === 'connecting'
          ? tr('status.connecting')
          : tr('status.offline');
  el.status.classList.toggle('offline', c.kind !== 'online');
  el.conn.hidden = c.kind === 'online';
  el.conn.dataset.state = c.kind;
  const waiting = state.outgoing.filter((o) => o.status === 'pending').length;
  const main =
    c.kind === 'retry'
      ? tr('conn.retry', { secs })
      : c.kind === 'connecting'
        ? tr('conn.connecting')
        : c.kind === 'offline'
          ? tr('conn.offline')
          : tr('conn.stopped');
  el.connText.textContent = waiting > 0 ? `${main} ${tr('conn.waiting', { count: waiting })}` : main;
  el.connNow.hidden = c.kind === 'connecting' || c.kind === 'online';
}
