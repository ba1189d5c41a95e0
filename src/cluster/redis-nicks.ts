import { Redis, type RedisOptions } from 'ioredis';
import type { NickRegistry } from '../core/nicks.js';
import type { User } from '../core/user.js';
import { ClusterUnavailableError } from '../errors.js';

export interface RedisNicksOptions {
  /** `redis://[:PASSWORD@]HOST:PORT[/DB]` (or `rediss://`). */
  url: string;
  /** The network's name: keys are `tomada:<network>:nick:<case-folded nick>`. */
  network: string;
  /** This node's index (the value of a claim is `<node>:<user id>`). */
  node: number;
  /** Connection errors (ioredis reconnects by itself) and releases that did not reach Redis. */
  onError?: (err: Error) => void;
  /** Redis reachable (true) or not (false), on each change: claims are refused while it is not. */
  onStatus?: (connected: boolean) => void;
  /**
   * A name of a user of this node that Redis gave to someone else while this node was away (Redis
   * restarted without persistence, and another node's user claimed it first). The user keeps it here
   * until the server decides (rename or disconnect them); by default this is reported to `onError`.
   */
  onLost?: (key: string, user: User) => void;
  /** More ioredis options. */
  redis?: RedisOptions;
}

/**
 * Takes the name if it is free, or says yes again to its holder (a claim re-sent after a reconnect, or
 * claimed twice). The node's set of names lets a node that starts again free what its earlier life held.
 * KEYS: the name, the node's set. ARGV: the holder (`<node>:<user id>`).
 */
const CLAIM = `
local v = redis.call('GET', KEYS[1])
if v == false then
  redis.call('SET', KEYS[1], ARGV[1])
  redis.call('SADD', KEYS[2], KEYS[1])
  return 1
end
if v == ARGV[1] then return 1 end
return 0`;

/** Deletes the name only if the holder is still the one given (never someone who took it since). */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('SREM', KEYS[2], KEYS[1])
  return 1
end
return 0`;

/** Frees every name a node's earlier life held (those still held by it: `<node>:` values). KEYS: the set. */
const FORGET = `
local names = redis.call('SMEMBERS', KEYS[1])
for _, name in ipairs(names) do
  local v = redis.call('GET', name)
  if v and string.sub(v, 1, string.len(ARGV[1])) == ARGV[1] then redis.call('DEL', name) end
end
redis.call('DEL', KEYS[1])
return #names`;

/**
 * Nicknames unique across a network, with Redis as the arbiter: a claim is one atomic script (in effect
 * `SET tomada:<network>:nick:<key> <node>:<userId> NX`), so of two claims of one free name at the same
 * moment on two nodes exactly one wins. `get`, `values` and `size` are this node's users (a map kept
 * beside the claims); the doors' network-wide lists (WHO, NAMES of remote users) are a later step.
 *
 * While Redis cannot be reached a claim is refused at once ({@link ClusterUnavailableError}) rather than
 * guessed; a release waits in ioredis' offline queue and is sent on reconnect.
 *
 * A Redis restarted without persistence forgets every claim: on reconnect the node claims its users'
 * names again, and tells `onLost` of any that someone else took in the meantime.
 *
 * Not done yet: names held by a node that died stay taken until that node starts again ({@link connect}
 * frees its earlier life's names); the lease that frees them within seconds is a later step.
 */
export class RedisNicks implements NickRegistry {
  readonly #redis: Redis;
  readonly #prefix: string;
  readonly #nodeSet: string;
  readonly #node: number;
  readonly #local = new Map<string, User>();
  readonly #onError: (err: Error) => void;
  readonly #onLost: (key: string, user: User) => void;
  #up = false;
  #wasUp = false;

  constructor(options: RedisNicksOptions) {
    this.#node = options.node;
    this.#prefix = `tomada:${options.network}:nick:`;
    this.#nodeSet = `tomada:${options.network}:node:${options.node}:nicks`;
    this.#onError = options.onError ?? (() => undefined);
    this.#redis = new Redis(options.url, {
      maxRetriesPerRequest: null,
      connectionName: `tomada-${options.network}-${options.node}-nicks`,
      ...options.redis,
    });
    this.#onLost =
      options.onLost ??
      ((key) => this.#onError(new Error(`the name ${key} was claimed elsewhere while Redis was away`)));
    const onStatus = options.onStatus ?? (() => undefined);
    this.#redis.on('error', (err: Error) => this.#onError(err));
    this.#redis.on('ready', () => {
      if (this.#wasUp) this.#claimAgain();
      this.#wasUp = this.#up = true;
      onStatus(true);
    });
    this.#redis.on('close', () => {
      if (!this.#up) return;
      this.#up = false;
      onStatus(false);
    });
  }

  /** Whether Redis is reachable now (a claim is refused while it is not). */
  get connected(): boolean {
    return this.#redis.status === 'ready';
  }

  /** After a reconnect: Redis may have forgotten our claims (a restart without persistence). */
  #claimAgain(): void {
    for (const [key, user] of this.#local) {
      this.#redis
        .eval(CLAIM, 2, this.#prefix + key, this.#nodeSet, this.#holder(user))
        .then((won) => {
          if (won !== 1 && this.#local.get(key) === user) this.#onLost(key, user);
        })
        .catch((err: Error) => this.#onError(err));
    }
  }

  /**
   * Connects and frees the names this node number held in an earlier life (a crash, `kill -9`): no
   * other live process may use the same node number.
   */
  static async connect(options: RedisNicksOptions): Promise<RedisNicks> {
    const nicks = new RedisNicks(options);
    try {
      await nicks.#redis.eval(FORGET, 1, nicks.#nodeSet, `${nicks.#node}:`);
    } catch (err) {
      await nicks.close();
      throw err;
    }
    return nicks;
  }

  get(key: string): User | undefined {
    return this.#local.get(key);
  }

  async claim(key: string, user: User): Promise<boolean> {
    const held = this.#local.get(key);
    if (held) return held === user;
    if (!this.connected) throw new ClusterUnavailableError('nickname claim');
    const won = await this.#redis.eval(CLAIM, 2, this.#prefix + key, this.#nodeSet, this.#holder(user));
    if (won !== 1) return false;
    this.#local.set(key, user);
    return true;
  }

  release(key: string, user: User): void {
    if (this.#local.get(key) !== user) return;
    this.#local.delete(key);
    this.#redis
      .eval(RELEASE, 2, this.#prefix + key, this.#nodeSet, this.#holder(user))
      .catch((err: Error) => this.#onError(err));
  }

  get size(): number {
    return this.#local.size;
  }

  values(): IterableIterator<User> {
    return this.#local.values();
  }

  /** Sends the pending releases and closes the connection (the names of users still here stay held). */
  async close(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#redis.quit().catch(() => undefined), new Promise((r) => (timer = setTimeout(r, 2_000)))]);
    clearTimeout(timer);
    this.#redis.disconnect();
  }

  #holder(user: User): string {
    return `${this.#node}:${user.id}`;
  }
}
