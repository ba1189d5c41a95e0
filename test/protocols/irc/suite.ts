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
}

/**
 * For a describe block: a chat server with the IRC door (`startTestServer(extra)`, started with the options
 * `options()` gives, e.g. an account store it fills) before its tests; after them, the connections in
 * `clients` are closed, then the server.
 */
export function ircSuite(
  extra: ChatConfigInput = {},
  options: () => StartOptions | Promise<StartOptions> = () => ({}),
): IrcSuite {
  const suite: IrcSuite = {
    server: undefined as unknown as ChatServer,
    port: 0,
    clients: [],
    reg: async (nick, caps = []) => {
      const c = await RawClient.register(suite.port, nick, caps);
      suite.clients.push(c);
      return c;
    },
  };
  before(async () => {
    ({ server: suite.server, port: suite.port } = await startTestServer(extra, await options()));
  });
  after(async () => {
    for (const c of suite.clients) c.close();
    await suite.server.close();
  });
  return suite;
}
