import type { Hub } from '../../../core/hub.js';
import type { User } from '../../../core/user.js';

/** Per hub: the users of other nodes someone waits to see leave, and who waits. One observer per hub. */
const waiting = new WeakMap<Hub, Map<User, Set<() => void>>>();

/**
 * Resolves true once `user` (of another node) has left the network as this node sees it (its node ended
 * the session and the quit came over the bus), false after `ms`. A user of this node, or one already
 * gone, resolves at once. Event-driven: the hub's `remoteChanged('off')`, not a poll.
 */
export function whenRemoteGone(hub: Hub, user: User, ms: number): Promise<boolean> {
  if (user.remote === undefined || hub.findUser(user.nick) !== user) return Promise.resolve(true);
  let users = waiting.get(hub);
  if (!users) {
    const map = new Map<User, Set<() => void>>();
    waiting.set(hub, (users = map));
    hub.observe({
      remoteChanged: (kind, u) => {
        if (kind !== 'off') return;
        const wakes = map.get(u);
        map.delete(u);
        for (const wake of wakes ?? []) wake();
      },
    });
  }
  const map = users;
  return new Promise((resolve) => {
    const wakes = map.get(user) ?? new Set<() => void>();
    map.set(user, wakes);
    const done = (gone: boolean) => {
      clearTimeout(timer);
      wakes.delete(wake);
      if (wakes.size === 0 && map.get(user) === wakes) map.delete(user);
      resolve(gone);
    };
    const wake = () => done(true);
    const timer = setTimeout(() => done(false), ms);
    wakes.add(wake);
  });
}
