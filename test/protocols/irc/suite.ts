import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { ChatServer, StartOptions } from '../../../src/server/chat-server.js';
import type { ChatConfigInput } from '../../../src/server/config.js';
import { RawClient, startTestServer } from './client.js';

/** What `ircSuite` gives a describe block; `server` and `port` are set before its first test. */
export interface IrcSuite {
  server: ChatServer;
  /** The IRC door's port. */
  port: number;
  /** The connections the tests open, closed after them. */
  clients: Array<{ close(): unknown }>;
  /** Registers `nick` (asking for `caps`), keeping the connection in `clients`. */
  reg: (nick: string, caps?: string[]) => Promise<RawClient>;
  /** Closes the server and starts it again (on a new port) with the same start options and data directory. */
  restart: () => Promise<void>;
}

/**
 * For a describe block: a chat server with the IRC door (`startTestServer(extra)`, started with the options
 * `options()` gives, e.g. an account store it fills) before its tests; after them, the connections in
 * `clients` are closed, then the server. With `keptIn`, the server keeps its data in a new temporary
 * directory of that prefix (so that `restart()` finds it again), removed at the end.
 */
export function ircSuite(
  extra: ChatConfigInput = {},
  options: () => StartOptions | Promise<StartOptions> = () => ({}),
  keptIn?: string,
): IrcSuite {
  let config = extra;
  let startOptions: StartOptions = {};
  const start = async () => {
    ({ server: suite.server, port: suite.port } = await startTestServer(config, startOptions));
  };
  const suite: IrcSuite = {
    server: undefined as unknown as ChatServer,
    port: 0,
    clients: [],
    reg: async (nick, caps = []) => {
      const c = await RawClient.register(suite.port, nick, caps);
      suite.clients.push(c);
      return c;
    },
    restart: async () => {
      await suite.server.close();
      await start();
    },
  };
  before(async () => {
    if (keptIn) config = { ...extra, dataDir: mkdtempSync(join(tmpdir(), keptIn)) };
    startOptions = await options();
    await start();
  });
  after(async () => {
    for (const c of suite.clients) c.close();
    await suite.server.close();
    if (keptIn) rmSync(config.dataDir!, { recursive: true, force: true });
  });
  return suite;
}
