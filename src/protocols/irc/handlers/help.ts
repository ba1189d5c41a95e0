import { ERR, RPL } from '../../../codec/irc/numerics.js';
import { catalogueKeys, t } from '../../../i18n/index.js';
import type { IrcSession } from '../session.js';
import type { CommandTable } from './types.js';

const PREFIX = 'irc.help.';

/** The commands with a help topic (every command the door knows: test/protocols/irc/help.test.ts). */
export function helpTopics(): string[] {
  return catalogueKeys()
    .filter((k) => k.startsWith(PREFIX) && k !== `${PREFIX}index`)
    .map((k) => k.slice(PREFIX.length))
    .sort();
}

/**
 * HELP / HELPOP (modern.ircdocs.horse "HELP message"): RPL_HELPSTART with a title, an empty RPL_HELPTXT,
 * the text, RPL_ENDOFHELP; ERR_HELPNOTFOUND for a subject it knows nothing about.
 */
function help(s: IrcSession, subject: string | undefined): void {
  const lang = s.ctx.config.lang;
  const topics = helpTopics();
  const wanted = subject?.trim().toUpperCase() ?? '';
  let title: string;
  let text: string;
  if (wanted === '') {
    title = `** ${s.ctx.config.network} help **`;
    text = t(lang, `${PREFIX}index`, { commands: topics.join(' ') });
  } else if (topics.includes(wanted === 'HELPOP' ? 'HELP' : wanted)) {
    title = `** ${wanted} **`;
    text = t(lang, `${PREFIX}${wanted === 'HELPOP' ? 'HELP' : wanted}`);
  } else {
    s.reply(ERR.HELPNOTFOUND, subject ?? '*', 'No help available on this topic');
    return;
  }
  // A subject a client could not send back as a middle parameter (spaces, `:`) is shown as `*`.
  const key = wanted === '' || /[\s:]/.test(wanted) ? '*' : wanted;
  s.reply(RPL.HELPSTART, key, title);
  s.reply(RPL.HELPTXT, key, '');
  for (const line of wrap(text, 200)) s.reply(RPL.HELPTXT, key, line);
  s.reply(RPL.ENDOFHELP, key, 'End of /HELP');
}

/** Lines of at most `width` characters, cut at spaces; the text's own line breaks are kept. */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(' ')) {
      if (line !== '' && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line === '' ? word : `${line} ${word}`;
    }
    out.push(line);
  }
  return out;
}

export const helpCommands: CommandTable = {
  HELP: { min: 0, registered: true, handle: (s, m) => help(s, m.params[0]) },
  HELPOP: { min: 0, registered: true, handle: (s, m) => help(s, m.params[0]) },
};
