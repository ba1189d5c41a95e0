/**
 * Opening a bench client's connection: plain TCP (the line and IRC doors) or a WebSocket written by hand
 * over TCP (the web door, RFC 6455). Reads land in one buffer shared by the group (each read is scanned
 * before the next one), so a read costs no allocation and no stream bookkeeping: the generator must
 * outrun the server. Also the polite close with a deadline.
 */
import net from 'node:net';
import type { Client } from './client.js';
import { nowUs } from './clock.js';
import type { ChatProtocol } from './protocols.js';
import { WsLink } from './ws-link.js';
import { handshakeRequest, newKey } from './ws-wire.js';

/** The web door's JSON protocol endpoint. */
const WS_PATH = '/ws';

export interface ConnectionEvents {
  error: (e: Error) => void;
  close: () => void;
}

/**
 * The port client `index` connects to: `port`, or with a second node (`alsoPort`) the clients that do
 * not send alternate between the two (the senders all stay on `port`).
 */
export function portOf(opts: { port: number; alsoPort?: number; senders: number }, index: number): number {
  if (opts.alsoPort === undefined || index < opts.senders) return opts.port;
  return (index - opts.senders) % 2 === 1 ? opts.alsoPort : opts.port;
}

/** What a connection needs of its group. */
export interface ReadContext {
  readonly opts: { host: string; port: number; alsoPort?: number; senders: number };
  readonly proto: ChatProtocol;
  readonly readBuffer: Buffer;
  /** Time of the read being scanned (one clock read per read, not per message). */
  readUs: number;
}

/** A TCP client: lines in a byte stream, cut and checked by the payload scanner. */
export function openTcp(g: ReadContext, client: Client, events: ConnectionEvents): void {
  const { proto } = g;
  const { nick, scanner } = client;
  const socket = net.connect({
    host: g.opts.host,
    port: portOf(g.opts, client.index),
    noDelay: true,
    onread: { buffer: g.readBuffer, callback: (n: number, buf: Uint8Array) => (onRead(buf as Buffer, n), true) },
  });
  client.socket = socket;
  const onOther = (buf: Buffer, start: number, end: number) => {
    if (client.registered && !proto.wantsAfterRegistration(buf, start, end)) return;
    proto.line(buf.toString('latin1', start, end), nick, client, client.registered);
  };
  socket.on('connect', () => proto.connected(nick, client));
  const onRead = (chunk: Buffer, n: number) => {
    g.readUs = nowUs();
    if (!client.greeted && proto.rawBeforeLines) {
      client.raw += chunk.toString('latin1', 0, n);
      if (!proto.rawBeforeLines(client.raw, nick, client)) return;
      client.greeted = true;
      const rest = client.raw.slice(client.raw.indexOf('APELIDO') + 'APELIDO'.length);
      client.raw = '';
      if (rest.length > 0) scanner.push(Buffer.from(rest, 'latin1'), client, onOther);
      return;
    }
    scanner.push(chunk, client, onOther, n);
  };
  socket.on('error', events.error);
  socket.on('close', events.close);
}

/**
 * A WebSocket client of the web door's JSON protocol: frames are decoded in place, so a message costs a
 * header check and the payload check (the `ws` package costs several times that).
 */
export function openWs(g: ReadContext, client: Client, events: ConnectionEvents): void {
  const { proto } = g;
  const { nick } = client;
  const { host } = g.opts;
  const port = portOf(g.opts, client.index);
  const link = new WsLink(client, newKey());
  client.ws = link;
  const socket = net.connect({
    host,
    port,
    noDelay: true,
    onread: { buffer: g.readBuffer, callback: (n: number, buf: Uint8Array) => (onRead(buf as Buffer, n), true) },
  });
  client.socket = socket;
  socket.on('connect', () => socket.write(handshakeRequest(host, port, WS_PATH, link.key)));
  const onRead = (buf: Buffer, n: number) => {
    g.readUs = nowUs();
    let p = 0;
    if (link.handshake) {
      const step = link.handshake.push(buf, 0, n);
      if (step.kind === 'more') return;
      if (step.kind === 'fail') {
        client.fail(step.reason);
        return;
      }
      // The server's first frames may share the read with the end of the handshake.
      link.handshake = null;
      link.open = true;
      proto.connected(nick, client);
      p = step.rest;
    }
    if (p >= n) return;
    const err = link.decoder.push(buf, p, n, link);
    if (err !== null) link.protocolError(err);
  };
  socket.on('error', events.error);
  socket.on('close', events.close);
}

/** Closes politely, and cuts the connection if it has not closed within a second. */
export function closeWithin(
  conn: { once(event: 'close', fn: () => void): unknown },
  close: () => void,
  kill: () => void,
): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      kill();
      resolve();
    }, 1000);
    conn.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
    close();
  });
}
