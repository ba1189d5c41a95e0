import type { HubEvent } from '../../core/events.js';

/** The IRCv3 capabilities tomada offers (https://ircv3.net/irc/), in `CAP LS` order. */
export const CAPS = [
  'message-tags',
  'server-time',
  'echo-message',
  'multi-prefix',
  'batch',
  'labeled-response',
  'away-notify',
  'cap-notify',
  'userhost-in-names',
  'setname',
  'draft/chathistory',
  'draft/message-redaction',
  'soju.im/search',
  'extended-monitor',
  'sasl',
  'account-tag',
  'account-notify',
  'extended-join',
  'draft/account-registration',
  // Replies are FAIL/WARN/NOTE where the specifications say so, with this capability or without.
  'standard-replies',
  'draft/read-marker',
  'draft/multiline',
  'draft/channel-rename',
  'draft/metadata-2',
] as const;

export type Cap = (typeof CAPS)[number];

const KNOWN = new Set<string>(CAPS);

/** `draft/multiline` limits: bytes of a batch's joined text, and its lines. */
export const MULTILINE_MAX_BYTES = 4096;
// Every line of a batch goes through flood control like any other line: a batch stays within the burst.
export const MULTILINE_MAX_LINES = 20;

/** Metadata limits: keys one person may set, keys a client may subscribe to, bytes of one value. */
export const METADATA_MAX_KEYS = 10;
export const METADATA_MAX_SUBS = 20;
export const METADATA_MAX_VALUE_BYTES = 300;

/** Capability values shown to `CAP LS 302` clients (`sasl`: the mechanisms of that connection). */
export type CapValues = Partial<Record<Cap, string>>;

/** The values that are the same for every connection. */
export const CAP_VALUES: CapValues = {
  'draft/multiline': `max-bytes=${MULTILINE_MAX_BYTES},max-lines=${MULTILINE_MAX_LINES}`,
  // The current draft's token names, then the earlier ones (`maxsub`, `maxkey`) some clients still read.
  'draft/metadata-2': [
    `max-subs=${METADATA_MAX_SUBS}`,
    `max-keys=${METADATA_MAX_KEYS}`,
    `max-value-bytes=${METADATA_MAX_VALUE_BYTES}`,
    `maxsub=${METADATA_MAX_SUBS}`,
    `maxkey=${METADATA_MAX_KEYS}`,
  ].join(','),
};

/** The `CAP LS` list (but those in `hidden`); with values for 302 clients. */
export function capList(version: number, values: CapValues = {}, hidden: ReadonlySet<Cap> = new Set()): string {
  return CAPS.filter((c) => !hidden.has(c))
    .map((c) => {
      const value = values[c] ?? CAP_VALUES[c];
      return version >= 302 && value ? `${c}=${value}` : c;
    })
    .join(' ');
}

export function isCap(name: string): name is Cap {
  return KNOWN.has(name);
}

/**
 * Whether a client with `caps` takes events of this kind at all: each IRCv3 extension's own events go
 * only to clients that negotiated it (`metadata`: only the keys the client subscribed to).
 */
export function takesEvent(ev: HubEvent, caps: ReadonlySet<string>, metadataSubs?: ReadonlySet<string>): boolean {
  switch (ev.type) {
    case 'away':
      return caps.has('away-notify');
    case 'setname':
      return caps.has('setname');
    case 'account':
      return caps.has('account-notify');
    case 'signal':
      return caps.has('message-tags'); // TAGMSG
    case 'metadata':
      return caps.has('draft/metadata-2') && metadataSubs?.has(ev.key) === true;
    case 'redact':
      // draft/message-redaction: "MUST not forward this REDACT to recipients that have not negotiated" it.
      return caps.has('draft/message-redaction');
    default:
      return true;
  }
}
