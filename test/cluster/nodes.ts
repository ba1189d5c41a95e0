import { Writable } from 'node:stream';
import pino from 'pino';
import { startChatServer, type ChatServer, type StartOptions } from '../../src/server/chat-server.js';
import type { ChatConfigInput } from '../../src/server/config.js';
import type { RedisServer } from './redis.js';

/** In-process nodes of networks on one test Redis; `close()` stops those still running. */
export class TestNodes {
  readonly servers: ChatServer[] = [];
  #networks = 0;

  constructor(readonly redis: RedisServer) {}

  /** A fresh network's name. */
  network(): string {
    return `n${process.pid}x${++this.#networks}`;
  }

  /** A node of `network` with the IRC door on a free port (and `extra`), its log kept in `log`. */
  async start(
    network: string,
    extra: ChatConfigInput = {},
    log: string[] = [],
    options: StartOptions = {},
  ): Promise<ChatServer> {
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        log.push(chunk.toString());
        done();
      },
    });
    const server = await startChatServer(
      {
        line: null,
        irc: { host: '127.0.0.1', port: 0 },
        http: null,
        dataDir: ':memory:',
        network,
        cluster: this.redis.url,
        limits: { floodRate: 1000, floodBurst: 1000 },
        ...extra,
      },
      { logger: pino({ level: 'info' }, sink), ...options },
    );
    this.servers.push(server);
    return server;
  }

  async close(): Promise<void> {
    await Promise.all(this.servers.splice(0).map((s) => s.close()));
  }
}
