import type { HubState } from './hub-state.js';
import { cleanText } from './names.js';
import { snapshotUser } from './snapshot.js';
import type { User } from './user.js';

/*
 * What a user says of themselves: away, real name, metadata, the account they are logged in to. The
 * hub's methods of the same names call these with its state (see hub-state.ts); those who share a room
 * with the user are told once each, through the fan-out, and the observers after.
 */

export function setAway(h: HubState, user: User, message: string | undefined): void {
  user.away = message === '' ? undefined : message;
  h.fanout.toNeighbours(user, h.event({ type: 'away', user: snapshotUser(user) }), false);
  for (const o of h.observers) o.awayChanged?.(user);
}

export function setRealname(h: HubState, user: User, realname: string): void {
  user.realname = realname;
  h.fanout.toNeighbours(user, h.event({ type: 'setname', user: snapshotUser(user) }), true);
  for (const o of h.observers) o.realnameChanged?.(user);
}

/** See `Hub.setMetadata`: the user is not told (they know). */
export function setMetadata(h: HubState, user: User, key: string, value: string | undefined): void {
  if (value === undefined) {
    user.metadata?.delete(key);
    if (user.metadata?.size === 0) user.metadata = undefined;
  } else (user.metadata ??= new Map()).set(key, cleanText(value));
  const ev = h.event({
    type: 'metadata',
    user: snapshotUser(user),
    key,
    ...(value === undefined ? {} : { value: cleanText(value) }),
  });
  h.fanout.toNeighbours(user, ev, false);
  for (const o of h.observers) o.metadataChanged?.(user, key, user.metadata?.get(key));
}

/** See `Hub.setAccount`: an account with the oper flag makes the user a server operator. */
export function setAccount(h: HubState, user: User, account: { name: string; oper: boolean } | undefined): void {
  if (account?.oper) user.oper = true;
  if (user.account === account?.name) return;
  user.account = account?.name;
  h.fanout.toNeighbours(user, h.event({ type: 'account', user: snapshotUser(user) }), false);
  for (const o of h.observers) o.accountChanged?.(user);
}
