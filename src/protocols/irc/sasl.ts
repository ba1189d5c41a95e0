import { ERR, RPL } from '../../codec/irc/numerics.js';
import type { AccountInfo } from '../../core/identity.js';
import { PASSWORD_MAX_BYTES } from '../../core/passwords.js';
import { parseClientFirst, ScramError, ScramServer } from '../scram.js';
import type { IrcSession } from './session.js';
import type { CommandTable } from './handlers/types.js';

/**
 * SASL over IRC (https://ircv3.net/specs/extensions/sasl-3.1, sasl-3.2): `AUTHENTICATE` with PLAIN
 * (RFC 4616), SCRAM-SHA-256 (RFC 7677) and EXTERNAL (RFC 4422 appendix A: the TLS client certificate's
 * fingerprint, on `--ircs`), before registration (the account is applied when the client registers) or
 * after it (sasl-3.2: the others see `ACCOUNT` with account-notify).
 */

export const MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'EXTERNAL'] as const;
type Mechanism = (typeof MECHANISMS)[number];

/**
 * The mechanisms of this connection: EXTERNAL only where it can work, on the TLS listener (which asks
 * for a client certificate) of a server whose accounts can hold certificates.
 */
export function mechanisms(s: IrcSession): Mechanism[] {
  const external = s.transport.kind === 'tls' && s.ctx.identity.certs !== undefined;
  return MECHANISMS.filter((m) => m !== 'EXTERNAL' || external);
}

/** One AUTHENTICATE line carries at most 400 bytes of base64; a line of exactly 400 means more follows. */
export const CHUNK = 400;
/** The most base64 one exchange step may gather (a SCRAM message is some 200 bytes). */
export const MAX_PAYLOAD = 4 * CHUNK;

export interface SaslExchange {
  mechanism: Mechanism;
  /** base64 gathered from 400-byte chunks. */
  buffer: string;
  scram?: ScramServer;
  /** SCRAM: the name asked for, and its account (undefined: no such account, it fails at the proof). */
  scramName?: string;
  scramAccount?: AccountInfo | undefined;
  /** SCRAM: the proof was right; the client still has to acknowledge the server's signature. */
  verified?: AccountInfo;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Strict base64 that is UTF-8 text, or undefined. */
function decodeText(b64: string): string | undefined {
  if (!BASE64.test(b64)) return undefined;
  try {
    return utf8.decode(Buffer.from(b64, 'base64'));
  } catch {
    return undefined;
  }
}

/** `AUTHENTICATE data`, without a source, as servers send it (sasl-3.1). */
function authenticateLine(s: IrcSession, data: string): void {
  s.send({ tags: {}, command: 'AUTHENTICATE', params: [data] });
}

function fail(s: IrcSession, text = 'SASL authentication failed'): void {
  s.sasl = undefined;
  s.reply(ERR.SASLFAIL, text);
}

/** Ends an exchange the client left unfinished (sasl-3.1: registering meanwhile aborts it). */
export function abortSasl(s: IrcSession): void {
  if (!s.sasl) return;
  s.sasl = undefined;
  s.reply(ERR.SASLABORTED, 'SASL authentication aborted');
}

/** 900, and the account on the user (the others are told) once registered, or kept for registration. */
export function loggedIn(s: IrcSession, account: AccountInfo): void {
  if (s.user) {
    s.ctx.hub.setAccount(s.user, account);
    s.saslAccount = undefined;
  } else s.saslAccount = account;
  const mask = s.user?.mask ?? `${s.nick}!${s.username ?? '*'}@${s.host}`;
  s.reply(RPL.LOGGEDIN, mask, account.name, `You are now logged in as ${account.name}`);
}

function succeed(s: IrcSession, account: AccountInfo): void {
  s.sasl = undefined;
  loggedIn(s, account);
  s.reply(RPL.SASLSUCCESS, 'SASL authentication successful');
}

function throttled(s: IrcSession): void {
  s.sasl = undefined;
  s.reply(ERR.NICKLOCKED, 'Too many failed logins; try again later');
}

async function plain(s: IrcSession, payload: string): Promise<void> {
  const text = decodeText(payload);
  const parts = text?.split('\0');
  if (!parts || parts.length !== 3) return fail(s);
  const [authzid, authcid, password] = parts as [string, string, string];
  if (authcid === '' || (authzid !== '' && authzid !== authcid) || Buffer.byteLength(password) > PASSWORD_MAX_BYTES)
    return fail(s);
  const r = await s.ctx.identity.login(authcid, password, s.host);
  if (s.isClosed) return;
  if (r.ok) return succeed(s, r.account);
  if (r.reason === 'THROTTLED') return throttled(s);
  fail(s);
}

/**
 * EXTERNAL: the client sends its authorisation identity (empty: `+`), the certificate says who it is.
 * A connection without a certificate, or one no account added, fails like a wrong password.
 */
async function external(s: IrcSession, payload: string): Promise<void> {
  const authzid = payload === '' ? '' : decodeText(payload);
  const fp = s.transport.certFingerprint;
  if (authzid === undefined || fp === undefined) return fail(s);
  const account = await s.ctx.identity.loginByCert(fp, authzid);
  if (s.isClosed) return;
  if (account) return succeed(s, account);
  fail(s);
}

async function scramStep(s: IrcSession, x: SaslExchange, payload: string): Promise<void> {
  const { identity } = s.ctx;
  if (x.verified) {
    // The client answers the server's signature with an empty message (RFC 5802 §5).
    if (payload !== '') return fail(s);
    return succeed(s, x.verified);
  }
  const text = decodeText(payload);
  if (text === undefined) return fail(s);
  try {
    if (!x.scram) {
      const first = parseClientFirst(text);
      if (identity.throttled(first.username, s.host) > 0) return throttled(s);
      const { keys, account } = await identity.scramKeys(first.username);
      if (s.isClosed || s.sasl !== x) return;
      x.scram = new ScramServer(first, keys);
      x.scramName = first.username;
      x.scramAccount = account;
      for (const c of chunks(Buffer.from(x.scram.serverFirst).toString('base64'))) authenticateLine(s, c);
      return;
    }
    let final: string;
    try {
      final = x.scram.final(text);
    } catch (err) {
      if (err instanceof ScramError && err.reason === 'proof') identity.settle(x.scramName!, s.host, false);
      throw err;
    }
    if (!x.scramAccount) {
      // A name without an account cannot get here (its keys prove nothing), but never log it in.
      identity.settle(x.scramName!, s.host, false);
      return fail(s);
    }
    identity.settle(x.scramName!, s.host, true);
    x.verified = await identity.prepare(x.scramAccount);
    if (s.isClosed || s.sasl !== x) return;
    for (const c of chunks(Buffer.from(final).toString('base64'))) authenticateLine(s, c);
  } catch (err) {
    if (err instanceof ScramError) return fail(s);
    throw err;
  }
}

/** A message as AUTHENTICATE parameters: 400-byte pieces, and `+` after an exact multiple (or for nothing). */
export function chunks(b64: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < b64.length; i += CHUNK) out.push(b64.slice(i, i + CHUNK));
  if (b64.length % CHUNK === 0) out.push('+');
  return out;
}

function start(s: IrcSession, mechanism: string): void {
  const offered = mechanisms(s);
  const mech = offered.find((m) => m === mechanism.toUpperCase());
  if (!mech) {
    s.reply(RPL.SASLMECHS, offered.join(','), 'are available SASL mechanisms');
    s.reply(ERR.SASLFAIL, 'SASL authentication failed');
    return;
  }
  s.sasl = { mechanism: mech, buffer: '' };
  authenticateLine(s, '+');
}

function authenticate(s: IrcSession, param: string): void | Promise<void> {
  if (param === '*') {
    if (s.sasl) abortSasl(s);
    else s.reply(ERR.SASLABORTED, 'SASL authentication aborted');
    return;
  }
  if (s.user?.account !== undefined || s.saslAccount) {
    s.reply(ERR.SASLALREADY, 'You have already authenticated using SASL');
    return;
  }
  const x = s.sasl;
  if (!x) return start(s, param);
  if (param.length > CHUNK || x.buffer.length + param.length > MAX_PAYLOAD) {
    s.sasl = undefined;
    s.reply(ERR.SASLTOOLONG, 'SASL message too long');
    return;
  }
  if (param !== '+') x.buffer += param;
  if (param.length === CHUNK) return; // more follows
  const payload = x.buffer;
  x.buffer = '';
  const step =
    x.mechanism === 'PLAIN'
      ? plain(s, payload)
      : x.mechanism === 'EXTERNAL'
        ? external(s, payload)
        : scramStep(s, x, payload);
  return step.catch((err: unknown) => {
    if (s.sasl === x) s.sasl = undefined;
    throw err;
  });
}

export const saslCommands: CommandTable = {
  AUTHENTICATE: {
    min: 1,
    registered: false,
    handle: (s, m) => {
      if (!s.caps.has('sasl')) {
        s.reply(ERR.SASLFAIL, 'SASL authentication failed: request the sasl capability first');
        return;
      }
      return authenticate(s, m.params[0]!);
    },
  },
};
