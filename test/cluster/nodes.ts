import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before } from 'node:test';
import pino from 'pino';
import { startChatServer, type ChatServer, type StartOptions } from '../../src/server/chat-server.js';
import type { ChatConfigInput } from '../../src/server/config.js';
import { RedisServer } from './redis.js';

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

/**
 * For a test file: a test Redis started before its tests (failing at once when redis-server is not
 * installed) and in-process nodes on it; after the tests, `first()` (e.g. closing the file's clients),
 * then the nodes, then Redis.
 */
export function nodesOnRedis(first: () => unknown = () => undefined): { redis: RedisServer; nodes: TestNodes } {
  const redis = new RedisServer();
  const nodes = new TestNodes(redis);
  before(async () => {
    assert.ok(RedisServer.available(), 'redis-server is missing: run `bash scripts/setup-test-deps.sh` as root');
    await redis.start();
  });
  after(async () => {
    await first();
    await nodes.close();
    await redis.dispose();
  });
  return { redis, nodes };
}
