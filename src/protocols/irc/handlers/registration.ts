import { readFileSync } from 'node:fs';
import { VERSION as PACKAGE_VERSION } from '../../../version.js';
import { ERR, isupportLines, RPL } from '../../../codec/irc/numerics.js';
import { NICK_MAX, REALNAME_MAX, ROOM_MAX, TOPIC_MAX } from '../../../core/names.js';
import { t } from '../../../i18n/index.js';
import { capList, isCap, type Cap } from '../caps.js';
import { KICK_MAX, MAX_BANS } from './channels.js';
import { MONITOR_MAX } from '../monitor.js';
import type { IrcSession } from '../session.js';
import { abortSasl, loggedIn, mechanisms } from '../sasl.js';
import type { CommandTable } from './types.js';
import { ownMetadataLines } from './metadata.js';

/** The server's version as IRC shows it (002, 004, VERSION): package.json's. */
export const VERSION = `tomada-${PACKAGE_VERSION}`;
export const USERLEN = 10;
export const CHATHISTORY_MAX = 100;

/** RPL_ISUPPORT tokens (modern.ircdocs.horse "Feature Advertisement"). */
export function isupportTokens(s: IrcSession): string[] {
  return [
    'AWAYLEN=200',
    'BOT=B',
    'CASEMAPPING=rfc1459',
    `CHANLIMIT=#:${s.ctx.hub.maxRoomsPerUser}`,
    'CHANMODES=Ib,k,l,Cimnst',
    `CHANNELLEN=${ROOM_MAX}`,
    'CHANTYPES=#',
    `CHATHISTORY=${CHATHISTORY_MAX}`,
    // message-tags: the client-only tags not relayed, when there are any (no token: all are relayed).
    ...(s.ctx.config.clientTagDeny.length > 0 ? [`CLIENTTAGDENY=${s.ctx.config.clientTagDeny.join(',')}`] : []),
    'ELIST=CMNTU',
    // Extbans: `$a:account` (bans, mutes and invite exceptions on an account) and the mute `$m:mask`
    // (also written `m:mask`, as it was before accounts).
    'EXTBAN=$,am',
    'INVEX',
    `KICKLEN=${KICK_MAX}`,
    `MAXLIST=b:${MAX_BANS},I:${MAX_BANS}`,
    `MONITOR=${MONITOR_MAX}`,
    'MODES=4',
    'MSGREFTYPES=msgid,timestamp',
    `NETWORK=${s.ctx.config.network}`,
    `NICKLEN=${NICK_MAX}`,
    'PREFIX=(ov)@+',
    'STATUSMSG=@+',
    'TARGMAX=JOIN:,KICK:1,LIST:,NAMES:1,NOTICE:4,PART:,PRIVMSG:4,TAGMSG:4,WHOIS:1',
    `TOPICLEN=${TOPIC_MAX}`,
    `USERLEN=${USERLEN}`,
    'UTF8ONLY',
    'WHOX',
  ];
}

export function sendIsupport(s: IrcSession): void {
  for (const tokens of isupportLines(isupportTokens(s))) {
    s.reply(RPL.ISUPPORT, ...tokens, 'are supported by this server');
  }
}

export function sendLusers(s: IrcSession): void {
  const { hub } = s.ctx;
  let invisible = 0;
  let opers = 0;
  for (const u of hub.networkUsers()) {
    if (u.invisible) invisible++;
    if (u.oper) opers++;
  }
  // This node's users (LOCALUSERS), and the network's (every node's, as this node knows them).
  const n = hub.userCount;
  const all = hub.networkUserCount;
  const max = String(hub.maxUsers);
  const maxAll = String(Math.max(hub.maxUsers, all));
  // Connections of any chat door that have not chosen a nickname yet.
  const open = ['line', 'irc', 'web'].reduce((sum, d) => sum + s.ctx.stats.door(d).connections, 0);
  const unknown = Math.max(0, open - n);
  // The nodes of the network (`--cluster`): the live ones this node heard of.
  const servers = hub.networkNodes().length;
  s.reply(
    RPL.LUSERCLIENT,
    `There are ${all - invisible} users and ${invisible} invisible on ${servers} server${servers === 1 ? '' : 's'}`,
  );
  s.reply(RPL.LUSEROP, String(opers), 'operator(s) online');
  if (unknown > 0) s.reply(RPL.LUSERUNKNOWN, String(unknown), 'unknown connection(s)');
  s.reply(RPL.LUSERCHANNELS, String(hub.roomCount), 'channels formed');
  s.reply(RPL.LUSERME, `I have ${n} clients and ${servers - 1} servers`);
  s.reply(RPL.LOCALUSERS, String(n), max, `Current local users ${n}, max ${max}`);
  s.reply(RPL.GLOBALUSERS, String(all), maxAll, `Current global users ${all}, max ${maxAll}`);
}

export function sendMotd(s: IrcSession): void {
  const { config } = s.ctx;
  let lines: string[];
  if (config.motdFile) {
    try {
      lines = readFileSync(config.motdFile, 'utf8').replace(/\r/g, '').replace(/\n$/, '').split('\n');
    } catch {
      s.reply(ERR.NOMOTD, 'MOTD File is missing');
      return;
    }
  } else {
    lines = t(config.lang, 'irc.motd.default', { network: config.network }).split('\n');
  }
  s.reply(RPL.MOTDSTART, `- ${s.serverName} Message of the day - `);
  for (const l of lines) s.reply(RPL.MOTD, `- ${l}`);
  s.reply(RPL.ENDOFMOTD, 'End of /MOTD command.');
}

async function tryRegister(s: IrcSession): Promise<void> {
  if (s.registered || s.isClosed || !s.pendingNick || !s.username || s.capNegotiating) return;
  const { config, hub } = s.ctx;
  abortSasl(s); // registering while an exchange is under way ends it (sasl-3.1)
  const nick = s.pendingNick;
  const verdict = await s.ctx.accounts.authorise({ nick, password: s.password, door: 'irc', ip: s.host });
  if (s.isClosed || s.registered) return;
  if (!verdict.ok) {
    s.reply(ERR.PASSWDMISMATCH, 'Password incorrect');
    s.quit('Bad password');
    return;
  }
  const account = s.saslAccount ?? verdict.account;
  let user;
  try {
    user = await hub.register(s, {
      nick,
      username: s.username,
      host: s.host,
      realname: s.realname ?? '',
      ...(account ? { account } : {}),
    });
  } catch (err) {
    if (s.isClosed) return;
    s.hubError(err, 'NICK');
    s.pendingNick = undefined;
    return;
  }
  if (s.isClosed) {
    // The client left while its nickname was being claimed: give the name back.
    hub.quit(user, 'Connection closed');
    return;
  }
  s.activate(user);
  // SASL said 900 already; a login by PASS says it now. The account is on the user either way.
  if (s.saslAccount) s.saslAccount = undefined;
  else if (account) loggedIn(s, account);
  const created = new Date(hub.startedAt).toUTCString();
  s.burst(() => {
    s.reply(RPL.WELCOME, `Welcome to the ${config.network} IRC Network ${user.mask}`);
    s.reply(RPL.YOURHOST, `Your host is ${s.serverName}, running version ${VERSION}`);
    s.reply(RPL.CREATED, `This server was created ${created}`);
    s.reply(RPL.MYINFO, s.serverName, VERSION, 'Biow', 'CIbiklmnostv', 'Ibklov');
    sendIsupport(s);
    // draft/metadata-2: your metadata in a batch on connection (what your account keeps; empty for a guest).
    if (s.caps.has('draft/metadata-2')) s.sendBatch('metadata', [], ownMetadataLines(s));
    sendLusers(s);
    sendMotd(s);
  });
}

const REGISTRATION_CLOSED: ReadonlySet<Cap> = new Set(['draft/account-registration']);
const NONE: ReadonlySet<Cap> = new Set();

/** Capabilities this server does not offer now: account registration when it is closed. */
function hiddenCaps(s: IrcSession): ReadonlySet<Cap> {
  return s.ctx.identity.registration === 'closed' ? REGISTRATION_CLOSED : NONE;
}

function cap(s: IrcSession, sub: string, arg: string | undefined): void | Promise<void> {
  switch (sub) {
    case 'LS': {
      const v = Number(arg ?? 0);
      if (!s.registered) s.capNegotiating = true;
      if (v >= 302) {
        s.capVersion = Math.max(s.capVersion, v);
        // cap-notify is implicitly on for 302 clients (IRCv3 capability-negotiation).
        s.setCap('cap-notify', true);
      }
      s.fromServer('CAP', s.nick, 'LS', capList(v, { sasl: mechanisms(s).join(',') }, hiddenCaps(s)));
      return;
    }
    case 'LIST':
      s.fromServer('CAP', s.nick, 'LIST', [...s.caps].join(' '));
      return;
    case 'REQ': {
      if (!s.registered) s.capNegotiating = true;
      const wanted = (arg ?? '').split(' ').filter((x) => x !== '');
      const changes: Array<[Cap, boolean]> = [];
      for (const w of wanted) {
        const off = w.startsWith('-');
        const name = off ? w.slice(1) : w;
        if (!isCap(name) || hiddenCaps(s).has(name) || (off && name === 'cap-notify' && s.capVersion >= 302)) {
          s.fromServer('CAP', s.nick, 'NAK', arg ?? '');
          return;
        }
        changes.push([name, !off]);
      }
      for (const [name, on] of changes) {
        s.setCap(name, on);
      }
      s.fromServer('CAP', s.nick, 'ACK', arg ?? '');
      return;
    }
    case 'END':
      if (!s.registered && s.capNegotiating) {
        s.capNegotiating = false;
        return tryRegister(s);
      }
      return;
    default:
      s.reply(ERR.INVALIDCAPCMD, sub, 'Invalid CAP command');
  }
}

function cleanUsername(raw: string): string {
  const u = raw.replace(/[^\w.-]/g, '').slice(0, USERLEN);
  return u === '' ? 'user' : u;
}

export const registration: CommandTable = {
  CAP: { min: 1, registered: false, handle: (s, m) => cap(s, m.params[0]!.toUpperCase(), m.params[1]) },
  PASS: {
    min: 1,
    registered: false,
    handle: (s, m) => {
      if (s.registered) s.reply(ERR.ALREADYREGISTERED, 'You may not reregister');
      else s.password = m.params[0];
    },
  },
  NICK: {
    min: 1,
    registered: false,
    onMissing: (s) => s.reply(ERR.NONICKNAMEGIVEN, 'No nickname given'),
    handle: (s, m) => {
      const nick = m.params[0]!;
      if (nick === '') {
        s.reply(ERR.NONICKNAMEGIVEN, 'No nickname given');
        return;
      }
      const { hub } = s.ctx;
      if (s.user) return hub.changeNick(s.user, nick);
      hub.checkNick(nick);
      s.pendingNick = nick;
      return tryRegister(s);
    },
  },
  USER: {
    min: 4,
    registered: false,
    handle: (s, m) => {
      if (s.registered || s.username !== undefined) {
        s.reply(ERR.ALREADYREGISTERED, 'You may not reregister');
        return;
      }
      // An empty realname is a missing parameter (modern.ircdocs.horse USER).
      if (m.params[3] === '') {
        s.reply(ERR.NEEDMOREPARAMS, 'USER', 'Not enough parameters');
        return;
      }
      s.username = cleanUsername(m.params[0]!);
      s.realname = (m.params[3] ?? '').slice(0, REALNAME_MAX);
      return tryRegister(s);
    },
  },
  PING: {
    min: 1,
    registered: false,
    onMissing: (s) => s.reply(ERR.NOORIGIN, 'No origin specified'),
    handle: (s, m) => s.fromServer('PONG', s.serverName, m.params[0]!),
  },
  PONG: { min: 0, registered: false, handle: (s) => s.pong() },
  QUIT: {
    min: 0,
    registered: false,
    handle: (s, m) => {
      const reason = m.params[0] ?? '';
      s.quit(reason ? `Quit: ${reason}` : 'Client Quit', reason ? `Quit: ${reason}` : 'Client Quit');
    },
  },
};
