import { ERR, RPL } from '../../../codec/irc/numerics.js';
import { casefold, maskMatches } from '../../../core/names.js';
import type { Room } from '../../../core/room.js';
import type { User } from '../../../core/user.js';
import type { IrcSession } from '../session.js';
import { hostFromAddress as host } from '../serialize-events.js';
import { memberPrefix } from './channels.js';
import { sendIsupport, sendLusers, sendMotd, VERSION } from './registration.js';
import { META, WHOIS_KEYS } from './metadata.js';
import { list, type CommandTable } from './types.js';

function serverParamOk(s: IrcSession, server: string | undefined): boolean {
  if (server === undefined || casefold(server) === casefold(s.serverName) || maskMatches(server, s.serverName)) {
    return true;
  }
  s.reply(ERR.NOSUCHSERVER, server, 'No such server');
  return false;
}

function whoFlags(s: IrcSession, u: User, room: Room | undefined): string {
  return (
    (u.away !== undefined ? 'G' : 'H') +
    (u.oper ? '*' : '') +
    (room ? memberPrefix(s, room, u) : '') +
    (u.bot ? 'B' : '')
  );
}

/**
 * A channel `u` and `me` are both in: WHO's channel field and membership prefix for a nick or mask
 * query (modern.ircdocs.horse RPL_WHOREPLY), so no channel the asker cannot see is named.
 */
/** WHO, with the WHOX form (`WHO mask %fields[,token]`) that irssi and WeeChat use. */
function who(s: IrcSession, mask: string, options: string | undefined): void {
  const { hub } = s.ctx;
  const me = s.me;
  let results: Array<[User, Room | undefined]> = [];
  const room = mask.startsWith('#') ? hub.findRoom(mask) : undefined;
  if (room) {
    if (room.visibleTo(me)) {
      results = [...room.members.keys()].map((u) => [u, room] as [User, Room]);
    }
  } else if (!mask.startsWith('#')) {
    const exact = hub.findUser(mask);
    if (exact) results = [[exact, exact.sharedRoom(me)]];
    else {
      const all = mask === '0' || mask === '*';
      for (const u of hub.networkUsers()) {
        const shared = u.sharedRoom(me);
        if (u.invisible && u !== me && !shared) continue;
        if (all || maskMatches(mask, u.mask) || maskMatches(mask, u.nick)) results.push([u, shared]);
      }
    }
  }
  const whox = options?.startsWith('%') ? options.slice(1) : undefined;
  for (const [u, r] of results) {
    const channel = r?.name ?? '*';
    if (whox === undefined) {
      s.reply(
        RPL.WHOREPLY,
        channel,
        u.username,
        host(u.host),
        s.serverName,
        u.nick,
        whoFlags(s, u, r),
        `0 ${u.realname}`,
      );
      continue;
    }
    const [fields = '', token = '0'] = whox.split(',');
    const out: string[] = [];
    const order: Record<string, () => string> = {
      t: () => token,
      c: () => channel,
      u: () => u.username,
      i: () => '255.255.255.255',
      h: () => host(u.host),
      s: () => s.serverName,
      n: () => u.nick,
      f: () => whoFlags(s, u, r),
      d: () => '0',
      l: () => String(Math.floor((Date.now() - u.lastActive) / 1000)),
      a: () => u.account ?? '0',
      o: () => 'n/a',
      r: () => u.realname,
    };
    for (const f of 'tcuihsnfdlaor') if (fields.includes(f)) out.push(order[f]!());
    s.reply('354', ...out);
  }
  s.reply(RPL.ENDOFWHO, mask, 'End of WHO list');
}

function whois(s: IrcSession, nick: string): void {
  const u = s.ctx.hub.findUser(nick);
  if (!u) {
    s.reply(ERR.NOSUCHNICK, nick, 'No such nick/channel');
    s.reply(RPL.ENDOFWHOIS, nick, 'End of /WHOIS list');
    return;
  }
  const me = s.me;
  s.reply(RPL.WHOISUSER, u.nick, u.username, host(u.host), '*', u.realname);
  const rooms = [...u.rooms].filter((r) => r.visibleTo(me)).map((r) => memberPrefix(s, r, u) + r.name);
  if (rooms.length > 0) s.reply(RPL.WHOISCHANNELS, u.nick, rooms.join(' '));
  s.reply(RPL.WHOISSERVER, u.nick, s.serverName, `tomada (${u.door} door)`);
  if (u.oper) s.reply(RPL.WHOISOPERATOR, u.nick, 'is an IRC operator');
  if (u.bot) s.reply(RPL.WHOISBOT, u.nick, `is a bot on ${s.ctx.config.network}`);
  if (u.account !== undefined) s.reply(RPL.WHOISACCOUNT, u.nick, u.account, 'is logged in as');
  // 276: the TLS client certificate's fingerprint (for NickServ CERT ADD), to its owner and to operators.
  const fp = (u.sink as { transport?: { certFingerprint?: string } }).transport?.certFingerprint;
  if (fp && (u === me || me.oper)) s.reply(RPL.WHOISCERTFP, u.nick, `has client certificate fingerprint ${fp}`);
  if (u.away !== undefined) s.reply(RPL.AWAY, u.nick, u.away);
  // draft/metadata-2 RPL_WHOISKEYVALUE: the keys a person reads at a glance, for clients that know them.
  if (u.metadata && s.caps.has('draft/metadata-2')) {
    for (const key of WHOIS_KEYS) {
      const value = u.metadata.get(key);
      if (value !== undefined) s.reply(META.WHOISKEYVALUE, u.nick, key, '*', value);
    }
  }
  const idle = Math.max(0, Math.floor((Date.now() - u.lastActive) / 1000));
  s.reply(RPL.WHOISIDLE, u.nick, String(idle), String(Math.floor(u.connectedAt / 1000)), 'seconds idle, signon time');
  s.reply(RPL.ENDOFWHOIS, u.nick, 'End of /WHOIS list');
}

function whowas(s: IrcSession, nick: string, count: string | undefined): void {
  const n = Number(count);
  const entries = s.ctx.hub.whowas(nick, Number.isInteger(n) && n > 0 ? n : 10);
  if (entries.length === 0) s.reply(ERR.WASNOSUCHNICK, nick, 'There was no such nickname');
  for (const w of entries) {
    s.reply(RPL.WHOWASUSER, w.nick, w.username, host(w.host), '*', w.realname);
    s.reply(RPL.WHOISSERVER, w.nick, s.serverName, new Date(w.at).toUTCString());
  }
  s.reply(RPL.ENDOFWHOWAS, nick, 'End of WHOWAS');
}

export const queries: CommandTable = {
  WHO: { min: 1, registered: true, handle: (s, m) => who(s, m.params[0]!, m.params[1]) },
  WHOIS: {
    min: 1,
    registered: true,
    onMissing: (s) => s.reply(ERR.NONICKNAMEGIVEN, 'No nickname given'),
    // `WHOIS server nick` and `WHOIS nick nick` (irssi's /wii) both ask about the last parameter.
    handle: (s, m) => {
      for (const nick of list(m.params.at(-1)).slice(0, 1)) whois(s, nick);
    },
  },
  WHOWAS: {
    min: 1,
    registered: true,
    onMissing: (s) => s.reply(ERR.NONICKNAMEGIVEN, 'No nickname given'),
    handle: (s, m) => whowas(s, m.params[0]!, m.params[1]),
  },
  ISON: {
    min: 1,
    registered: true,
    handle: (s, m) => {
      const on = m.params.flatMap((p) => p.split(' ')).flatMap((n) => s.ctx.hub.findUser(n)?.nick ?? []);
      s.reply(RPL.ISON, on.join(' '));
    },
  },
  USERHOST: {
    min: 1,
    registered: true,
    handle: (s, m) => {
      const out = m.params.slice(0, 5).flatMap((n) => {
        const u = s.ctx.hub.findUser(n);
        return u
          ? [`${u.nick}${u.oper ? '*' : ''}=${u.away !== undefined ? '-' : '+'}${u.username}@${host(u.host)}`]
          : [];
      });
      s.reply(RPL.USERHOST, out.join(' '));
    },
  },
  VERSION: {
    min: 0,
    registered: true,
    handle: (s, m) => {
      if (!serverParamOk(s, m.params[0])) return;
      s.reply(RPL.VERSION, VERSION, s.serverName, 'tomada chat server (line, IRC and web doors)');
      sendIsupport(s);
    },
  },
  TIME: {
    min: 0,
    registered: true,
    handle: (s, m) => {
      if (!serverParamOk(s, m.params[0])) return;
      s.reply(RPL.TIME, s.serverName, new Date().toUTCString());
    },
  },
  INFO: {
    min: 0,
    registered: true,
    handle: (s) => {
      for (const line of [
        `${VERSION}: the socket tutorials' chat server, made real.`,
        'Doors: the tutorial line protocol, IRC (RFC 1459/2812 + IRCv3), WebSocket.',
        `Up since ${new Date(s.ctx.hub.startedAt).toUTCString()}.`,
      ]) {
        s.reply(RPL.INFO, line);
      }
      s.reply(RPL.ENDOFINFO, 'End of INFO list');
    },
  },
  MOTD: {
    min: 0,
    registered: true,
    handle: (s, m) => {
      if (serverParamOk(s, m.params[0])) sendMotd(s);
    },
  },
  LUSERS: { min: 0, registered: true, handle: (s) => sendLusers(s) },
  // This server, then the other nodes of the network (`--cluster`), one hop away: they share a bus, so
  // each is linked to every other (modern.ircdocs.horse LINKS).
  LINKS: {
    min: 0,
    registered: true,
    handle: (s) => {
      const network = s.ctx.config.network;
      for (const n of s.ctx.hub.networkNodes()) {
        if (n.self) s.reply(RPL.LINKS, s.serverName, s.serverName, `0 tomada chat server (${network})`);
        else s.reply(RPL.LINKS, n.name, s.serverName, `1 tomada node ${n.name} (${network})`);
      }
      s.reply(RPL.ENDOFLINKS, '*', 'End of /LINKS list');
    },
  },
  ADMIN: {
    min: 0,
    registered: true,
    handle: (s, m) => {
      if (!serverParamOk(s, m.params[0])) return;
      s.reply(RPL.ADMINME, s.serverName, 'Administrative info');
      s.reply(RPL.ADMINLOC1, `${s.ctx.config.network} network`);
      s.reply(RPL.ADMINLOC2, 'tomada chat server');
      s.reply(RPL.ADMINEMAIL, `admin@${s.serverName}`);
    },
  },
};
