/**
 * How an entry of the Redis bus is written and read (see `redis-bus.ts`): the script that adds it to the
 * stream and announces it on the channel, and the two forms it is read in. Pure: strings in, entries out.
 */

/**
 * Adds an entry to the stream and announces it on the channel with its id, in one step (a script runs
 * alone in Redis: the channel's order is the stream's). KEYS: stream, channel; ARGV: the length to trim
 * the stream to (`~`), publisher, sequence number of the first envelope, envelopes.
 */
export const PUBLISH_LUA = `local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'p', ARGV[2], 's', ARGV[3], 'e', ARGV[4])
redis.call('PUBLISH', KEYS[2], id .. '\\n' .. ARGV[2] .. '\\n' .. ARGV[3] .. '\\n' .. ARGV[4])
return id`;

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

/** An entry heard on the channel: `<id>\n<publisher>\n<seq>\n<envelopes, one per line>`. */
export function readHeard(message: string): { id: string; entry: Entry | undefined } | undefined {
  const a = message.indexOf('\n');
  const b = message.indexOf('\n', a + 1);
  const c = message.indexOf('\n', b + 1);
  if (a < 0 || b < 0 || c < 0) return undefined;
  const id = message.slice(0, a);
  if (!STREAM_ID.test(id)) return undefined;
  return { id, entry: entry(message.slice(a + 1, b), message.slice(b + 1, c), message.slice(c + 1)) };
}

const STREAM_ID = /^\d+-\d+$/;

/** Whether stream id `a` comes after `b` (ids are `<ms>-<n>`, compared as numbers). */
export function idAfter(a: string, b: string): boolean {
  const [am, an] = a.split('-');
  const [bm, bn] = b.split('-');
  const ms = Number(am) - Number(bm);
  return ms !== 0 ? ms > 0 : Number(an) > Number(bn);
}
