import { logConnection, logText, tcpLogMessages } from '../connection-log.js';
import http from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { translator } from '../../i18n/index.js';
import type { DoorAddress, DoorContext, Listen, RunningDoor } from '../door.js';
import type { TcpListener } from '../../transports/tcp.js';
import { createHttpHandler, type HttpHandlerOptions } from './http.js';
import {
  attachIrcWebSocket,
  offeredSubprotocols,
  pickIrcSubprotocol,
  type AttachIrc,
  type IrcSubprotocol,
} from './irc-ws.js';
import { JsonSession, JsonSessions } from './json-session.js';
import { createMetrics } from './metrics.js';
import { COOKIE, createSignInApi } from './sign-in-api.js';
import { MemorySignInStore, SignIns } from '../../core/sign-ins.js';
import { readCookie } from '../../transports/cookies.js';
import { createHttpServer, listenHttp, refuseUpgrade as refuse, stopHttp } from '../../transports/http.js';
import { originAllowed } from '../../transports/origin.js';
import { Sweep } from '../../transports/connection.js';
import { checkUpgrade, WsConnection, type WsShared } from '../../transports/websocket.js';

/** Largest WebSocket message accepted (a bigger one closes the connection with 1009). */
export const MAX_PAYLOAD = 64 * 1024;
/**
 * Most request headers accepted (431 beyond). Node's own `maxHeadersCount` would silently drop the
 * rest and answer, so it is switched off and `rawHeaders` counted here.
 */
export const MAX_HEADERS = 100;
/** How long closing waits for clients to finish the closing handshake before cutting them off. */
const CLOSE_GRACE_MS = 2000;

export interface WebDoorOptions {
  /** Replaces the IRC session (tests of the WebSocket framing alone). */
  attachIrc?: AttachIrc;
  staticDir?: HttpHandlerOptions['staticDir'];
}

/**
 * Starts the HTTP listener (`--http`: the web client, `/ws`, IRC over WebSocket on any path,
 * `/healthz`, `/metrics`) and the `--irc-ws` listener; HTTPS/WSS when a certificate is configured.
 * Null when both are off.
 */
export async function startWebDoor(ctx: DoorContext, options: WebDoorOptions = {}): Promise<RunningDoor | null> {
  const { config } = ctx;
  if (!config.http && !config.ircWs) return null;
  const tls = ctx.tls;
  const tr = translator(config.lang);
  const sessions = new JsonSessions();
  const signIns = ctx.signIns ?? new SignIns(ctx.identity, new MemorySignInStore());
  const api = createSignInApi(ctx, signIns, {
    // Signed out in one tab: every page signed in with that cookie is a guest from now on.
    signedOut(token) {
      for (const s of sessions.byToken.values()) if (s.signIn === token) s.signOut();
    },
    othersSignedOut(account, token) {
      for (const s of sessions.byToken.values())
        if (s.signIn !== undefined && s.signIn !== token && s.user?.account === account) s.signOut();
    },
  });
  // No extension is ever negotiated (permessage-deflate would frame per recipient): each message is
  // framed once for all its readers (codec/ws-frame.ts).
  const shared: WsShared = {
    maxPayload: MAX_PAYLOAD,
    heartbeat: new Sweep<WsConnection>(config.limits.pingIntervalSecs * 1000),
  };
  // Weak: a closed connection leaves by itself, with nothing to undo per connection.
  const ircSockets = new WeakSet<WsConnection>();

  /** One upgrade request, on either listener. `ircOnly`: the `--irc-ws` listener. */
  const onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer, secure: boolean, ircOnly: boolean) => {
    const irc: IrcSubprotocol | undefined = pickIrcSubprotocol(
      offeredSubprotocols(req.headers['sec-websocket-protocol']),
    );
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (!irc && !ircOnly && path !== '/ws') {
      refuse(socket, 404, 'Not Found', tr('web.http.notFound'));
      return;
    }
    if (!originAllowed(req.headers.origin, req.headers.host, config.allowOrigins)) {
      ctx.logger.info(
        { origin: req.headers.origin },
        logText(config.lang, 'server.log.originRefused', { origin: String(req.headers.origin) }),
      );
      refuse(socket, 403, 'Forbidden', tr('web.http.originRefused'));
      return;
    }
    if (req.rawHeaders.length / 2 > MAX_HEADERS) {
      refuse(socket, 431, 'Request Header Fields Too Large', tr('web.http.tooManyHeaders'));
      return;
    }
    const refusal = checkUpgrade(req);
    if (refusal) {
      refuse(socket, refusal.status, refusal.reason, tr('web.http.badRequest'), refusal.headers);
      return;
    }
    // The connection was counted in the gate when it was accepted (transports/tcp.ts).
    const ip = (socket as Socket).remoteAddress ?? '?';
    logConnection(ctx.logger, config.lang, irc || ircOnly ? 'irc-ws' : 'web', socket as Socket);
    // A protocol error (a message over MAX_PAYLOAD: close 1009, bad UTF-8: 1007…) condemns the peer:
    // its close frame goes out and nothing more is read (see WsConnection).
    const ws = WsConnection.accept(req, socket, head, irc, shared);
    if (irc || ircOnly) {
      ircSockets.add(ws);
      attachIrcWebSocket(ctx, ws, ip, secure, irc, options.attachIrc);
    } else {
      // The sign-in cookie (if any) is read at the hello: the session is then that account's.
      new JsonSession(ctx, ws, ip, sessions, signIns, readCookie(req.headers.cookie, COOKIE));
    }
  };

  const servers: Array<{ name: string; server: http.Server }> = [];
  const listeners = new Map<http.Server, TcpListener>();
  const addresses: DoorAddress[] = [];
  const headersMs = config.limits.registrationTimeoutSecs * 1000;
  const listen = async (name: string, at: Listen, ircOnly: boolean) => {
    const server = createHttpServer(headersMs, {
      timeout: tr('web.http.timeout'),
      tooManyHeaders: tr('web.http.tooManyHeaders'),
      badRequest: tr('web.http.badRequest'),
    });
    servers.push({ name, server });
    if (ircOnly) {
      server.on('request', (_req: http.IncomingMessage, res: http.ServerResponse) => {
        res.writeHead(426, {
          'Content-Type': 'text/plain; charset=utf-8',
          Upgrade: 'websocket',
          Connection: 'Upgrade',
        });
        res.end(tr('web.http.upgradeRequired') + '\n');
      });
    } else {
      const handler = createHttpHandler(ctx, {
        metrics: createMetrics(ctx.stats, ctx.hub),
        staticDir: options.staticDir,
        api,
      });
      server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
        if (req.rawHeaders.length / 2 > MAX_HEADERS) {
          res.writeHead(431, { 'Content-Type': 'text/plain; charset=utf-8', Connection: 'close' });
          res.end(tr('web.http.tooManyHeaders') + '\n');
          return;
        }
        handler(req, res);
      });
    }
    server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) =>
      onUpgrade(req, socket, head, !!tls, ircOnly),
    );
    server.on('error', (err) =>
      ctx.logger.warn({ err, door: name }, logText(config.lang, 'server.log.listenerError', { door: name })),
    );
    const listener = await listenHttp(server, {
      host: at.host,
      port: at.port,
      ...(tls ? { tls } : {}),
      handshakeTimeoutMs: config.limits.handshakeTimeoutSecs * 1000,
      gate: ctx.gate,
      door: name,
      logger: ctx.logger,
      messages: tcpLogMessages(config.lang, name),
      onRefused: (socket) => refuse(socket, 503, 'Service Unavailable', tr('web.http.full')),
      onError: (err) =>
        ctx.logger.warn({ err, door: name }, logText(config.lang, 'server.log.listenerError', { door: name })),
    });
    listeners.set(server, listener);
    addresses.push({ name, host: listener.host, port: listener.port, tls: !!tls });
  };

  const stopListening = () => Promise.all(servers.map(({ server }) => stopHttp(server, listeners.get(server))));

  try {
    if (config.http) await listen('http', config.http, false);
    if (config.ircWs) await listen('irc-ws', config.ircWs, true);
  } catch (err) {
    await stopListening();
    throw err;
  }

  return {
    addresses,
    async close(reason: string) {
      const stopped = stopListening();
      for (const ws of [...shared.heartbeat]) if (ws.owner instanceof JsonSession) ws.owner.disconnect(reason);
      for (const ws of shared.heartbeat) if (ircSockets.has(ws)) ws.close(1001, reason);
      const grace = setTimeout(() => {
        for (const ws of shared.heartbeat) ws.terminate();
        for (const { server } of servers) server.closeAllConnections();
      }, CLOSE_GRACE_MS);
      // Not unref'd: a condemned socket (paused, nothing to write) keeps no loop alive, and closing must end.
      await stopped;
      clearTimeout(grace);
    },
  };
}
