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
  'draft/account-registration',
  // Replies are FAIL/WARN/NOTE where the specifications say so, with this capability or without.
  'standard-replies',
] as const;

export type Cap = (typeof CAPS)[number];

const KNOWN = new Set<string>(CAPS);

/** Capability values shown to `CAP LS 302` clients (`sasl`: the mechanisms of that connection). */
export type CapValues = Partial<Record<Cap, string>>;

/** The `CAP LS` list (but those in `hidden`); with values for 302 clients. */
export function capList(version: number, values: CapValues = {}, hidden: ReadonlySet<Cap> = new Set()): string {
  return CAPS.filter((c) => !hidden.has(c))
    .map((c) => (version >= 302 && values[c] ? `${c}=${values[c]}` : c))
    .join(' ');
}

export function isCap(name: string): name is Cap {
  return KNOWN.has(name);
}
