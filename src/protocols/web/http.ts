import { logText } from '../connection-log.js';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import type { Registry } from 'prom-client';
import { translator } from '../../i18n/index.js';
import type { DoorContext } from '../door.js';

/**
 * A Content-Security-Policy with no inline script or style: the page runs only `app.js` from this
 * origin, talks only to this origin (`'self'` covers ws:/wss: of the same host), and cannot be framed;
 * images come from here, or from https addresses (people's avatars).
 */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  // Avatars (metadata): https images from anywhere, fetched without a referrer (the page and each <img> say so).
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
};

/** The files of the web client, by URL path: a fixed list, so no path ever reaches the file system. */
const FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
};

/**
 * Where `scripts/build-web.mjs` put the bundle: `src/web/dist/` next to this module's `src/`, or
 * `dist/web/dist/` next to the compiled module (the build writes both when `dist/` exists).
 */
export function webClientDir(): string {
  const candidates = [new URL('../../web/dist/', import.meta.url), new URL('../../../src/web/dist/', import.meta.url)];
  for (const c of candidates) {
    const p = fileURLToPath(c);
    if (existsSync(p + 'index.html')) return p;
  }
  return fileURLToPath(candidates[0]!);
}

/** Handles one request under `/api/` (the sign-in API), with the security headers to send. */
export type ApiHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  headers: Readonly<Record<string, string>>,
) => Promise<void>;

export interface HttpHandlerOptions {
  metrics: Registry;
  staticDir?: string;
  /** `/api/…` (sign-in.ts): the only requests that are not GET or HEAD. */
  api?: ApiHandler;
}

/** The HTTP side of the web door: the client's files, `/healthz`, `/metrics`, `/api/`, security headers on all. */
export function createHttpHandler(ctx: DoorContext, options: HttpHandlerOptions) {
  const dir = options.staticDir ?? webClientDir();
  const tr = translator(ctx.config.lang);

  const send = (res: ServerResponse, status: number, type: string, body: string | Buffer, head = false) => {
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'Content-Type': type,
      'Content-Length': Buffer.byteLength(body),
      'Cache-Control': 'no-cache',
    });
    res.end(head ? undefined : body);
  };
  const text = (res: ServerResponse, status: number, body: string, head = false) =>
    send(res, status, 'text/plain; charset=utf-8', body + '\n', head);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const head = req.method === 'HEAD';
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (options.api && path.startsWith('/api/')) return options.api(req, res, path, SECURITY_HEADERS);
    if (req.method !== 'GET' && !head) {
      res.setHeader('Allow', 'GET, HEAD');
      text(res, 405, 'Method not allowed');
      return;
    }
    if (path === '/healthz') {
      const { hub } = ctx;
      const body = JSON.stringify({
        status: 'ok',
        users: hub.userCount,
        rooms: hub.roomCount,
        uptime: Math.round((Date.now() - hub.startedAt) / 1000),
      });
      send(res, 200, 'application/json', body + '\n', head);
      return;
    }
    if (path === '/metrics') {
      const body = await options.metrics.metrics();
      send(res, 200, options.metrics.contentType, body, head);
      return;
    }
    const entry = FILES[path];
    if (!entry) {
      text(res, 404, tr('web.http.notFound'), head);
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(dir + entry.file);
    } catch {
      text(res, 503, tr('web.http.notBuilt'), head);
      return;
    }
    send(res, 200, entry.type, body, head);
  };

  return (req: IncomingMessage, res: ServerResponse): void => {
    handle(req, res).catch((err: unknown) => {
      ctx.logger.error({ err }, logText(ctx.config.lang, 'server.log.httpError'));
      if (!res.headersSent) text(res, 500, 'Internal error');
      else res.destroy();
    });
  };
}
