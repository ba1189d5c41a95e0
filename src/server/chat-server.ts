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
import { SignIns, type SignInStore } from '../core/sign-ins.js';
import { SqliteAccountStore } from '../storage/sqlite-accounts.js';
import { SqliteReadMarkerStore } from '../storage/sqlite-read-markers.js';
import { ReadMarkers, type ReadMarkerStore } from '../core/read-markers.js';
import { SqliteMetadataStore } from '../storage/sqlite-metadata.js';
import { AccountMetadata, type MetadataStore } from '../core/account-metadata.js';
import { SqliteSignInStore } from '../storage/sqlite-sign-ins.js';
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
import { joinCluster, type ClusterLinks, type LeaseTimings } from './cluster.js';
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
  /** Where registered accounts are kept (default: PostgreSQL at `store`, else SQLite in `dataDir`). Closed with the server. */
  accountStore?: AccountStore;
  /** Where the read markers of accounts are kept (default: PostgreSQL at `store`, else SQLite in `dataDir`). Closed with the server. */
  readMarkerStore?: ReadMarkerStore;
  /**
   * Where the metadata of accounts (display name, avatar…) is kept (default: PostgreSQL at `store`, else
   * SQLite in `dataDir`). Closed with the server.
   */
  metadataStore?: MetadataStore;
  /** Where the web door's sign-ins are kept (default: beside the accounts). Closed with the server. */
  signInStore?: SignInStore;
  /**
   * TLS client certificates of accounts, for SASL EXTERNAL (default: beside the accounts, when they are
   * the default SQLite or PostgreSQL or an in-memory store; none, and no EXTERNAL, with another one).
   */
  certStore?: CertStore;
  /**
   * Registered rooms (their founder, topic and settings), beside the accounts likewise (default: with
   * the default SQLite or PostgreSQL or an in-memory account store; none, and no room registration, with
   * another).
   */
  roomStore?: RoomStore;
  /** Who holds which nickname (default: in memory, this node only). */
  nicks?: NickRegistry;
  logger?: Logger;
  /** With `--cluster`: called once the server has closed itself because it lost its lease (the CLI exits 1). */
  onLeaseLost?: () => void;
  /** With `--cluster`: the lease's timings (default: renewed, and the others' looked at, every second; living five). */
  lease?: LeaseTimings;
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
  // The cluster first: the one that fails the most often at start (Redis unreachable), before anything opens.
  let lost: (why: string) => void = () => undefined;
  const cluster: ClusterLinks | undefined =
    config.cluster !== undefined && !options.bus
      ? await joinCluster(config, logger, (why) => lost(why), options.lease)
      : undefined;
  let history: AnyHistoryStore;
  try {
    history = options.history ?? (await openHistory(config, logger));
  } catch (err) {
    await cluster?.bus.close();
    await cluster?.close();
    throw err;
  }
  const bus = options.bus ?? cluster?.bus ?? localBus();
  const nicks = options.nicks ?? cluster?.nicks;
  let stores: AccountStores;
  try {
    stores = await openAccounts(config, options, logger);
  } catch (err) {
    await history.close();
    await cluster?.bus.close();
    await cluster?.close();
    throw err;
  }
  const { accounts: accountStore, signIns: signInStore } = stores;
  const certs = options.certStore ?? stores.certs ?? defaultCertStore(accountStore);
  const identity = new Identity(accountStore, { registration: config.registration, certs });
  const inner = options.accounts ?? new StoreAccounts(identity);
  const accounts = config.password !== undefined ? new ServerPassword(config.password, inner) : inner;
  const lostReason = (name: string) => translator(config.lang)('cluster.quit.nodeLost', { node: name });
  const hub = new Hub({
    history,
    bus,
    nicks,
    coalesceMs: config.coalesceMs,
    ...(cluster
      ? {
          nodeName: cluster.name,
          nodeLostReason: lostReason,
          lostHeard: (node: number) => void cluster.lease.confirmLost(node).catch(() => undefined),
          nodeHeard: (node: number) => cluster.lease.heardFrom(node),
        }
      : {}),
  });
  logHub(hub, logger, config.lang);
  const readMarkers = new ReadMarkers(
    hub,
    options.readMarkerStore ?? stores.readMarkers ?? new SqliteReadMarkerStore(config.dataDir),
  );
  const metadata = new AccountMetadata(
    hub,
    options.metadataStore ?? stores.metadata ?? new SqliteMetadataStore(config.dataDir),
  );
  // A store shared by nodes answers from memory: an account's markers and keys are read as it logs in.
  identity.beforeLogin((account) => Promise.all([readMarkers.load(account), metadata.load(account)]).then(() => {}));
  cluster?.onNodeLost((node, name, heard) => {
    const users = hub.dropNode(node, lostReason(name));
    // The first to notice tells the others, who would otherwise drop its users only at their next look.
    if (!heard) hub.announceLost(node);
    // A node that stopped cleanly has said its users left already (and gave its lease back): nothing to say.
    if (users > 0)
      logger.warn({ node, name, users }, translator(config.lang)('cluster.log.nodeLost', { node: name, users }));
  });
  const roomStore = options.roomStore ?? stores.rooms ?? defaultRoomStore(accountStore);
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
    signIns: new SignIns(identity, signInStore),
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
    await readMarkers.close();
    await metadata.close();
    await accountStore.close();
    await signInStore.close();
    await bus.close();
    await cluster?.close();
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
  // A node that lost its lease must not act as a node any more (another may hold its number): it ends.
  lost = () => void (closing ??= closeAll(tr('cluster.shutdown.leaseLost'))).then(() => options.onLeaseLost?.());
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

/**
 * The account store and what is kept beside it (certificates and rooms: by the default ones when unset;
 * read markers and metadata: SQLite when unset).
 */
interface AccountStores {
  accounts: AccountStore;
  signIns: SignInStore;
  certs?: CertStore;
  rooms?: RoomStore;
  readMarkers?: ReadMarkerStore;
  metadata?: MetadataStore;
}

/**
 * The configured account store and the web door's sign-ins beside it: PostgreSQL when `store` is set
 * (shared by every node, with the certificates, registered rooms, read markers and metadata), else
 * SQLite (`accounts.sqlite` in the data directory).
 */
async function openAccounts(config: ChatConfig, options: StartOptions, logger: Logger): Promise<AccountStores> {
  if (options.accountStore)
    return { accounts: options.accountStore, signIns: options.signInStore ?? new SqliteSignInStore(config.dataDir) };
  if (config.store === undefined)
    return {
      accounts: new SqliteAccountStore(config.dataDir),
      signIns: options.signInStore ?? new SqliteSignInStore(config.dataDir),
    };
  const { PostgresAccountStore } = await import('../storage/postgres-accounts.js');
  const accounts = await PostgresAccountStore.open(config.store);
  const tr = translator(config.lang);
  const report = (key: 'store.log.markersFailed' | 'store.log.metadataFailed') => (err: Error) =>
    logger.error({ err: err.message }, tr(key, { reason: err.message }));
  return {
    accounts,
    signIns: options.signInStore ?? accounts.signIns(),
    certs: accounts.certs(),
    rooms: accounts.rooms(),
    readMarkers: accounts.readMarkers({ onError: report('store.log.markersFailed') }),
    metadata: accounts.metadata({ onError: report('store.log.metadataFailed') }),
  };
}
