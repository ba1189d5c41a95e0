import { after, afterEach } from 'node:test';
import { startChatServer, type ChatServer, type StartOptions } from '../../src/server/chat-server.js';
import type { ChatConfigInput } from '../../src/server/config.js';

/**
 * An in-process chat server with history in memory and the line, IRC and web doors on free ports, as
 * `overrides` leave them (`irc: null` closes one); the helpers below and `startTestServer` start theirs so.
 */
export function inMemoryServer(overrides: ChatConfigInput = {}, options: StartOptions = {}): Promise<ChatServer> {
  return startChatServer(
    {
      line: { host: '127.0.0.1', port: 0 },
      irc: { host: '127.0.0.1', port: 0 },
      http: { host: '127.0.0.1', port: 0 },
      dataDir: ':memory:',
      ...overrides,
    },
    options,
  );
}

/**
 * An in-process chat server with only the line door on an ephemeral port, history in memory (or in
 * `options.history`, e.g. a GatedStore).
 */
export async function lineServer(
  overrides: ChatConfigInput = {},
  options: StartOptions = {},
): Promise<{ server: ChatServer; port: number }> {
  const server = await inMemoryServer(
    { irc: null, http: null, ...overrides, limits: { floodRate: 1000, floodBurst: 1000, ...(overrides.limits ?? {}) } },
    options,
  );
  return { server, port: server.address('line')!.port };
}

/**
 * An in-process chat server with the line, IRC and web doors on free ports (`overrides` may close one,
 * e.g. `line: null`), history in memory; `base` is the web client's address.
 */
export async function allDoorsServer(
  overrides: ChatConfigInput = {},
  options: StartOptions = {},
): Promise<{ server: ChatServer; base: string }> {
  const server = await inMemoryServer(overrides, options);
  return { server, base: `http://127.0.0.1:${server.address('http')!.port}/` };
}

/**
 * For a test file: the connections pushed to `open` are closed after each test, the servers pushed to
 * `servers` when the file's tests are done.
 */
export function closedAfterTests<C extends { close(): void }>(): { open: C[]; servers: ChatServer[] } {
  const open: C[] = [];
  const servers: ChatServer[] = [];
  afterEach(() => {
    for (const c of open.splice(0)) c.close();
  });
  after(async () => {
    for (const s of servers.splice(0)) await s.close();
  });
  return { open, servers };
}
