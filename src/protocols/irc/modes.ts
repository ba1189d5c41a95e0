import type { ModeChange, RoomSetting } from '../../core/events.js';

/** IRC's channel mode letters for the hub's named room settings: the translation lives in the IRC door. */
export const SETTING_LETTER: Record<RoomSetting, string> = {
  op: 'o',
  voice: 'v',
  ban: 'b',
  key: 'k',
  limit: 'l',
  inviteOnly: 'i',
  moderated: 'm',
  noExternal: 'n',
  secret: 's',
  topicOpsOnly: 't',
};

export const LETTER_SETTING: Record<string, RoomSetting | undefined> = Object.fromEntries(
  Object.entries(SETTING_LETTER).map(([setting, letter]) => [letter, setting as RoomSetting]),
);

/** `+ov-b a b c` as MODE parameters. */
export function modeParams(changes: ModeChange[]): string[] {
  let modes = '';
  let sign = '';
  const params: string[] = [];
  for (const c of changes) {
    const s = c.adding ? '+' : '-';
    if (s !== sign) modes += sign = s;
    modes += SETTING_LETTER[c.mode];
    if (c.param !== undefined) params.push(c.param);
  }
  return [modes, ...params];
}
