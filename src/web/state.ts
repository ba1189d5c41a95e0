/**
 * The page's state, in one object every module reads and writes (no scattered module variables), the
 * DOM elements it draws into, and the name folding it shares with the server.
 */
import type { Member, WireMessage } from '../protocols/web/json-protocol.js';
import { casefold } from '../core/casefold.js';
import { pickLang, translate, type Key, type Lang } from './i18n.js';

/** One tab: a room or a private conversation. */
export interface Conv {
  name: string;
  kind: 'room' | 'private';
  messages: WireMessage[];
  ids: Set<string>;
  members: Map<string, Member>;
  topic: string | null;
  unread: number;
  /** Id of the first message that arrived unseen (the divider goes before it); cleared once left. */
  firstUnread?: string;
  /** The read marker: time of the last message read here, on any device of the account (server-kept). */
  read?: number;
  /** Older history exists on the server. */
  more: boolean;
  loadingOlder: boolean;
  /** Lines that are not messages (joins, errors…), shown after the messages they followed. */
  infos: Array<{ after: string; text: string; error: boolean }>;
  /** Who is typing here (folded nick → nick and until when it shows); live only (gestures.ts). */
  typing: Map<string, { nick: string; until: number }>;
  /** Reactions by message id, then emoji, then folded nick → nick; live only, not saved. */
  reactions: Map<string, Map<string, Map<string, string>>>;
}

/** A message sent (or to send) that the server has not confirmed yet (see outgoing.ts). */
export interface Outgoing {
  /** The client idempotency key, also the `ref` of each attempt. */
  key: string;
  target: string;
  text: string;
  kind?: 'action';
  time: number;
  /** Folded name of the conversation it is shown in (its target's, or the one it was typed in). */
  conv: string;
  status: 'pending' | 'failed';
  error?: string;
  /** When it was first sent on some socket (0: never, so it cannot have arrived). */
  sent: number;
  /** The id of the message it answers. */
  reply?: string;
  /** The socket of the last attempt (not saved). */
  sentOn?: WebSocket;
}

/** The connection as the banner shows it: `retry` has the time of the next attempt. */
export type Conn =
  | { kind: 'connecting' }
  | { kind: 'online' }
  | { kind: 'retry'; at: number }
  | { kind: 'offline' }
  | { kind: 'stopped' };

export interface State {
  lang: Lang;
  ws: WebSocket | undefined;
  /** Our nickname ('' before the first welcome and after a refused login). */
  me: string;
  /** The account this browser is signed in to (the cookie; the page cannot read it, `/api/me` says). */
  account: string | undefined;
  /** The resume token of the last welcome. */
  token: string | undefined;
  /** Some socket got a `welcome` since the login: the chat is showing. */
  welcomed: boolean;
  /** The current socket got its `welcome`. */
  socketWelcomed: boolean;
  /** The close to come is wanted (quit, refused nick): do not reconnect. */
  intentionalClose: boolean;
  retries: number;
  retryTimer: number | undefined;
  nickRetries: number;
  /** Rooms asked for with /join (folded): the page switches to them once joined. */
  switchTo: Set<string>;
  /** Conversations by folded name. */
  convs: Map<string, Conv>;
  /** A `rooms` answer is awaited for the room browser. */
  browsing: boolean;
  /** Folded name of the conversation shown. */
  active: string | undefined;
  /** What was sent and not yet confirmed, in the order typed. */
  outgoing: Outgoing[];
  conn: Conn;
  /** The banner's countdown (while `conn` is `retry`). */
  connTick: number | undefined;
  /** The message a reply is being written to (its conversation folded). */
  replyTo: { id: string; from: string; text: string; conv: string } | undefined;
  /** Lines said while the chat had no conversation yet (a warning right after the welcome): the first one shows them. */
  unplaced: Array<{ text: string; error: boolean }>;
  /** Where and when we last said we were typing (until `done`). */
  typingSent: { target: string; at: number } | undefined;
  /** The id of a message to show and make flash once loaded (a search result opened). */
  focus: string | undefined;
}

export const STORE_KEY = 'tomada.session';
export const KEEP_PER_CONV = 300;
export const PAGE = 50;
/** The server's limit on a message's text (json-protocol.ts: `text: z.string().max(4000)`, UTF-16 units). */
export const MAX_TEXT = 4000;
export const UNREAD_KEY = 'tomada.unread';

const params = new URLSearchParams(location.search);

export const state: State = {
  lang: pickLang([params.get('lang'), localStorage.getItem('tomada.lang'), ...navigator.languages]),
  ws: undefined,
  me: '',
  account: undefined,
  token: undefined,
  welcomed: false,
  socketWelcomed: false,
  intentionalClose: false,
  retries: 0,
  retryTimer: undefined,
  nickRetries: 0,
  switchTo: new Set(),
  convs: new Map(),
  browsing: false,
  active: undefined,
  outgoing: [],
  conn: { kind: 'connecting' },
  connTick: undefined,
  replyTo: undefined,
  unplaced: [],
  typingSent: undefined,
  focus: undefined,
};

export const tr = (key: Key, p?: Record<string, string | number>): string => translate(state.lang, key, p);

/** Names compare as on the server (CASEMAPPING=rfc1459), so `#a[b]` and `#A{B}` are one tab. */
export const fold: (name: string) => string = casefold;

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

export const el = {
  login: $('login'),
  loginForm: $<HTMLFormElement>('login-form'),
  nick: $<HTMLInputElement>('nick'),
  password: $<HTMLInputElement>('password'),
  passwordRow: $('password-row'),
  loginError: $('login-error'),
  loginLang: $<HTMLSelectElement>('lang'),
  accountForm: $<HTMLFormElement>('account-form'),
  accountName: $<HTMLInputElement>('account-name'),
  accountPassword: $<HTMLInputElement>('account-password'),
  accountError: $('account-error'),
  signedIn: $('signed-in'),
  signedInText: $('signed-in-text'),
  signOutLogin: $<HTMLButtonElement>('sign-out-login'),
  accountButton: $<HTMLButtonElement>('account'),
  accountPanel: $('account-panel'),
  accountWho: $('account-who'),
  passwordForm: $<HTMLFormElement>('password-form'),
  currentPassword: $<HTMLInputElement>('current-password'),
  newPassword: $<HTMLInputElement>('new-password'),
  passwordResult: $('password-result'),
  signOut: $<HTMLButtonElement>('sign-out'),
  chat: $('chat'),
  title: $('title'),
  topic: $('topic'),
  status: $('status'),
  roomList: $('room-list'),
  messages: $('messages'),
  memberList: $('member-list'),
  membersTitle: $('members-title'),
  sendForm: $<HTMLFormElement>('send-form'),
  input: $<HTMLInputElement>('input'),
  toggleRooms: $('toggle-rooms'),
  toggleMembers: $('toggle-members'),
  newBelow: $<HTMLButtonElement>('new-below'),
  leave: $<HTMLButtonElement>('leave'),
  browseRooms: $<HTMLButtonElement>('browse-rooms'),
  roomBrowser: $('room-browser'),
  conn: $('conn'),
  connText: $('conn-text'),
  connNow: $<HTMLButtonElement>('conn-now'),
  typing: $('typing'),
  replyBar: $('reply-bar'),
  replyText: $('reply-text'),
  replyCancel: $<HTMLButtonElement>('reply-cancel'),
  searchForm: $<HTMLFormElement>('search-form'),
  searchInput: $<HTMLInputElement>('search-input'),
  searchResults: $('search-results'),
};

export function activeConv(): Conv | undefined {
  return state.active ? state.convs.get(state.active) : undefined;
}
