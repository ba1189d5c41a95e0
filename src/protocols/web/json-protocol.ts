/**
 * The web client's JSON protocol, PURE: text in, validated messages out, and the shapes the server
 * sends. No socket, no hub. One JSON object per WebSocket text message. Documented in the README
 * ("The web door's JSON protocol").
 *
 * Every client message may carry `ref` (a string or number the client chooses); the server's answer to
 * it (`welcome`, `joined`, `history`, the sender's own `message`, or `error`) carries the same `ref`.
 * Every server message carries `time` (server time, ms since the epoch); chat messages carry their `id`.
 */
import { z } from 'zod';
import type { ChatMessage } from '../../core/history.js';

// The shapes of core/events.ts this module reads, written out: the page's build (src/web) imports this
// file's types, and events.ts speaks of Node's Buffer.
type Annotations = Record<string, string>;
interface SignalEvent {
  id: string;
  time: number;
  from: { nick: string };
  target: string;
  private: boolean;
  annotations: Annotations;
}

const ref = z.union([z.string().max(64), z.number()]).optional();
const name = z.string().min(1).max(64);
/** A message id as the server gave it (decimal string of the server-wide sequence). */
const id = z.string().regex(/^\d{1,15}$/);
/** A message id as a pattern, for ids that arrive from other doors (an IRC client's `+draft/reply`). */
export const MESSAGE_ID = /^\d{1,15}$/;
/** What someone is doing in the input (IRCv3 `+typing`): typing, stopped for a while, cleared or sent. */
export const TYPING_STATES = ['active', 'paused', 'done'] as const;
export type TypingState = (typeof TYPING_STATES)[number];
/** The longest reaction, in UTF-16 units: an emoji with its modifiers, or a short word. */
export const REACTION_MAX = 32;
/** A reaction: a short text without spaces or control characters (an emoji, usually). */
export function reactionOk(text: string): boolean {
  return text.length > 0 && text.length <= REACTION_MAX && !/[\s\p{Cc}]/u.test(text);
}
/**
 * The annotations the web door speaks, by the client-only tag names IRC uses (IRCv3 typing, react and
 * reply drafts), so both doors see the same events.
 */
export const TAG = { typing: '+typing', react: '+draft/react', reply: '+draft/reply' } as const;

/** The metadata keys the web door speaks (IRC `draft/metadata-2` keys): what the page shows of a person. */
export const WEB_METADATA_KEYS = ['display-name', 'avatar'] as const;
export type WebMetadataKey = (typeof WEB_METADATA_KEYS)[number];
/** The longest display name, in UTF-16 units. */
export const DISPLAY_NAME_MAX = 64;
/** The longest avatar URL, in UTF-8 bytes: the IRC door's `max-value-bytes`, so both doors take the same. */
export const AVATAR_MAX_BYTES = 300;

/** An avatar the web shows: an `https:` URL of at most {@link AVATAR_MAX_BYTES} bytes, no spaces or controls. */
export function avatarOk(url: string): boolean {
  if (!/^https:\/\/[^\s\p{Cc}]+$/iu.test(url) || new TextEncoder().encode(url).length > AVATAR_MAX_BYTES) return false;
  return URL.canParse(url);
}

/** A display name a web user may set: 1 to {@link DISPLAY_NAME_MAX} characters, no control characters. */
export function displayNameOk(name: string): boolean {
  return name.trim().length > 0 && name.length <= DISPLAY_NAME_MAX && !/\p{Cc}/u.test(name);
}

export const clientMessageSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('hello'),
    ref,
    nick: z.string().max(64),
    lang: z.string().max(16).optional(),
    /** The token of an earlier session (from `welcome`): that session, if still there, is replaced. */
    resume: z.string().max(64).optional(),
    /** The server password, when the server has one (`--password`). */
    password: z.string().max(256).optional(),
  }),
  z.object({ type: z.literal('nick'), ref, nick: z.string().max(64) }),
  z.object({
    type: z.literal('join'),
    ref,
    room: name,
    key: z.string().max(64).optional(),
    /** Resume: history after this id instead of the last messages. */
    after: id.optional(),
  }),
  z.object({ type: z.literal('part'), ref, room: name, reason: z.string().max(400).optional() }),
  z.object({
    type: z.literal('message'),
    ref,
    /** `#room` or a nickname (private message). */
    target: name,
    text: z.string().min(1).max(4000),
    kind: z.enum(['message', 'action']).optional(),
    /**
     * The client's idempotency key: sent again with the same key (a resend after a reconnect that never
     * saw the answer), the message is not stored or relayed twice; the answer is the original message.
     */
    key: z.string().min(1).max(64).optional(),
    /** The id of the message this one answers (IRC `+draft/reply`). */
    reply: id.optional(),
  }),
  /** Someone is typing to `target` (IRC `TAGMSG` with `+typing`); relayed, never stored. */
  z.object({ type: z.literal('typing'), ref, target: name, state: z.enum(TYPING_STATES) }),
  /** A reaction to the message `msgid` of `target` (IRC `+draft/react` with `+draft/reply`); never stored. */
  z.object({
    type: z.literal('react'),
    ref,
    target: name,
    msgid: id,
    emoji: z.string().refine(reactionOk, { message: `1 to ${REACTION_MAX} characters, no spaces` }),
  }),
  z.object({
    type: z.literal('history'),
    ref,
    room: name,
    before: id.optional(),
    after: id.optional(),
    /** The page around this message (half before it, it, the rest after): a search result in its context. */
    around: id.optional(),
    limit: z.number().int().min(1).max(200).optional(),
  }),
  /** Deletes a room message for everyone and from history (IRC `REDACT`): one's own, or any as operator. */
  z.object({ type: z.literal('redact'), ref, target: name, msgid: id, reason: z.string().max(400).optional() }),
  /**
   * Full-text search of the rooms one is in (or of `room`): every word, "quoted phrases". The server
   * refuses more than 200 characters with a clear error; this bound only keeps input small.
   */
  z.object({
    type: z.literal('search'),
    ref,
    text: z.string().min(1).max(1000),
    room: name.optional(),
    from: name.optional(),
    limit: z.number().int().min(1).max(100).optional(),
  }),
  z.object({ type: z.literal('topic'), ref, room: name, text: z.string().max(400) }),
  z.object({ type: z.literal('rooms'), ref }),
  /** Registers a room (`/register #room`): signed in and its operator, the person becomes its founder. */
  z.object({ type: z.literal('register'), ref, room: name }),
  // Read markers (IRC draft/read-marker): the time of the last message read in a room or conversation.
  z.object({ type: z.literal('markread'), ref, target: name, time: z.number().int().min(0).max(8.64e15) }),
  z.object({ type: z.literal('who'), ref, room: name }),
  /** Sets (or, without `value` or with an empty one, removes) one's `display-name` or `avatar`. */
  z.object({ type: z.literal('metadata'), ref, key: z.string().max(64), value: z.string().max(1024).optional() }),
  /** The language of the server's texts from now on (`en`, `pt-BR`). */
  z.object({ type: z.literal('lang'), ref, lang: z.string().max(16) }),
  z.object({ type: z.literal('ping'), ref }),
  z.object({ type: z.literal('quit'), ref, reason: z.string().max(400).optional() }),
]);

export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type Ref = string | number | undefined;

export type ParseResult = { ok: true; message: ClientMessage } | { ok: false; ref: Ref; detail: string };

/** Parses one WebSocket text message from a client. Never throws. */
export function parseClientMessage(text: string): ParseResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, ref: undefined, detail: 'not JSON' };
  }
  const parsed = clientMessageSchema.safeParse(value);
  if (parsed.success) return { ok: true, message: parsed.data };
  const r = (value as { ref?: unknown } | null)?.ref;
  const issue = parsed.error.issues[0];
  return {
    ok: false,
    ref: typeof r === 'string' || typeof r === 'number' ? r : undefined,
    detail: issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : 'invalid',
  };
}

// ---- server → client ------------------------------------------------------------------------------

export interface WireMessage {
  id: string;
  time: number;
  /** `#room`, or for a private message the other person's nick as seen by the recipient's side. */
  target: string;
  from: string;
  text: string;
  kind: ChatMessage['kind'];
  private: boolean;
  /** The id of the message it answers (IRC `+draft/reply`); live only, history does not keep it. */
  reply?: string;
  /** Reactions kept with it (in history: `joined`, `history`), oldest first; absent when none. */
  reactions?: Array<{ nick: string; emoji: string }>;
}

export interface Member {
  nick: string;
  op: boolean;
  voice: boolean;
  door: string;
  /** Their display name (IRC metadata `display-name`), when set. */
  displayName?: string;
  /** Their avatar, an https URL (IRC metadata `avatar`), when set. */
  avatar?: string;
}

export type ServerMessage =
  | {
      type: 'welcome';
      ref?: Ref;
      nick: string;
      /** The account this session is logged in to (the sign-in cookie, or `hello.password`). */
      account?: string;
      token: string;
      server: string;
      room: string;
      time: number;
    }
  | { type: 'message'; ref?: Ref; time: number; message: WireMessage }
  | {
      type: 'joined';
      ref?: Ref;
      time: number;
      room: string;
      topic: string | null;
      members: Member[];
      history: WireMessage[];
      /** Whether older (or, after `after`, newer) history exists beyond the page sent. */
      more: boolean;
      /** The time of the last message read here (your read marker), when there is one. */
      read?: number;
    }
  | {
      type: 'history';
      ref?: Ref;
      time: number;
      room: string;
      messages: WireMessage[];
      /** Whether there is more in the direction of paging (older ones for `before` and `around`). */
      more: boolean;
      /** Set when the page was asked `around` this message. */
      around?: string;
    }
  /** A message was deleted (by `by`: its sender or a room operator); to the deleter, with their `ref`. */
  | { type: 'redact'; ref?: Ref; time: number; id: string; room: string; msgid: string; by: string; reason?: string }
  /** The answer to `search`: the newest matches, oldest first. */
  | { type: 'search'; ref?: Ref; time: number; text: string; messages: WireMessage[] }
  | {
      type: 'presence';
      ref?: Ref;
      time: number;
      event: 'join' | 'part' | 'quit' | 'nick' | 'kick';
      nick: string;
      room?: string;
      /** For `nick`: the old nickname. */
      old?: string;
      /** For `kick`: who kicked. */
      by?: string;
      reason?: string;
      door?: string;
      /** For `join`: the new member's display name and avatar, when set (as in {@link Member}). */
      displayName?: string;
      avatar?: string;
    }
  | { type: 'topic'; time: number; room: string; topic: string | null; by: string }
  | { type: 'rooms'; ref?: Ref; time: number; rooms: Array<{ name: string; members: number; topic: string | null }> }
  | { type: 'members'; ref?: Ref; time: number; room: string; members: Member[] }
  /** The answer to `register`: the room is now registered to `account` (`text` says so, translated). */
  | { type: 'registered'; ref?: Ref; time: number; room: string; account: string; text: string }
  | { type: 'invite'; time: number; room: string; by: string }
  /** Your read marker of a room or a conversation moved (here, or on another connection of your account). */
  | { type: 'markread'; ref?: Ref; time: number; target: string; read: number }
  /**
   * Someone's display name or avatar was set or, without `value`, removed (a room neighbour, or yourself:
   * the answer to your `metadata`, or a change made on another connection of your account).
   */
  | { type: 'metadata'; ref?: Ref; time: number; nick: string; key: WebMetadataKey; value?: string }
  /** A room took a new name (members, settings, topic and the conversation stay). */
  | { type: 'rename'; time: number; old: string; room: string; by: string; reason: string }
  | {
      type: 'typing';
      ref?: Ref;
      time: number;
      from: string;
      /** `#room`, or for a private one the recipient's nick (as for a message). */
      target: string;
      private: boolean;
      state: TypingState;
    }
  | {
      type: 'react';
      ref?: Ref;
      time: number;
      id: string;
      from: string;
      target: string;
      private: boolean;
      /** The message reacted to. */
      msgid: string;
      emoji: string;
    }
  | { type: 'pong'; ref?: Ref; time: number }
  | { type: 'error'; ref?: Ref; time: number; code: string; text: string; room?: string; nick?: string }
  | { type: 'bye'; time: number; reason: string };

export function wireMessage(m: ChatMessage, annotations?: Annotations): WireMessage {
  const w: WireMessage = {
    id: m.id,
    time: m.time,
    target: m.target,
    from: m.from,
    text: m.text,
    kind: m.kind,
    private: m.private,
  };
  if (m.reactions) w.reactions = m.reactions;
  const reply = annotations?.[TAG.reply];
  if (reply !== undefined && MESSAGE_ID.test(reply)) w.reply = reply;
  return w;
}

/**
 * A signal (annotations without text) as the web shows it: a reaction when it has `+draft/react` and a
 * valid `+draft/reply`, else typing when `+typing` is one of the three states, else nothing.
 */
export function signalMessage(ev: SignalEvent): Extract<ServerMessage, { type: 'typing' | 'react' }> | undefined {
  const a = ev.annotations;
  const base = { time: ev.time, from: ev.from.nick, target: ev.target, private: ev.private };
  const emoji = a[TAG.react];
  const msgid = a[TAG.reply];
  if (emoji !== undefined && msgid !== undefined && reactionOk(emoji) && MESSAGE_ID.test(msgid))
    return { type: 'react', ...base, id: ev.id, msgid, emoji };
  const state = a[TAG.typing];
  if (state !== undefined && (TYPING_STATES as readonly string[]).includes(state))
    return { type: 'typing', ...base, state: state as TypingState };
  return undefined;
}

/** One server message as the text of a WebSocket message. */
export function encode(message: ServerMessage): string {
  return JSON.stringify(message);
}
