/**
 * A child process of `tomada bench chat --procs P`: runs one {@link ClientGroup} and talks to the
 * coordinator (chat.ts) over the IPC channel. Exits when told, or when the coordinator goes away.
 */
import { ClientGroup } from './clients.js';
import type { FromWorker, ToWorker } from './chat.js';

let group: ClientGroup | null = null;
let countsTimer: NodeJS.Timeout | null = null;

function send(m: FromWorker): void {
  if (process.connected) process.send?.(m);
}

async function shutdown(): Promise<void> {
  if (countsTimer) clearInterval(countsTimer);
  await group?.close();
  send({ type: 'closed' });
  process.disconnect?.();
  process.exit(0);
}

process.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'init': {
      const g = new ClientGroup(m.opts);
      group = g;
      countsTimer = setInterval(() => {
        send({ type: 'counts', sent: g.stats.sent, received: g.stats.received, connected: g.connected });
      }, 100);
      g.connectAll(() => send({ type: 'connected', connected: g.connected }))
        .then(() => send({ type: 'ready' }))
        .catch(() => send({ type: 'ready' }));
      break;
    }
    case 'start':
      group?.start(m.startUs, m.countFromUs);
      break;
    case 'stop':
      group?.stopSending();
      break;
    case 'finish':
      if (group) {
        group.endMeasure();
        send({ type: 'counts', sent: group.stats.sent, received: group.stats.received, connected: group.connected });
        send({ type: 'stats', stats: group.snapshot() });
      }
      break;
    case 'close':
      void shutdown();
      break;
  }
});

// The coordinator died or closed the channel: do not linger.
process.on('disconnect', () => {
  void shutdown();
});
