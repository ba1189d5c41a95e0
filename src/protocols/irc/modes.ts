import type { ModeChange, RoomSetting } from '../../core/events.js';

/** IRC's channel mode letters for the hub's named room settings: the translation lives in the IRC door. */
export const SETTING_LETTER: Record<RoomSetting, string> = {
  op: 'o',
  voice: 'v',
  ban: 'b',
  // The mute extban: `+b m:nick!user@host` (EXTBAN=$,am: `$m:` too), one list of the hub's shown as ban masks.
  mute: 'b',
  inviteException: 'I',
  key: 'k',
  limit: 'l',
  inviteOnly: 'i',
  moderated: 'm',
  noExternal: 'n',
  secret: 's',
  topicOpsOnly: 't',
  noRequests: 'C',
};

export const LETTER_SETTING: Record<string, RoomSetting | undefined> = Object.fromEntries(
  Object.entries(SETTING_LETTER)
    .filter(([setting]) => setting !== 'mute')
    .map(([setting, letter]) => [letter, setting as RoomSetting]),
);

/** The extban prefix of a mute mask. */
export const MUTE_PREFIX = 'm:';

/** A change's parameter as IRC shows it (a mute's mask with its extban prefix). */
export function modeParam(c: ModeChange): string | undefined {
  return c.mode === 'mute' && c.param !== undefined ? MUTE_PREFIX + c.param : c.param;
}

/** `+ov-b a b c` as MODE parameters. */
export function modeParams(changes: ModeChange[]): string[] {
  let modes = '';
  let sign = '';
  const params: string[] = [];
  for (const c of changes) {
    const s = c.adding ? '+' : '-';
    if (s !== sign) modes += sign = s;
    modes += SETTING_LETTER[c.mode];
    const p = modeParam(c);
    if (p !== undefined) params.push(p);
  }
  return [modes, ...params];
}
