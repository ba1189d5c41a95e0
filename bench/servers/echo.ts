/**
 * The floor for echo: a bare Node TCP echo (every byte back as it came, Nagle off) and UDP echo.
 * Run alone: `node --import tsx bench/servers/echo.ts [PORT]` → prints `listening on HOST:PORT`
 * (TCP and UDP on the same port number when free).
 */
import dgram from 'node:dgram';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import type { RunningServer } from './broadcast.js';

export function startEchoServer(host = '127.0.0.1', port = 0): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer({ noDelay: true }, (socket) => {
    sockets.add(socket);
    socket.on('data', (d) => socket.write(d));
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  const udp = dgram.createSocket('udp4');
  udp.on('message', (msg, rinfo) => udp.send(msg, rinfo.port, rinfo.address));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host, port, backlog: 1024 }, () => {
      const addr = server.address() as net.AddressInfo;
      let udpUp = true;
      const done = () => {
        resolve({
          host: addr.address,
          port: addr.port,
          close: () =>
            new Promise<void>((done) => {
              for (const s of sockets) s.destroy();
              if (udpUp) udp.close();
              server.close(() => done());
            }),
        });
      };
      udp.once('error', () => {
        udpUp = false; // the UDP port is taken: TCP only
        done();
      });
      udp.bind(addr.port, host, done);
    });
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const s = await startEchoServer('127.0.0.1', Number(process.argv[2] ?? 0));
  process.stdout.write(`listening on ${s.host}:${s.port}\n`);
  const stop = () => void s.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
