/**
 * What survives a reload (sessionStorage): nickname, resume token, the conversations and their last
 * messages, so the page shows what was there and resumes after the last id seen.
 */
import type { WireMessage } from '../protocols/web/json-protocol.js';
import { KEEP_PER_CONV, state, STORE_KEY, UNREAD_KEY, type Outgoing } from './state.js';

export interface Saved {
  nick: string;
  token?: string;
  active?: string;
  convs: Array<{ name: string; kind: 'room' | 'private'; messages: WireMessage[]; more: boolean }>;
  /** Sent and not yet confirmed (outgoing.ts): a reload sends them on, with their keys. */
  outgoing?: Outgoing[];
}

export function save(): void {
  if (!state.me) return;
  const data: Saved = {
    nick: state.me,
    token: state.token,
    active: state.active,
    convs: [...state.convs.values()].map((c) => ({
      name: c.name,
      kind: c.kind,
      messages: c.messages.slice(-KEEP_PER_CONV),
      more: c.more || c.messages.length > KEEP_PER_CONV,
    })),
    outgoing: state.outgoing.map(({ sentOn: _socket, ...o }) => o),
  };
  sessionStorage.setItem(STORE_KEY, JSON.stringify(data));
  // Unread counts in localStorage, so they outlive the tab's session too.
  const unread: Record<string, number> = {};
  for (const [key, c] of state.convs) if (c.unread > 0) unread[key] = c.unread;
  localStorage.setItem(UNREAD_KEY, JSON.stringify(unread));
}

export function loadUnread(): Record<string, number> {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(UNREAD_KEY) ?? '{}');
    return v && typeof v === 'object' ? (v as Record<string, number>) : {};
  } catch {
    return {};
  }
}

export function load(): Saved | undefined {
  try {
    const raw = sessionStorage.getItem(STORE_KEY);
    return raw ? (JSON.parse(raw) as Saved) : undefined;
  } catch {
    return undefined;
  }
}

export function forget(): void {
  sessionStorage.removeItem(STORE_KEY);
  localStorage.removeItem(UNREAD_KEY);
}
