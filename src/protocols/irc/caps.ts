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
  // Replies are FAIL/WARN/NOTE where the specifications say so, with this capability or without.
  'standard-replies',
] as const;

export type Cap = (typeof CAPS)[number];

const KNOWN = new Set<string>(CAPS);

/** Capability values shown to `CAP LS 302` clients (and in `CAP NEW` with cap-notify). */
export const CAP_VALUES: Partial<Record<Cap, string>> = { sasl: 'PLAIN,SCRAM-SHA-256' };

/** The `CAP LS` list; with values for 302 clients. */
export function capList(version: number): string {
  return CAPS.map((c) => (version >= 302 && CAP_VALUES[c] ? `${c}=${CAP_VALUES[c]}` : c)).join(' ');
}

export function isCap(name: string): name is Cap {
  return KNOWN.has(name);
}
