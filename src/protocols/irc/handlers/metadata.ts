import type { IrcMessage } from '../../../codec/irc/message.js';
import { ERR } from '../../../codec/irc/numerics.js';
import type { Room } from '../../../core/room.js';
import type { User } from '../../../core/user.js';
import { METADATA_MAX_KEYS, METADATA_MAX_SUBS, METADATA_MAX_VALUE_BYTES } from '../caps.js';
import type { IrcSession } from '../session.js';
import type { CommandTable } from './types.js';

/** The metadata numerics (https://ircv3.net/specs/extensions/metadata, 760–775). */
export const META = {
  WHOISKEYVALUE: '760',
  KEYVALUE: '761',
  NOMATCHINGKEY: '766',
  KEYNOTSET: '768',
  METADATASUBOK: '770',
  METADATAUNSUBOK: '771',
  METADATASUBS: '772',
} as const;

/** The keys WHOIS shows (760), in this order: what the web client shows of a person. */
export const WHOIS_KEYS = ['display-name', 'avatar'] as const;

/** Key names: `a-z 0-9 _ . : -`, case-insensitive (kept lower-case), not starting with `:`. */
const KEY = /^[a-z0-9_.-][a-z0-9_.:-]{0,63}$/;
// eslint-disable-next-line no-control-regex -- a value is one line of text: no control characters.
const CONTROL = /[\x00-\x1f\x7f]/;

export function validKey(key: string): string | undefined {
  const k = key.toLowerCase();
  return KEY.test(k) ? k : undefined;
}

/** The `METADATA <nick> <key> * :<value>` message a subscriber gets (no value: the key was removed). */
export function metadataLine(s: IrcSession, user: User, key: string): IrcMessage {
  const value = user.metadata?.get(key);
  const params = value === undefined ? [user.nick, key, '*'] : [user.nick, key, '*', value];
  return { tags: {}, source: s.serverName, command: 'METADATA', params };
}

/** Every key of the client's own metadata as METADATA lines (the batch on connection). */
export function ownMetadataLines(s: IrcSession): IrcMessage[] {
  return [...(s.me.metadata?.keys() ?? [])].map((key) => metadataLine(s, s.me, key));
}

function fail(s: IrcSession, code: string, ...params: string[]): void {
  s.fromServer('FAIL', 'METADATA', code, ...params);
}

function keyValue(s: IrcSession, user: User, key: string): IrcMessage {
  const value = user.metadata?.get(key);
  const params = [s.nick, user.nick, key, '*', ...(value === undefined ? [] : [value])];
  return { tags: {}, source: s.serverName, command: META.KEYVALUE, params };
}

/** The subscribed keys of `users` as METADATA lines, in one `metadata` batch (nothing when there are none). */
function syncLines(s: IrcSession, users: Iterable<User>): IrcMessage[] {
  const out: IrcMessage[] = [];
  const subs = s.metadataSubs;
  if (!subs) return out;
  for (const u of users) {
    if (!u.metadata) continue;
    for (const key of u.metadata.keys()) if (subs.has(key)) out.push(metadataLine(s, u, key));
  }
  return out;
}

/** On joining a room: the metadata of its members that the client subscribed to (metadata "Concepts"). */
export function sendRoomMetadata(s: IrcSession, room: Room): void {
  if (!s.caps.has('draft/metadata-2')) return;
  const lines = syncLines(
    s,
    [...room.members.keys()].filter((u) => u !== s.me),
  );
  if (lines.length > 0) s.sendBatch('metadata', [], lines);
}

function target(s: IrcSession, given: string): User | Room | undefined {
  if (given === '*') return s.me;
  const found = given.startsWith('#') ? s.ctx.hub.findRoom(given) : s.ctx.hub.findUser(given);
  if (!found || ('visibleTo' in found && !found.visibleTo(s.me))) {
    fail(s, 'INVALID_TARGET', given, 'Invalid target');
    return undefined;
  }
  return found;
}

function set(s: IrcSession, given: string, rawKey: string | undefined, value: string | undefined): void {
  const t = target(s, given);
  if (!t) return;
  if (rawKey === undefined) return void s.reply(ERR.NEEDMOREPARAMS, 'METADATA', 'Not enough parameters');
  const key = validKey(rawKey);
  if (!key) return fail(s, 'KEY_INVALID', rawKey, 'Invalid key');
  // Rooms have no metadata here, and nobody sets another person's.
  if (t !== s.me) return fail(s, 'KEY_NO_PERMISSION', given, key, 'Permission denied');
  const me = s.me;
  if (value === undefined || value === '') {
    if (!me.metadata?.has(key)) return void s.reply(META.KEYNOTSET, me.nick, key, 'Key not set');
    s.ctx.hub.setMetadata(me, key, undefined);
  } else {
    if (Buffer.byteLength(value) > METADATA_MAX_VALUE_BYTES || CONTROL.test(value)) {
      return fail(s, 'VALUE_INVALID', 'Value too long or not valid');
    }
    if (!me.metadata?.has(key) && (me.metadata?.size ?? 0) >= METADATA_MAX_KEYS) {
      return fail(s, 'LIMIT_REACHED', me.nick, 'Metadata limit reached');
    }
    s.ctx.hub.setMetadata(me, key, value);
  }
  s.send(keyValue(s, me, key));
}

function get(s: IrcSession, given: string, keys: string[], all: boolean): void {
  const t = target(s, given);
  if (!t) return;
  const user = 'visibleTo' in t ? undefined : t;
  const lines: IrcMessage[] = [];
  for (const raw of all ? [...(user?.metadata?.keys() ?? [])] : keys) {
    const key = validKey(raw);
    if (!key) {
      lines.push({
        tags: {},
        source: s.serverName,
        command: 'FAIL',
        params: ['METADATA', 'KEY_INVALID', raw, 'Invalid key'],
      });
    } else if (user?.metadata?.has(key)) lines.push(keyValue(s, user, key));
    else {
      const name = user?.nick ?? given;
      lines.push({
        tags: {},
        source: s.serverName,
        command: META.NOMATCHINGKEY,
        params: [s.nick, name, key, 'No matching key'],
      });
    }
  }
  s.sendBatch('metadata', [], lines);
}

function clear(s: IrcSession, given: string): void {
  const t = target(s, given);
  if (!t) return;
  if (t !== s.me) return fail(s, 'KEY_NO_PERMISSION', given, '*', 'Permission denied');
  const me = s.me;
  const lines: IrcMessage[] = [];
  for (const key of [...(me.metadata?.keys() ?? [])]) {
    s.ctx.hub.setMetadata(me, key, undefined);
    lines.push(keyValue(s, me, key));
  }
  s.sendBatch('metadata', [], lines);
}

function sub(s: IrcSession, keys: string[]): void {
  const subs = (s.metadataSubs ??= new Set());
  const ok: string[] = [];
  for (const raw of keys) {
    const key = validKey(raw);
    if (!key) {
      fail(s, 'KEY_INVALID', raw, 'Invalid key');
      continue;
    }
    if (!subs.has(key) && subs.size >= METADATA_MAX_SUBS) {
      fail(s, 'TOO_MANY_SUBS', key, 'Too many subscriptions');
      break;
    }
    subs.add(key);
    ok.push(key);
  }
  if (ok.length > 0) s.reply(META.METADATASUBOK, ok.join(' '));
}

function unsub(s: IrcSession, keys: string[]): void {
  const ok: string[] = [];
  for (const raw of keys) {
    const key = validKey(raw);
    if (!key) fail(s, 'KEY_INVALID', raw, 'Invalid key');
    else {
      s.metadataSubs?.delete(key);
      ok.push(key);
    }
  }
  if (ok.length > 0) s.reply(META.METADATAUNSUBOK, ok.join(' '));
}

function sync(s: IrcSession, given: string): void {
  const t = target(s, given);
  if (!t) return;
  const users = 'visibleTo' in t ? [...t.members.keys()].filter((u) => u !== s.me) : [t];
  s.sendBatch('metadata', [], syncLines(s, users));
}

/**
 * METADATA (IRCv3 metadata, `draft/metadata-2`): what a person says about themselves (`display-name`,
 * `avatar`, …), seen by those who subscribed to the key. Kept for the connection, and for a logged-in person
 * by their account too (`AccountMetadata`); rooms have none.
 */
function metadata(s: IrcSession, msg: IrcMessage): void {
  const [given, subcommand] = msg.params as [string, string];
  const rest = msg.params.slice(2);
  switch (subcommand.toUpperCase()) {
    case 'SET':
      return set(s, given, rest[0], rest[1]);
    case 'GET':
      if (rest.length === 0) return void s.reply(ERR.NEEDMOREPARAMS, 'METADATA', 'Not enough parameters');
      return get(s, given, rest.slice(0, 20), false);
    case 'LIST':
      return get(s, given, [], true);
    case 'CLEAR':
      return clear(s, given);
    case 'SUB':
      return sub(s, rest);
    case 'UNSUB':
      return unsub(s, rest);
    case 'SUBS': {
      const keys = [...(s.metadataSubs ?? [])];
      if (keys.length > 0) s.reply(META.METADATASUBS, keys.join(' '));
      return;
    }
    case 'SYNC':
      return sync(s, given);
    default:
      return fail(s, 'SUBCOMMAND_INVALID', subcommand, 'Invalid subcommand');
  }
}

export const metadataCommands: CommandTable = {
  METADATA: { min: 2, registered: true, handle: metadata },
};
