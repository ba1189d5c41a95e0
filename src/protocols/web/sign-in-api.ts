import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { AccountInfo } from '../../core/identity.js';
import { nickProblem } from '../../core/names.js';
import type { SignIns } from '../../core/sign-ins.js';
import { parseLang, translator, type Params, type Translate } from '../../i18n/index.js';
import { readCookie, sessionCookie } from '../../transports/cookies.js';
import { originAllowed } from '../../transports/origin.js';
import type { DoorContext } from '../door.js';

/** The sign-in cookie's name. */
export const COOKIE = 'tomada_session';
/** Largest request body of the sign-in API (a name, two passwords and a language fit many times). */
export const MAX_BODY = 4096;

const password = z.string().max(1024);
const bodies = {
  login: z.object({ name: z.string().max(64), password, lang: z.string().max(16).optional() }),
  register: z.object({ name: z.string().max(64), password, lang: z.string().max(16).optional() }),
  password: z.object({ current: password, password, lang: z.string().max(16).optional() }),
  logout: z.object({ lang: z.string().max(16).optional() }),
} as const;
type Action = keyof typeof bodies;

/** An answer of the API: a status, and the JSON body (`error` is a stable code, `text` says it). */
interface Answer {
  status: number;
  body: Record<string, unknown>;
  cookie?: string;
  headers?: Record<string, string>;
}

const secs = (ms: number) => Math.ceil(ms / 1000);

export interface SignInApiOptions {
  /** The sign-in of `token` was ended: the open sessions signed in with it sign out too. */
  signedOut(token: string): void;
  /** Every sign-in of `account` but `token` was ended (a new password): their open sessions too. */
  othersSignedOut(account: string, token: string): void;
}

/**
 * The web door's account API, JSON over HTTP on the same origin as the page (`/api/…`):
 *
 * - `GET /api/me`: `{account: {name} | null}`.
 * - `POST /api/register` `{name, password}`: a new account, signed in (the cookie is set).
 * - `POST /api/login` `{name, password}`: signed in; one answer (`BAD_CREDENTIALS`) for an unknown account
 *   and a wrong password, throttled as every door's logins are (429 with `Retry-After`).
 * - `POST /api/logout`: the sign-in is revoked on the server and the cookie cleared.
 * - `POST /api/password` `{current, password}`: needs the current one; signs out the other browsers.
 *
 * POSTs must be `application/json` (a cross-site form cannot send it), from an allowed Origin (the
 * WebSocket upgrade's check), at most {@link MAX_BODY} bytes. The cookie is `HttpOnly`, `SameSite=Strict`,
 * `Path=/`, and `Secure` when the door speaks TLS.
 */
export function createSignInApi(ctx: DoorContext, signIns: SignIns, options: SignInApiOptions) {
  const { identity, config } = ctx;
  const secure = ctx.tls !== undefined;
  const maxAge = Math.floor(signIns.ttlMs / 1000);
  const setCookie = (token: string) => sessionCookie(COOKIE, token, { maxAge, secure });
  const clearCookie = sessionCookie(COOKIE, '', { maxAge: 0, secure });

  const fail = (tr: Translate, status: number, code: string, params: Params = {}, more: Partial<Answer> = {}) => ({
    status,
    body: { error: code, text: tr(`web.signIn.error.${code}`, params) },
    ...more,
  });
  const signedIn = (account: AccountInfo, token?: string): Answer => ({
    status: 200,
    body: { account: { name: account.name } },
    ...(token ? { cookie: setCookie(token) } : {}),
  });

  async function act(action: Action, body: unknown, token: string | undefined, ip: string, tr: Translate) {
    switch (action) {
      case 'login': {
        const b = bodies.login.parse(body);
        const r = await identity.login(b.name.trim(), b.password, ip);
        if (!r.ok && r.reason === 'THROTTLED') return throttled(tr, r.retryAfterMs);
        if (!r.ok) return fail(tr, 401, 'BAD_CREDENTIALS');
        await signIns.end(token);
        return signedIn(r.account, await signIns.start(r.account));
      }
      case 'register': {
        const b = bodies.register.parse(body);
        const name = b.name.trim();
        const problem = nickProblem(name);
        if (problem) return fail(tr, 400, 'BAD_NAME', { name, problem: tr(`web.signIn.name.${problem}`) });
        const r = await identity.register(name, b.password, ip);
        if (!r.ok) {
          if (r.reason === 'THROTTLED') return throttled(tr, r.retryAfterMs);
          if (r.reason === 'BAD_PASSWORD')
            return fail(tr, 400, 'BAD_PASSWORD', { why: tr(`accounts.password.${r.problem}`) });
          return fail(tr, r.reason === 'EXISTS' ? 409 : 403, r.reason, { name });
        }
        await signIns.end(token);
        return signedIn(r.account, await signIns.start(r.account));
      }
      case 'logout': {
        bodies.logout.parse(body);
        if (token !== undefined && (await signIns.end(token))) options.signedOut(token);
        return { status: 200, body: { account: null }, cookie: clearCookie };
      }
      case 'password': {
        const b = bodies.password.parse(body);
        const account = await signIns.account(token);
        if (!account || token === undefined) return fail(tr, 401, 'NOT_SIGNED_IN');
        const r = await identity.login(account.name, b.current, ip);
        if (!r.ok && r.reason === 'THROTTLED') return throttled(tr, r.retryAfterMs);
        if (!r.ok) return fail(tr, 401, 'BAD_CURRENT');
        const problem = await identity.changePassword(account.name, b.password);
        if (problem === 'NO_ACCOUNT') return fail(tr, 401, 'NOT_SIGNED_IN');
        if (problem) return fail(tr, 400, 'BAD_PASSWORD', { why: tr(`accounts.password.${problem}`) });
        await signIns.endOthers(account.name, token);
        options.othersSignedOut(account.name, token);
        return signedIn(account);
      }
    }
  }

  const throttled = (tr: Translate, ms: number): Answer =>
    fail(tr, 429, 'THROTTLED', { secs: secs(ms) }, { headers: { 'Retry-After': String(secs(ms)) } });

  /** Handles `/api/…`; the caller sends everything else elsewhere. */
  return async (req: IncomingMessage, res: ServerResponse, path: string, headers: Record<string, string>) => {
    const cookie = readCookie(req.headers.cookie, COOKIE);
    const ip = req.socket.remoteAddress ?? 'unknown';
    const reply = (a: Answer) => {
      const body = JSON.stringify(a.body) + '\n';
      res.writeHead(a.status, {
        ...headers,
        ...a.headers,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
        'Cache-Control': 'no-store',
        ...(a.cookie ? { 'Set-Cookie': a.cookie } : {}),
      });
      res.end(body);
    };
    let tr = translator(config.lang);
    const action = path.slice('/api/'.length);
    if (action === 'me') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return reply(notAllowed(tr, 'GET', res));
      const account = await signIns.account(cookie);
      return reply({ status: 200, body: { account: account ? { name: account.name } : null } });
    }
    if (!(action in bodies)) return reply(fail(tr, 404, 'NOT_FOUND'));
    if (req.method !== 'POST') return reply(notAllowed(tr, 'POST', res));
    if (!originAllowed(req.headers.origin, req.headers.host, config.allowOrigins))
      return reply(fail(tr, 403, 'ORIGIN'));
    if (!/^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? '')) return reply(fail(tr, 415, 'NOT_JSON'));
    const text = await readBody(req);
    if (text === undefined) {
      res.setHeader('Connection', 'close');
      return reply(fail(tr, 413, 'TOO_LARGE', { max: MAX_BODY }));
    }
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return reply(fail(tr, 400, 'BAD_REQUEST'));
    }
    const lang = parseLang((body as { lang?: unknown } | null)?.lang as string | undefined);
    if (lang) tr = translator(lang);
    const parsed = bodies[action as Action].safeParse(body);
    if (!parsed.success) return reply(fail(tr, 400, 'BAD_REQUEST'));
    reply(await act(action as Action, parsed.data, cookie, ip, tr));
  };

  function notAllowed(tr: Translate, allow: string, res: ServerResponse): Answer {
    res.setHeader('Allow', allow);
    return fail(tr, 405, 'METHOD');
  }
}

/** The request's body as text, or undefined when it is over {@link MAX_BODY} bytes (reading stops there). */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > MAX_BODY) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        req.pause();
        resolve(undefined);
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
