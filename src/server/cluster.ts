import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { NETWORK_NODES, NodeLease } from '../cluster/node-lease.js';
import { RedisBus } from '../cluster/redis-bus.js';
import { RedisNicks } from '../cluster/redis-nicks.js';
import { redactUrl } from '../cluster/url.js';
import { ClusterUnavailableError, CommandFailure, isCertificateError } from '../errors.js';
import { translator } from '../i18n/index.js';
import type { ChatConfig } from './config.js';

/** How long a lease lives without renewal, and how often it is renewed and the others' looked at (ms). */
export interface LeaseTimings {
  ttlMs?: number;
  renewMs?: number;
}

/** A node's links to its network: the bus, the nickname registry and the lease, on one Redis. */
export interface ClusterLinks {
  readonly node: number;
  readonly name: string;
  readonly bus: RedisBus;
  readonly nicks: RedisNicks;
  readonly lease: NodeLease;
  /**
   * Told when another node is lost (its lease expired; its names are already free in Redis); `heard`:
   * another node noticed first and said so on the bus.
   */
  onNodeLost(handler: (node: number, name: string, heard: boolean) => void): void;
  close(): Promise<void>;
}

/**
 * `--node-name`'s default: the host name and the port of the first door that is on (the same name after
 * a restart, so the same node number). A door on port 0 has no port yet: the process id stands in.
 */
export function defaultNodeName(config: ChatConfig): string {
  const door = config.line ?? config.irc ?? config.http ?? config.ircWs ?? config.ircs;
  const host = hostname().replace(/[^\w.:-]/g, '-') || 'node';
  const port = door?.port ? String(door.port) : `pid${process.pid}`;
  return `${host}:${port}`.slice(0, 100);
}

/**
 * Joins the network at `config.cluster`: takes a node number for the node's name (with its lease), then
 * connects the bus and the nickname registry under that number. Redis unreachable at start, or a name
 * held by a live node, is a {@link CommandFailure} (one line, exit 1).
 *
 * Why message ids come from the node number and not from PostgreSQL: a room message is stamped with its
 * id before it is stored (the id is in the event the members get, and in the row, in the same turn); an
 * id from a PostgreSQL sequence would cost a round trip per message before the group commit, or blocks
 * of ids that break the order (a node with an old block would hand out ids below another's newer ones).
 * With the number, node *k* of *n* hands out ids ≡ *k* (mod *n*) above every id it has seen (a Lamport
 * clock, `core/ids.ts`), starting above the last id in PostgreSQL: unique as long as no two live
 * processes hold one number, which is what the lease guarantees (a process that loses it stops), and
 * `messages.seq` being the primary key refuses a collision rather than storing it twice.
 */
export async function joinCluster(
  config: ChatConfig,
  logger: Logger,
  onLeaseLost: (why: string) => void,
  timings: LeaseTimings = {},
): Promise<ClusterLinks> {
  const url = config.cluster!;
  const shown = redactUrl(url);
  const network = config.network;
  const name = config.nodeName ?? defaultNodeName(config);
  const tr = translator(config.lang);
  const warn = (err: Error) =>
    logger.warn({ cluster: shown, err: err.message }, tr('cluster.log.redis', { reason: err.message }));
  let nodeLost: (node: number, name: string, heard: boolean) => void = () => undefined;
  let lease: NodeLease;
  try {
    lease = await NodeLease.acquire({
      url,
      network,
      name,
      nodes: NETWORK_NODES,
      ...timings,
      onError: warn,
      onLost: (why) => {
        logger.error({ why }, tr('cluster.log.leaseLost', { why }));
        onLeaseLost(why);
      },
      onNodeLost: (n, lostName, heard) => nodeLost(n, lostName, heard),
    });
  } catch (err) {
    if (err instanceof ClusterUnavailableError)
      throw new CommandFailure(isCertificateError(err) ? 'cluster.untrusted' : 'cluster.unreachable', {
        url: shown,
        reason: (err.cause as Error)?.message ?? err.message,
      });
    if (err instanceof RangeError)
      throw new CommandFailure(err.message.includes('in use') ? 'cluster.nameInUse' : 'cluster.full', {
        name,
        network,
        nodes: NETWORK_NODES,
      });
    throw err;
  }
  const node = lease.node;
  let nicks: RedisNicks | undefined;
  let bus: RedisBus | undefined;
  let wasDown = false;
  try {
    nicks = await RedisNicks.connect({ url, network, node, onError: warn });
    bus = await RedisBus.connect({
      url,
      network,
      node,
      nodes: NETWORK_NODES,
      onError: (err, kind) => (kind === 'connection' ? undefined : warn(err)),
      onStatus: (up) => {
        if (!up) logger.warn(tr('cluster.log.down'));
        else if (wasDown) logger.info(tr('cluster.log.up'));
        wasDown ||= !up;
      },
    });
  } catch (err) {
    await nicks?.close();
    await lease.close();
    throw new CommandFailure(isCertificateError(err) ? 'cluster.untrusted' : 'cluster.unreachable', {
      url: shown,
      reason: (err as Error).message,
    });
  }
  logger.info({ cluster: shown, node, name, network }, tr('cluster.log.joined', { name, node, network, url: shown }));
  const links: ClusterLinks = {
    node,
    name,
    bus,
    nicks,
    lease,
    onNodeLost: (handler) => (nodeLost = handler),
    close: async () => {
      await lease.close();
      await nicks.close();
    },
  };
  return links;
}
