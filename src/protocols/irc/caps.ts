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
  // Replies are FAIL/WARN/NOTE where the specifications say so, with this capability or without.
  'standard-replies',
] as const;

export type Cap = (typeof CAPS)[number];

const KNOWN = new Set<string>(CAPS);

export function isCap(name: string): name is Cap {
  return KNOWN.has(name);
}
