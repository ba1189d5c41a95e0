import { MAX_CERTS, normaliseFingerprint } from '../../../core/cert-store.js';
import type { IrcSession } from '../session.js';
import { say } from './nickserv.js';

/**
 * NickServ `CERT ADD [FINGERPRINT]`, `CERT DEL FINGERPRINT`, `CERT LIST`: the TLS client certificates
 * that log in to one's account with SASL EXTERNAL (on `--ircs`). Without a fingerprint, ADD takes the
 * certificate of the connection it is sent on. Only for the account one is logged in to.
 */
export async function cert(s: IrcSession, args: string[]): Promise<void> {
  const certs = s.ctx.identity.certs;
  if (!certs) return say(s, 'services.cert.unavailable');
  const account = s.me.account;
  if (account === undefined) return say(s, 'accounts.ns.notIn');
  const sub = (args[0] ?? '').toUpperCase();
  if (sub === 'LIST') {
    const list = await certs.list(account);
    if (s.isClosed) return;
    if (list.length === 0) return say(s, 'services.cert.empty', { account });
    return say(s, 'services.cert.list', { account, list: list.join(' ') });
  }
  if (sub !== 'ADD' && sub !== 'DEL') return say(s, 'services.cert.usage');
  const given = args[1] ?? (sub === 'ADD' ? s.transport.certFingerprint : undefined);
  if (given === undefined) return say(s, sub === 'ADD' ? 'services.cert.none' : 'services.cert.usage');
  const fp = normaliseFingerprint(given);
  if (fp === undefined) return say(s, 'services.cert.bad', { fp: given.slice(0, 100) });
  if (sub === 'DEL') {
    const removed = await certs.remove(account, fp);
    if (s.isClosed) return;
    return say(s, removed ? 'services.cert.deleted' : 'services.cert.notThere', { fp, account });
  }
  const r = await certs.add(account, fp);
  if (s.isClosed) return;
  switch (r) {
    case 'ADDED':
      return say(s, 'services.cert.added', { fp, account });
    case 'EXISTS':
      return say(s, 'services.cert.exists', { fp, account });
    case 'TAKEN':
      return say(s, 'services.cert.taken', { fp });
    case 'FULL':
      return say(s, 'services.cert.full', { account, max: MAX_CERTS });
    case 'NO_ACCOUNT':
      return say(s, 'accounts.ns.noSuch', { nick: account });
  }
}
