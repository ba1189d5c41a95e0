import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { ClusterUnavailableError } from '../errors.js';

/**
 * How many node numbers a network has: fixed for its life, since ids depend on it (node *k* hands out ids
 * ≡ *k* mod this). 64 nodes are far more than a chat network needs; ids still last 2^53 / 64 messages.
 */
export const NETWORK_NODES = 64;

export interface NodeLeaseOptions {
  /** `redis://[:PASSWORD@]HOST:PORT[/DB]` (or `rediss://`). */
  url: string;
  /** The network's name: keys are `tomada:<network>:…`. */
  network: string;
  /** This node's name (`--node-name`): the same name gets the same number again after a restart. */
  name: string;
  /** How many node numbers the network has (ids depend on it: fixed for the network's life). */
  nodes: number;
  /** How long a lease lives without being renewed (ms). */
  ttlMs?: number;
  /** How often it is renewed, and the other nodes' leases looked at (ms). */
  renewMs?: number;
  /** How long to wait for Redis at start before giving up (ms). */
  connectTimeoutMs?: number;
  /** This node's lease was lost (taken over, or not renewed in time): it must stop acting as a node. */
  onLost?: (why: 'taken' | 'expired') => void;
  /**
   * Another node's lease expired: that node is gone (a number taken by a new process is not reported).
   * `heard`: another node noticed first and said so ({@link NodeLease.confirmLost}).
   */
  onNodeLost?: (node: number, name: string, heard: boolean) => void;
  /** After each look at the other numbers' leases (tests wait on it rather than on time). */
  onLook?: () => void;
  onError?: (err: Error) => void;
  redis?: RedisOptions;
}

/**
 * Picks a number for a node name and takes its lease, atomically. The number the name had before when
 * it has one (unless a live process holds it: -2), else one never given, else one whose lease expired;
 * -1 when every number is held. KEYS: the names hash (number → name). ARGV: name, token, ttl, nodes, the
 * lease key prefix.
 */
const ALLOCATE = `
local names, name, token, ttl, n, prefix = KEYS[1], ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]
local pick = -1
for i = 0, n - 1 do
  if redis.call('HGET', names, tostring(i)) == name then pick = i break end
end
if pick >= 0 then
  local holder = redis.call('GET', prefix .. pick)
  if holder and holder ~= token then return -2 end
end
if pick < 0 then
  for i = 0, n - 1 do
    if redis.call('HEXISTS', names, tostring(i)) == 0 and redis.call('EXISTS', prefix .. i) == 0 then pick = i break end
  end
end
if pick < 0 then
  for i = 0, n - 1 do
    if redis.call('EXISTS', prefix .. i) == 0 then pick = i break end
  end
end
if pick < 0 then return -1 end
redis.call('HSET', names, tostring(pick), name)
redis.call('SET', prefix .. pick, token, 'PX', ttl)
return pick`;

/**
 * Renews the lease if it is still ours (1); takes it again, with the name, if Redis forgot it (a restart
 * without persistence: 2); 0 when another process holds it. Then, in the same call, reads the other
 * nodes' leases: one round trip a second per node rather than two (each wakes Redis, and on the bench's
 * machine a wake-up, not the work, is most of what a call costs Redis). Returns `[result, ...tokens]`.
 * KEYS: the lease, the names hash, the other nodes' leases. ARGV: token, ttl, number, name.
 */
const RENEW = `
local r = 0
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  r = 1
elseif v == false then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  redis.call('HSET', KEYS[2], ARGV[3], ARGV[4])
  r = 2
end
if #KEYS < 3 then return {r} end
local tokens = redis.call('MGET', unpack(KEYS, 3))
table.insert(tokens, 1, r)
return tokens`;

/**
 * Frees the nicknames a lost node held (those still held by it: values starting `<node>:`), unless its
 * number has a live lease again (a new process took it and has freed them itself). KEYS: the lease, the
 * node's set of names. ARGV: `<node>:`.
 */
const REAP = `
if redis.call('EXISTS', KEYS[1]) == 1 then return -1 end
local names = redis.call('SMEMBERS', KEYS[2])
for _, name in ipairs(names) do
  local v = redis.call('GET', name)
  if v and string.sub(v, 1, string.len(ARGV[1])) == ARGV[1] then redis.call('DEL', name) end
end
redis.call('DEL', KEYS[2])
return #names`;

/**
 * A node's place in a network: a number for its name (message and user ids depend on it: node *k* of
 * *n* hands out ids ≡ *k* mod *n*), held by a lease in Redis that it renews (every second, living five by
 * default). Two live processes never hold one number: the number is given with its lease, atomically,
 * and a process that cannot renew in time, or finds its lease held by another, is told (`onLost`) and must
 * stop — its ids would collide with the new holder's.
 *
 * It also watches the other numbers' leases: one that is gone for two looks in a row is a lost node
 * (`onNodeLost`), and this node frees the names it held in Redis (a script that does nothing if the number
 * has a live lease again, so any node may run it). One that passed to another process (a new token) is
 * not: that process says hello on the bus, and the hub drops its earlier life's users then.
 */
export class NodeLease {
  readonly node: number;
  readonly #redis: LeaseRedis;
  readonly #key: (n: number) => string;
  readonly #network: string;
  readonly #name: string;
  readonly #token: string;
  readonly #ttl: number;
  readonly #renewMs: number;
  readonly #onLost: (why: 'taken' | 'expired') => void;
  readonly #onNodeLost: (node: number, name: string, heard: boolean) => void;
  readonly #onError: (err: Error) => void;
  readonly #onLook: () => void;
  readonly #nodes: number;
  /** The token last seen on each other number, and since when it has been absent. */
  readonly #seen = new Map<number, { token: string; absentSince?: number }>();
  #lastRenewed = Date.now();
  #timer: NodeJS.Timeout | undefined;
  #ticking = false;
  #lost = false;
  #firstLook = true;

  private constructor(redis: Redis, node: number, token: string, options: NodeLeaseOptions) {
    // Sent as EVALSHA (EVAL again when Redis lost its scripts), not the script's text every second.
    redis.defineCommand('tomadaRenew', { lua: RENEW });
    this.#redis = redis as LeaseRedis;
    this.node = node;
    this.#token = token;
    this.#network = options.network;
    this.#name = options.name;
    this.#nodes = options.nodes;
    this.#key = (n) => `tomada:${options.network}:lease:${n}`;
    this.#ttl = options.ttlMs ?? 5_000;
    this.#renewMs = options.renewMs ?? 1_000;
    this.#onLost = options.onLost ?? (() => undefined);
    this.#onNodeLost = options.onNodeLost ?? (() => undefined);
    this.#onError = options.onError ?? (() => undefined);
    this.#onLook = options.onLook ?? (() => undefined);
    redis.on('error', (err: Error) => this.#onError(err));
  }

  /**
   * Connects (one try, within `connectTimeoutMs`), takes a number for the name and starts renewing.
   * Throws {@link ClusterUnavailableError} when Redis cannot be reached, a RangeError when the name is
   * held by a live process or every number is taken.
   */
  static async acquire(options: NodeLeaseOptions): Promise<NodeLease> {
    const redis = new Redis(options.url, {
      lazyConnect: true,
      maxRetriesPerRequest: null,
      connectTimeout: options.connectTimeoutMs ?? 5_000,
      connectionName: `tomada-${options.network}-lease`,
      ...options.redis,
    });
    // The first connection's error is thrown below (ioredis rejects with "Connection is closed", the
    // socket's own error comes as an event).
    let first: Error | undefined;
    redis.on('error', (err: Error) => (first ??= err));
    try {
      await withRetryOff(redis, () => redis.connect());
    } catch (err) {
      redis.disconnect();
      const cause = first ?? (err as Error);
      throw new ClusterUnavailableError(cause.message || 'connect', { cause });
    }
    const token = randomBytes(9).toString('base64url');
    const ttl = options.ttlMs ?? 5_000;
    let node: number;
    try {
      node = Number(
        await redis.eval(
          ALLOCATE,
          1,
          `tomada:${options.network}:nodes`,
          options.name,
          token,
          ttl,
          options.nodes,
          `tomada:${options.network}:lease:`,
        ),
      );
    } catch (err) {
      redis.disconnect();
      throw err;
    }
    if (node < 0) {
      redis.disconnect();
      throw new RangeError(
        node === -2
          ? `the node name ${options.name} is in use by a live node`
          : `all ${options.nodes} node numbers are held`,
      );
    }
    const lease = new NodeLease(redis, node, token, options);
    lease.#start();
    return lease;
  }

  #start(): void {
    this.#lastRenewed = Date.now();
    this.#timer = setInterval(() => void this.#tick(), this.#renewMs);
    this.#timer.unref();
    // Lost nodes of before this one started: their names are freed at once.
    void this.#tick();
  }

  async #tick(): Promise<void> {
    if (this.#ticking || this.#lost) return;
    this.#ticking = true;
    try {
      const tokens = await this.#renew();
      if (!this.#lost) await this.#watch(tokens);
    } catch (err) {
      this.#onError(err as Error);
    } finally {
      this.#ticking = false;
      if (!this.#lost && Date.now() - this.#lastRenewed > this.#ttl) this.#lose('expired');
    }
  }

  /** The other nodes' numbers, in the order {@link #renew} returns their leases' tokens. */
  get #others(): number[] {
    return [...Array(this.#nodes).keys()].filter((n) => n !== this.node);
  }

  /** Renews this node's lease and returns the other nodes' leases' tokens (null: none). */
  async #renew(): Promise<Array<string | null>> {
    const others = this.#others.map((n) => this.#key(n));
    // Redis away: no renewal; the look waits for it in the offline queue (the lease's expiry is judged
    // when it answers).
    if (this.#redis.status !== 'ready') return this.#redis.mget(others);
    const started = Date.now();
    const reply = (await this.#redis.tomadaRenew(
      2 + others.length,
      this.#key(this.node),
      `tomada:${this.#network}:nodes`,
      ...others,
      this.#token,
      this.#ttl,
      this.node,
      this.#name,
    )) as [number, ...Array<string | null>];
    const [r, ...tokens] = reply;
    if (r === 0) this.#lose('taken');
    // Taken again after Redis forgot it: sound only if it could not have expired meanwhile.
    else if (r === 2 && started - this.#lastRenewed > this.#ttl) this.#lose('expired');
    else this.#lastRenewed = started;
    return tokens;
  }

  async #watch(tokens: Array<string | null>): Promise<void> {
    const numbers = this.#others;
    const now = Date.now();
    for (let i = 0; i < numbers.length; i++) {
      const n = numbers[i]!;
      const token = tokens[i] ?? undefined;
      const seen = this.#seen.get(n);
      if (token !== undefined) {
        // Another token: a new process took the number (a restart under the same name). Not a lost node
        // here: that process's hello on the bus tells the hub its earlier life's users are gone, and its
        // names are its own to free. Dropping the number's users here could take the new process's too,
        // when its hello (and its first users) came before this look.
        this.#seen.set(n, { token });
      } else if (this.#firstLook) {
        // A number with no lease when this node came: whatever names it still holds are a dead node's.
        await this.reap(n);
      } else if (seen) {
        // Absent on two looks in a row: expired, not a Redis that restarted and is being re-leased.
        if (seen.absentSince === undefined) seen.absentSince = now;
        else {
          this.#seen.delete(n);
          await this.#nodeLost(n, false);
        }
      }
    }
    this.#firstLook = false;
    this.#onLook();
  }

  /**
   * The bus carried something of number `n` (its hello, its users, their events): watched from now on
   * like a number a look saw leased. A node that died within a second of starting, before any look saw
   * its lease, would otherwise never be lost here, and its users would stay in this node's rooms.
   */
  heardFrom(n: number): void {
    if (n === this.node || this.#lost || !Number.isInteger(n) || n < 0 || n >= this.#nodes) return;
    // No token known: the next look that finds one keeps it; two looks that find none make it lost.
    if (!this.#seen.has(n)) this.#seen.set(n, { token: '' });
  }

  /** Frees the lost node's names in Redis, then tells the server (its users leave every room). */
  async #nodeLost(n: number, heard: boolean): Promise<void> {
    await this.reap(n);
    const name = await this.#redis.hget(`tomada:${this.#network}:nodes`, String(n));
    this.#onNodeLost(n, name ?? String(n), heard);
  }

  /**
   * Another node says number `n` is lost (it saw its lease gone on two looks): lost here too, now rather
   * than at this node's own looks, unless a process holds the number again (a restart: its hello says the
   * rest) or it is this node's.
   */
  async confirmLost(n: number): Promise<void> {
    if (n === this.node || this.#lost || !Number.isInteger(n) || n < 0 || n >= this.#nodes) return;
    if ((await this.#redis.exists(this.#key(n))) === 1) return;
    // Not reported again by this node's own looks.
    this.#seen.delete(n);
    await this.#nodeLost(n, true);
  }

  /** Frees the names node `n` held, if its number has no live lease. */
  async reap(n: number): Promise<void> {
    await this.#redis.eval(REAP, 2, this.#key(n), `tomada:${this.#network}:node:${n}:nicks`, `${n}:`);
  }

  #lose(why: 'taken' | 'expired'): void {
    if (this.#lost) return;
    this.#lost = true;
    clearInterval(this.#timer);
    this.#onLost(why);
  }

  get lost(): boolean {
    return this.#lost;
  }

  /** Gives the lease back (a clean stop: the others see the node gone at their next look). */
  async close(): Promise<void> {
    clearInterval(this.#timer);
    const wasLost = this.#lost;
    this.#lost = true;
    if (!wasLost && this.#redis.status === 'ready') {
      await this.#redis
        .eval(
          `if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end`,
          1,
          this.#key(this.node),
          this.#token,
        )
        .catch(() => undefined);
    }
    this.#redis.disconnect();
  }
}

/** The first connect: one try, no reconnect loop (the caller reports it); reconnecting is on afterwards. */
async function withRetryOff(redis: Redis, connect: () => Promise<void>): Promise<void> {
  const retry = redis.options.retryStrategy;
  redis.options.retryStrategy = () => null;
  try {
    await connect();
  } finally {
    redis.options.retryStrategy = retry;
  }
}

/** The lease's connection, with {@link RENEW} as a command (its first argument: how many keys). */
type LeaseRedis = Redis & { tomadaRenew(...numKeysThenKeysThenArgs: Array<string | number>): Promise<unknown> };
