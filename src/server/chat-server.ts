import pino, { type Logger } from 'pino';
import { ServerPassword, StoreAccounts, type Accounts } from '../core/accounts.js';
import { MemoryAccountStore, type AccountStore } from '../core/account-store.js';
import { MemoryCertStore, type CertStore } from '../core/cert-store.js';
import { SqliteCertStore } from '../storage/sqlite-certs.js';
import { MemoryRoomStore, type RoomStore } from '../core/room-store.js';
import { RoomRegistry } from '../core/room-registry.js';
import { SqliteRoomStore } from '../storage/sqlite-rooms.js';
import { Identity } from '../core/identity.js';
import { NickGuard } from '../core/nick-guard.js';
import { SqliteAccountStore } from '../storage/sqlite-accounts.js';
import { SqliteReadMarkerStore } from '../storage/sqlite-read-markers.js';
import { ReadMarkers, type ReadMarkerStore } from '../core/read-markers.js';
import { SqliteMetadataStore } from '../storage/sqlite-metadata.js';
import { AccountMetadata, type MetadataStore } from '../core/account-metadata.js';
import { localBus, type Bus } from '../core/bus.js';
import type { AnyHistoryStore } from '../core/history.js';
import { Hub } from '../core/hub.js';
import type { NickRegistry } from '../core/nicks.js';
import { ConnectionGate } from '../core/rate-limit.js';
import { SqliteHistory } from '../storage/sqlite.js';
import { keepAlivePeriodMs, Sweep } from '../transports/connection.js';
import { OutboxScheduler } from '../transports/outbox.js';
import { startIrcDoor } from '../protocols/irc/index.js';
import { startLineDoor } from '../protocols/line/index.js';
import { startWebDoor } from '../protocols/web/index.js';
import { translator } from '../i18n/index.js';
import { logHub, webAddress } from './oplog.js';
import { chatConfig, readSettingFile, type ChatConfig, type ChatConfigInput } from './config.js';
import { ServerStats, type DoorAddress, type DoorContext, type RunningDoor } from '../protocols/door.js';

export interface ChatServer {
  readonly hub: Hub;
  readonly config: ChatConfig;
  readonly stats: ServerStats;
  /** Every listener that is open, with the port it really got (port 0 asks the system). */
  readonly addresses: DoorAddress[];
  /** Finds the address of one listener by name (`line`, `irc`, `ircs`, `http`, `irc-ws`). */
  address(name: string): DoorAddress | undefined;
  /** Tells every client the server is stopping, flushes history, closes everything. */
  close(reason?: string): Promise<void>;
}

/**
 * The server's collaborators, each an interface with a shared contract test; every one has a default,
 * so a server is assembled, not edited.
 */
export interface StartOptions {
  /** Where room messages are kept (default: PostgreSQL at `store`, else SQLite in `dataDir`). Closed with the server. */
  history?: AnyHistoryStore;
  /** The link to the other nodes (default: a network of one, in-process). Closed with the server. */
  bus?: Bus;
  /**
   * Who may come in (default: everyone, logged in to their account when they give its password; the
   * server password first when `password` is set).
   */
  accounts?: Accounts;
  /** Where registered accounts are kept (default: SQLite in `dataDir`). Closed with the server. */
  accountStore?: AccountStore;
  /** Where the read markers of accounts are kept (default: SQLite in `dataDir`). Closed with the server. */
  readMarkerStore?: ReadMarkerStore;
  /** Where the metadata of accounts (display name, avatar…) is kept (default: SQLite in `dataDir`). Closed with the server. */
  metadataStore?: MetadataStore;
  /**
   * TLS client certificates of accounts, for SASL EXTERNAL (default: beside the accounts, when they are
   * the default SQLite or an in-memory store; none, and no EXTERNAL, with another account store).
   */
  certStore?: CertStore;
  /**
   * Registered rooms (their founder, topic and settings), beside the accounts likewise (default: with
   * the default SQLite or an in-memory account store; none, and no room registration, with another).
   */
  roomStore?: RoomStore;
  /** Who holds which nickname (default: in memory, this node only). */
  nicks?: NickRegistry;
  logger?: Logger;
}

/**
 * The chat server: one hub, its collaborators (history, bus, accounts, nicks, logger), and each door that is
 * switched on in the configuration. If a door cannot start (port in use…), the doors already started
 * are closed and the error is thrown.
 */
export async function startChatServer(input: ChatConfigInput = {}, options: StartOptions = {}): Promise<ChatServer> {
  const config = chatConfig(input);
  const logger = options.logger ?? pino({ level: 'silent' });
  // Read once, for every door that speaks TLS.
  const tls =
    config.tlsCert && config.tlsKey
      ? { cert: readSettingFile('tlsCert', config.tlsCert), key: readSettingFile('tlsKey', config.tlsKey) }
      : undefined;
  const history = options.history ?? (await openHistory(config, logger));
  const bus = options.bus ?? localBus();
  const accountStore = options.accountStore ?? new SqliteAccountStore(config.dataDir);
  const certs = options.certStore ?? defaultCertStore(accountStore);
  const identity = new Identity(accountStore, { registration: config.registration, certs });
  const inner = options.accounts ?? new StoreAccounts(identity);
  const accounts = config.password !== undefined ? new ServerPassword(config.password, inner) : inner;
  const hub = new Hub({ history, bus, nicks: options.nicks, coalesceMs: config.coalesceMs });
  logHub(hub, logger, config.lang);
  const readMarkers = new ReadMarkers(hub, options.readMarkerStore ?? new SqliteReadMarkerStore(config.dataDir));
  const metadata = new AccountMetadata(hub, options.metadataStore ?? new SqliteMetadataStore(config.dataDir));
  const roomStore = options.roomStore ?? defaultRoomStore(accountStore);
  const rooms = roomStore
    ? await RoomRegistry.open(hub, roomStore, identity, {
        onError: (err) => logger.error({ err }, translator(config.lang)('services.log.roomStoreFailed')),
      })
    : undefined;
  const guard = config.nickGraceSecs > 0 ? new NickGuard(hub, identity, config.nickGraceSecs) : undefined;
  const stats = new ServerStats();
  const ctx: DoorContext = {
    hub,
    accounts,
    identity,
    readMarkers,
    rooms,
    config,
    tls,
    outboxes: new OutboxScheduler(hub.turn),
    keepAlive: new Sweep(keepAlivePeriodMs(config.limits.pingIntervalSecs, config.limits.pingTimeoutSecs)),
    gate: new ConnectionGate(config.limits.maxConnections, config.limits.maxPerIp),
    stats,
    logger,
  };
  const doors: RunningDoor[] = [];
  const closeAll = async (reason: string) => {
    hub.stopping = true;
    guard?.stop();
    await Promise.all(doors.map((d) => d.close(reason)));
    hub.shutdown(reason);
    await hub.settled().catch(() => {});
    await history.close();
    accountStore.close();
    readMarkers.close();
    metadata.close();
    await bus.close();
  };
  try {
    for (const start of [startLineDoor, startIrcDoor, startWebDoor]) {
      const door = await start(ctx);
      if (door) doors.push(door);
    }
  } catch (err) {
    await closeAll('startup failed');
    throw err;
  }
  const addresses = doors.flatMap((d) => d.addresses);
  const tr = translator(config.lang);
  for (const a of addresses) {
    logger.info(
      { door: a.name, host: a.host, port: a.port, tls: a.tls },
      tr('server.log.listening', { door: a.name, host: a.host, port: a.port }),
    );
  }
  const web = addresses.find((a) => a.name === 'http');
  if (web) logger.info({ url: webAddress(web) }, tr('server.log.openWeb', { url: webAddress(web) }));
  let closing: Promise<void> | undefined;
  return {
    hub,
    config,
    stats,
    addresses,
    address: (name) => addresses.find((a) => a.name === name),
    close: (reason = 'Server shutting down') => (closing ??= closeAll(reason)),
  };
}

function defaultCertStore(accounts: AccountStore): CertStore | undefined {
  if (accounts instanceof SqliteAccountStore) return new SqliteCertStore(accounts.db);
  if (accounts instanceof MemoryAccountStore) return new MemoryCertStore(async (a) => (await accounts.get(a))?.name);
  return undefined;
}

function defaultRoomStore(accounts: AccountStore): RoomStore | undefined {
  if (accounts instanceof SqliteAccountStore) return new SqliteRoomStore(accounts.db);
  if (accounts instanceof MemoryAccountStore) return new MemoryRoomStore();
  return undefined;
}

/** The configured history store: PostgreSQL when `store` is set (migrated, last id read), else SQLite. */
async function openHistory(config: ChatConfig, logger: Logger): Promise<AnyHistoryStore> {
  if (config.store === undefined) return new SqliteHistory(config.dataDir);
  const tr = translator(config.lang);
  const { PostgresHistory, redactUrl } = await import('../storage/postgres.js');
  const url = redactUrl(config.store);
  const store = await PostgresHistory.open(config.store, {
    onError: (err) => logger.warn({ store: url, err: err.message }, tr('store.log.failed', { reason: err.message })),
  });
  logger.info({ store: url }, tr('store.log.open', { url, last: store.lastSeq() }));
  return store;
}
