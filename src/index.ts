/**
 * tomada as a library: everything the `tomada` command does is reachable from here, so a program can
 * embed the chat server, reuse the codecs, or drive the tutorials' servers and the load generators.
 *
 * @example
 * import { startChatServer, chatConfig } from 'tomada';
 * const server = await startChatServer(chatConfig({ line: { host: '127.0.0.1', port: 0 } }));
 * console.log(server.address('line'));
 * await server.close();
 */

// The chat server, assembled (config → hub + its collaborators: history, bus, accounts → doors).
export { startChatServer, type ChatServer, type StartOptions } from './server/chat-server.js';
export {
  chatConfig,
  chatConfigSchema,
  readConfigFile,
  type ChatConfig,
  type ChatConfigInput,
  type Listen,
} from './server/config.js';

// The protocol-agnostic chat domain, and history storage.
export * from './core/index.js';
export { SqliteHistory } from './storage/sqlite.js';

// Several nodes as one network (in progress: not wired into `tomada chat serve` yet).
export { RedisBus, type RedisBusOptions, type RedisBusStats, type RedisBusErrorKind } from './cluster/redis-bus.js';
export { RedisNicks, type RedisNicksOptions } from './cluster/redis-nicks.js';

// Pure codecs.
export { LineSplitter, LineTooLongError, splitLines, type LineSplitterOptions } from './codec/line.js';
export {
  parseMessage as parseIrcMessage,
  serializeMessage as serializeIrcMessage,
  escapeTagValue,
  unescapeTagValue,
  type IrcMessage,
} from './codec/irc/message.js';

// The tutorials' programs and the clients.
export { startToolServer, MODELS, type Model, type ToolServer, type ToolServerOptions } from './tools/server.js';
export { startUdpServer, UdpClient, type UdpServer, type UdpServerOptions } from './tools/udp.js';
export { runEchoClient, type EchoClientOptions } from './tools/clients.js';
export { runChatClient, type ChatClientOptions } from './clients/chat-client.js';

// Load generators.
export { runChatBench, type ChatBenchOptions } from './bench/chat.js';
export { runEchoBench, type EchoBenchOptions, type EchoReport } from './bench/echo.js';
export { runModelsBench, type ModelsBenchOptions, type ModelResult } from './tools/bench-models.js';

// Errors with stable codes, and the message catalogue.
export * from './errors.js';
export { t, translator, parseLang, langFromEnv, LANGS, type Lang, type Translate } from './i18n/index.js';
