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
  'extended-monitor',
  'sasl',
  'account-tag',
  'account-notify',
  'extended-join',
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

/** Capability values shown to `CAP LS 302` clients (and in `CAP NEW` with cap-notify). */
export const CAP_VALUES: Partial<Record<Cap, string>> = {
  sasl: 'PLAIN,SCRAM-SHA-256',
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

/** The `CAP LS` list; with values for 302 clients. */
export function capList(version: number): string {
  return CAPS.map((c) => (version >= 302 && CAP_VALUES[c] ? `${c}=${CAP_VALUES[c]}` : c)).join(' ');
}

export function isCap(name: string): name is Cap {
  return KNOWN.has(name);
}
