/**
 * The floor: a bare Node broadcast loop speaking the tutorial's line protocol (`APELIDO`, nick,
 * `Conectado ao servidor!`, then `<nick>: <text>` to every other client). No rooms, history, flood
 * control or logging — only what any Node chat server must do, done the cheap way: each message is
 * serialised once and shared, each socket gets one write per event-loop turn (the batching BENCH-NOTES
 * measured), Nagle off. Bytes are split with `indexOf` and never decoded: this is the cost floor, not a
 * product (src/codec/line.ts is the splitter of the real servers). One command, as on tomada's line door:
 * `/part` leaves the room (no more messages to or from that client), so `tomada bench chat --no-join`
 * can hold thousands of idle connections without a quadratic join storm.
 *
 * Run alone: `node --import tsx bench/servers/broadcast.ts [PORT]` → prints `listening on HOST:PORT`.
 */
import net from 'node:net';
import { fileURLToPath } from 'node:url';

const LF = 0x0a;
const CR = 0x0d;
const MAX_LINE = 4096;

interface Peer {
  socket: net.Socket;
  prefix: Buffer | null; // `<nick>: ` once registered
  inRoom: boolean;
  carry: Buffer | null;
  out: Buffer[];
  outBytes: number;
}

export interface RunningServer {
  port: number;
  host: string;
  close(): Promise<void>;
}

export function startBroadcastServer(host = '127.0.0.1', port = 0): Promise<RunningServer> {
  const peers = new Set<Peer>();
  const dirty = new Set<Peer>();
  let flushScheduled = false;

  const flush = () => {
    flushScheduled = false;
    for (const p of dirty) {
      if (p.out.length === 1) p.socket.write(p.out[0]!);
      else p.socket.write(Buffer.concat(p.out, p.outBytes));
      p.out = [];
      p.outBytes = 0;
    }
    dirty.clear();
  };

  const queue = (p: Peer, b: Buffer) => {
    if (p.socket.destroyed) return;
    p.out.push(b);
    p.outBytes += b.length;
    if (!dirty.has(p)) dirty.add(p);
    if (!flushScheduled) {
      flushScheduled = true;
      setImmediate(flush);
    }
  };

  const broadcast = (from: Peer, msg: Buffer) => {
    for (const p of peers) if (p !== from && p.inRoom) queue(p, msg);
  };

  const onLine = (p: Peer, buf: Buffer, start: number, end: number) => {
    if (end > start && buf[end - 1] === CR) end--;
    if (!p.prefix) {
      const nick = buf.toString('utf8', start, end).trim() || `anon${peers.size}`;
      p.prefix = Buffer.from(`${nick}: `);
      p.inRoom = true;
      queue(p, Buffer.from('Conectado ao servidor!\n'));
      broadcast(p, Buffer.from(`${nick} entrou no chat!\n`));
      return;
    }
    if (!p.inRoom) return;
    if (end - start === 5 && buf.toString('latin1', start, end) === '/part') {
      p.inRoom = false;
      return;
    }
    const msg = Buffer.allocUnsafe(p.prefix.length + (end - start) + 1);
    p.prefix.copy(msg, 0);
    buf.copy(msg, p.prefix.length, start, end);
    msg[msg.length - 1] = LF;
    broadcast(p, msg);
  };

  const server = net.createServer({ noDelay: true }, (socket) => {
    const p: Peer = { socket, prefix: null, inRoom: false, carry: null, out: [], outBytes: 0 };
    peers.add(p);
    socket.write('APELIDO');
    socket.on('data', (chunk: Buffer) => {
      let buf = chunk;
      if (p.carry) {
        buf = Buffer.concat([p.carry, chunk]);
        p.carry = null;
      }
      let start = 0;
      let nl = buf.indexOf(LF);
      while (nl !== -1) {
        onLine(p, buf, start, nl);
        start = nl + 1;
        nl = buf.indexOf(LF, start);
      }
      if (start < buf.length) {
        if (buf.length - start > MAX_LINE) socket.destroy();
        else p.carry = Buffer.from(buf.subarray(start));
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      peers.delete(p);
      dirty.delete(p);
      if (p.inRoom && p.prefix)
        broadcast(p, Buffer.from(`${p.prefix.subarray(0, p.prefix.length - 2).toString()} saiu do chat!\n`));
    });
  });
  server.maxConnections = 100_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, backlog: 4096 }, () => {
      const addr = server.address() as net.AddressInfo;
      resolve({
        host: addr.address,
        port: addr.port,
        close: () =>
          new Promise<void>((done) => {
            for (const p of peers) p.socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const port = Number(process.argv[2] ?? 0);
  const s = await startBroadcastServer('127.0.0.1', port);
  process.stdout.write(`listening on ${s.host}:${s.port}\n`);
  const stop = () => void s.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
