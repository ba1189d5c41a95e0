/**
 * Entry of a process of the `processes` model (node:cluster): an evented server on the port the primary
 * shares, reporting to the primary (listening, requests begun and ended, connections) over IPC.
 */
import net from 'node:net';
import { peerOf, serveConnection } from './connection.js';
import { CLUSTER_OPTIONS_ENV, listen, type ClusterMessage, type ToolServerOptions } from './server.js';
import { handleRequest, type Request } from './service.js';

const send = (m: ClusterMessage) => {
  if (process.connected) process.send?.(m);
};

const options = JSON.parse(process.env[CLUSTER_OPTIONS_ENV] ?? '{}') as ToolServerOptions;
const sockets = new Set<net.Socket>();
const run = (r: Request) => {
  send({ t: 'begin' });
  try {
    return handleRequest(options.spec, r, options.workMs);
  } finally {
    send({ t: 'end' });
  }
};
const server = net.createServer({ allowHalfOpen: true }, (socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  send({ t: 'connection', peer: peerOf(socket) });
  serveConnection(socket, options.spec, run, options.maxLineLength, {
    onRequest: options.reportRequests
      ? (p, r) => send({ t: 'request', peer: p, request: typeof r === 'string' ? r : Buffer.from(r).toString('utf8') })
      : undefined,
    onClose: (p) => send({ t: 'close', peer: p }),
    onLineTooLong: (p, maxLength) => send({ t: 'lineTooLong', peer: p, maxLength }),
  });
});
server.on('error', () => undefined);

const stop = () => {
  server.close(() => process.exit(0));
  for (const s of sockets) s.destroy();
};
// The primary decides when to stop (a Ctrl-C reaches the whole process group).
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
process.on('disconnect', () => process.exit(0));
process.on('message', (m: ClusterMessage) => {
  if (m.t === 'stop') stop();
});

listen(server, options.host, options.port).then(
  () => send({ t: 'listening', port: (server.address() as net.AddressInfo).port }),
  (err: NodeJS.ErrnoException & { address?: string; port?: number }) => {
    const m: ClusterMessage = {
      t: 'failed',
      code: err.code,
      message: err.message,
      address: err.address ?? options.host,
      port: err.port ?? options.port,
    };
    if (process.connected && process.send) process.send(m, () => process.exit(1));
    else process.exit(1);
  },
);
