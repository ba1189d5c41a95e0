import { RPL, ERR } from '../../codec/irc/numerics.js';
import type { Hub } from '../../core/hub.js';
import { nickKey } from '../../core/names.js';
import type { HubObserver, RemoteChange } from '../../core/observer.js';
import type { User } from '../../core/user.js';
import type { IrcSession } from './session.js';

/** Most nicknames one client may monitor (`MONITOR=` in ISUPPORT). */
export const MONITOR_MAX = 100;
/** Targets per 730/731/732 line: with nick!user@host each, well inside 512 bytes. */
const PER_LINE = 8;

/**
 * MONITOR (https://ircv3.net/specs/extensions/monitor): clients are told when a nickname they watch
 * comes online or goes offline, and with `extended-monitor` its away and realname changes too, whether
 * or not they share a room. One registry per hub, for IRC clients on every transport; it watches the hub
 * (an observer), so it sees every sign-on, nick change and quit once, and does work per watcher of that
 * nickname only. Names are keyed as the hub keys them (case and look-alikes folded).
 */
export class MonitorRegistry implements HubObserver {
  /** Watched nickname key → the sessions watching it. */
  readonly #watchers = new Map<string, Set<IrcSession>>();

  constructor(readonly hub: Hub) {}

  /** `MONITOR + a,b`: adds what fits and says which are online and offline. */
  add(s: IrcSession, targets: string[]): void {
    const list = s.monitoring();
    const online: string[] = [];
    const offline: string[] = [];
    for (let i = 0; i < targets.length; i++) {
      const nick = targets[i]!;
      const key = nickKey(nick);
      if (!list.has(key)) {
        if (list.size >= MONITOR_MAX) {
          s.reply(ERR.MONLISTFULL, String(MONITOR_MAX), targets.slice(i).join(','), 'Monitor list is full.');
          break;
        }
        list.set(key, nick);
        let set = this.#watchers.get(key);
        if (!set) this.#watchers.set(key, (set = new Set()));
        set.add(s);
      }
      const user = this.hub.findUser(nick);
      if (user) online.push(user.mask);
      else offline.push(nick);
    }
    sendInLines(s, RPL.MONONLINE, online);
    sendInLines(s, RPL.MONOFFLINE, offline);
  }

  /** `MONITOR - a,b`: no answer. */
  remove(s: IrcSession, targets: string[]): void {
    const list = s.monitoring();
    for (const nick of targets) {
      const key = nickKey(nick);
      if (list.delete(key)) this.#unwatch(key, s);
    }
  }

  /** `MONITOR C`, and a session that ends. */
  clear(s: IrcSession): void {
    const list = s.monitoring(false);
    if (!list) return;
    for (const key of list.keys()) this.#unwatch(key, s);
    list.clear();
  }

  /** `MONITOR L`. */
  list(s: IrcSession): void {
    sendInLines(s, RPL.MONLIST, [...(s.monitoring(false)?.values() ?? [])]);
    s.reply(RPL.ENDOFMONLIST, 'End of MONITOR list');
  }

  /** `MONITOR S`: the state of every entry. */
  status(s: IrcSession): void {
    const online: string[] = [];
    const offline: string[] = [];
    for (const nick of s.monitoring(false)?.values() ?? []) {
      const user = this.hub.findUser(nick);
      if (user) online.push(user.mask);
      else offline.push(nick);
    }
    sendInLines(s, RPL.MONONLINE, online);
    sendInLines(s, RPL.MONOFFLINE, offline);
  }

  #unwatch(key: string, s: IrcSession): void {
    const set = this.#watchers.get(key);
    if (!set) return;
    set.delete(s);
    if (set.size === 0) this.#watchers.delete(key);
  }

  // ---- the hub tells -------------------------------------------------------------------------------

  registered(user: User): void {
    this.#tell(user.key, RPL.MONONLINE, user.mask);
  }

  quit(user: User): void {
    this.#tell(user.key, RPL.MONOFFLINE, user.nick);
  }

  nickChanged(user: User, oldNick: string): void {
    const oldKey = nickKey(oldNick);
    if (oldKey === user.key) return; // the same name, differently cased: still online
    this.#tell(oldKey, RPL.MONOFFLINE, oldNick);
    this.#tell(user.key, RPL.MONONLINE, user.mask);
  }

  /** A user of another node: the same as one of this node's (MONITOR is network-wide). */
  remoteChanged(kind: RemoteChange, user: User, oldNick?: string): void {
    if (kind === 'on') this.registered(user);
    else if (kind === 'off') this.quit(user);
    else if (kind === 'nick') this.nickChanged(user, oldNick!);
    else if (kind === 'away') this.awayChanged(user);
    else this.realnameChanged(user);
  }

  awayChanged(user: User): void {
    this.#extended(user, 'away-notify', (s) =>
      s.send({
        tags: {},
        source: user.mask,
        command: 'AWAY',
        params: user.away === undefined ? [] : [user.away],
      }),
    );
  }

  realnameChanged(user: User): void {
    this.#extended(user, 'setname', (s) =>
      s.send({ tags: {}, source: user.mask, command: 'SETNAME', params: [user.realname] }),
    );
  }

  #tell(key: string, numeric: string, target: string): void {
    const set = this.#watchers.get(key);
    if (!set) return;
    for (const s of set) if (s.registered) s.reply(numeric, target);
  }

  /**
   * extended-monitor: a watcher with the cap (and the change's own cap) hears of the change; one who
   * shares a room with the user heard already, through the room.
   */
  #extended(user: User, cap: 'away-notify' | 'setname', send: (s: IrcSession) => void): void {
    const set = this.#watchers.get(user.key);
    if (!set) return;
    for (const s of set) {
      if (!s.registered || !s.caps.has('extended-monitor') || !s.caps.has(cap) || s.user === user) continue;
      if (s.user?.sharedRoom(user)) continue;
      send(s);
    }
  }
}

function sendInLines(s: IrcSession, numeric: string, targets: string[]): void {
  for (let i = 0; i < targets.length; i += PER_LINE) s.reply(numeric, targets.slice(i, i + PER_LINE).join(','));
}

const registries = new WeakMap<Hub, MonitorRegistry>();

/** The hub's registry, made (and set to watch the hub) on first use. */
export function monitorsOf(hub: Hub): MonitorRegistry {
  let r = registries.get(hub);
  if (!r) {
    r = new MonitorRegistry(hub);
    hub.observe(r);
    registries.set(hub, r);
  }
  return r;
}
