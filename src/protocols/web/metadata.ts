import type { User } from '../../core/user.js';
import { METADATA_MAX_KEYS } from '../irc/caps.js';
import type { JsonSession } from './json-session.js';
import {
  avatarOk,
  displayNameOk,
  WEB_METADATA_KEYS,
  type ClientMessage,
  type Member,
  type Ref,
  type ServerMessage,
  type WebMetadataKey,
} from './json-protocol.js';

/** Whether `key` is one the web door speaks (`display-name`, `avatar`). */
export function isWebKey(key: string): key is WebMetadataKey {
  return (WEB_METADATA_KEYS as readonly string[]).includes(key);
}

/** Members as the web sees them: an avatar only when it is an https URL the page may show. */
export function webMembers(list: Member[]): Member[] {
  for (const m of list) if (m.avatar !== undefined && !avatarOk(m.avatar)) delete m.avatar;
  return list;
}

/** The display name and avatar of a person (as a join carries them) that the web shows. */
export function webProfile(p: { displayName?: string; avatar?: string }): { displayName?: string; avatar?: string } {
  return {
    ...(p.displayName !== undefined ? { displayName: p.displayName } : {}),
    ...(p.avatar !== undefined && avatarOk(p.avatar) ? { avatar: p.avatar } : {}),
  };
}

/** A `metadata` message; an avatar the page may not show (set over IRC) is sent as removed. */
export function metadataMessage(
  nick: string,
  key: WebMetadataKey,
  value: string | undefined,
  ref?: Ref,
): Extract<ServerMessage, { type: 'metadata' }> {
  const shown = value !== undefined && (key !== 'avatar' || avatarOk(value)) ? value : undefined;
  return {
    type: 'metadata',
    ...(ref !== undefined ? { ref } : {}),
    time: Date.now(),
    nick,
    key,
    ...(shown !== undefined ? { value: shown } : {}),
  };
}

/**
 * `metadata`: a web user sets (or, with no or an empty value, removes) their display name or avatar,
 * bounded here; the hub tells their rooms (IRC clients that subscribed get `METADATA`) and the account
 * keeps it. The answer is a `metadata` message with the value kept; a refusal is an error with its code.
 */
export function setMetadata(s: JsonSession, user: User, m: Extract<ClientMessage, { type: 'metadata' }>): void {
  const key = m.key;
  if (!isWebKey(key)) return s.error(m.ref, 'METADATA_KEY', { key: key.slice(0, 64) });
  const value = m.value?.trim() || undefined;
  if (value !== undefined) {
    if (key === 'display-name' && !displayNameOk(value)) return s.error(m.ref, 'DISPLAY_NAME_INVALID');
    if (key === 'avatar' && !avatarOk(value)) return s.error(m.ref, 'AVATAR_INVALID');
    if (!user.metadata?.has(key) && (user.metadata?.size ?? 0) >= METADATA_MAX_KEYS)
      return s.error(m.ref, 'METADATA_LIMIT');
  }
  if (value !== undefined || user.metadata?.has(key)) s.ctx.hub.setMetadata(user, key, value);
  s.send(metadataMessage(user.nick, key, user.metadata?.get(key), m.ref));
}
