/**
 * How an entry of the Redis bus is written and read (see `redis-bus.ts`): the script that adds it to the
 * stream and announces it on the channel, and the two forms it is read in. Pure: strings in, entries out.
 */

/**
 * Adds an entry to the stream and sends it to every other node listening (one channel per node), in one
 * step: a script runs alone in Redis, so the entries form one chain, the stream's order. Each node gets
 * two messages, in a row on its channel: a header (the entry's id, the id of the entry before it, the
 * publisher and its sequence number) and the envelopes as the publisher sent them. Returns `<id>\n<previous
 * id>` to the publisher, which so places its own entry in the chain without hearing it back.
 *
 * Why a channel per node: on a shared channel Redis also wrote each entry back to its own publisher, a
 * write (and a wake-up of that node) per batch for nothing. A node whose channel nobody hears any more
 * (it is gone, or its subscription was cut) is taken off the set; it adds itself again as it subscribes.
 *
 * Why the envelopes apart from the header: Redis's Lua hashes every byte of each string it makes, so a
 * header joined to a 10-KB batch was a second pass over the batch (and a copy) in every call; published
 * as they came, the batch is hashed once, as it enters the script (issue 12: Redis's CPU per delivery).
 *
 * KEYS: the stream, the set of listening nodes, the key holding the last id. ARGV: the length to trim
 * the stream to (`~`), publisher, sequence number of the first envelope, envelopes, the publisher's node,
 * the channels' prefix.
 */
export const PUBLISH_LUA = `local prev = redis.call('GET', KEYS[3])
if not prev then
  local last = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
  prev = last[1] and last[1][1] or '0-0'
end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'p', ARGV[2], 's', ARGV[3], 'e', ARGV[4])
redis.call('SET', KEYS[3], id)
local h = id .. '\\n' .. prev .. '\\n' .. ARGV[2] .. '\\n' .. ARGV[3]
for _, n in ipairs(redis.call('SMEMBERS', KEYS[2])) do
  if n ~= ARGV[5] then
    if redis.call('PUBLISH', ARGV[6] .. n, h) == 0 then redis.call('SREM', KEYS[2], n)
    else redis.call('PUBLISH', ARGV[6] .. n, ARGV[4]) end
  end
end
return id .. '\\n' .. prev`;

export interface Entry {
  publisher: string;
  seq: number;
  envelopes: string[];
}

function entry(publisher: string, seqText: string, text: string | undefined): Entry | undefined {
  const seq = Number(seqText);
  if (!publisher || !Number.isSafeInteger(seq) || seq < 1 || text === undefined) return undefined;
  return { publisher, seq, envelopes: text.split('\n') };
}

/** A stream entry: `p <publisher> s <seq of the first envelope> e <envelopes, one per line>`. */
export function readFields(fields: string[]): Entry | undefined {
  let publisher = '';
  let seq = '';
  let text: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const value = fields[i + 1]!;
    if (fields[i] === 'p') publisher = value;
    else if (fields[i] === 's') seq = value;
    else if (fields[i] === 'e') text = value;
  }
  return entry(publisher, seq, text);
}

/** An entry in the chain: its id, the id of the one before it, and what it holds (undefined: unreadable). */
export interface Link {
  id: string;
  prev: string;
  entry: Entry | undefined;
}

/** The header of an entry heard on a node's channel (the envelopes follow it, in the next message). */
export interface Header {
  id: string;
  prev: string;
  publisher: string;
  seq: string;
}

/** A header heard on a node's channel: `<id>\n<previous id>\n<publisher>\n<seq>` (undefined: not one). */
export function readHeader(message: string): Header | undefined {
  const [id, prev, publisher, seq, ...rest] = message.split('\n');
  if (rest.length > 0 || !id || !prev || publisher === undefined || seq === undefined) return undefined;
  if (!STREAM_ID.test(id) || !STREAM_ID.test(prev)) return undefined;
  return { id, prev, publisher, seq };
}

/** The entry a header and the message after it make (its `entry` undefined when unreadable). */
export function heardLink(header: Header, envelopes: string): Link {
  return { id: header.id, prev: header.prev, entry: entry(header.publisher, header.seq, envelopes) };
}

/**
 * Pairs what a node's channel brings: each entry comes as two messages in a row, its header and then its
 * envelopes (see {@link PUBLISH_LUA}).
 */
export class ChannelReader {
  #header: Header | undefined;

  /**
   * The link `message` completes; undefined when it is a header (its envelopes come next); null when it is
   * not a header where one was due (the stream has the entry).
   */
  read(message: string): Link | null | undefined {
    const header = this.#header;
    if (header === undefined) {
      this.#header = readHeader(message);
      return this.#header ? undefined : null;
    }
    this.#header = undefined;
    return heardLink(header, message);
  }

  /** Forgets a header whose envelopes were cut off (the subscription reconnected): the stream has them. */
  reset(): void {
    this.#header = undefined;
  }
}

/** The script's answer to its publisher: `<id>\n<previous id>`. */
export function readReply(reply: unknown): { id: string; prev: string } | undefined {
  if (typeof reply !== 'string') return undefined;
  const [id, prev, ...rest] = reply.split('\n');
  if (rest.length > 0 || !id || !prev || !STREAM_ID.test(id) || !STREAM_ID.test(prev)) return undefined;
  return { id, prev };
}

const STREAM_ID = /^\d+-\d+$/;

/** Whether stream id `a` comes after `b` (ids are `<ms>-<n>`, compared as numbers). */
export function idAfter(a: string, b: string): boolean {
  const [am, an] = a.split('-');
  const [bm, bn] = b.split('-');
  const ms = Number(am) - Number(bm);
  return ms !== 0 ? ms > 0 : Number(an) > Number(bn);
}
