// Apart from the adapters so that the configuration can check a --cluster URL without loading ioredis.
export { redactUrl } from '../storage/url.js';

/** Checks a `--cluster` URL: `redis://` or `rediss://`, with a host; the database, if any, a number. */
export function clusterUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'notUrl';
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') return 'scheme';
  if (u.hostname === '') return 'incomplete';
  if (u.pathname.length > 1 && !/^\/\d+$/.test(u.pathname)) return 'db';
  return undefined;
}

/** Node names: what `--node-name` may be (they are keys and log words, never shown to users). */
export const NODE_NAME = /^[\w.:-]{1,100}$/;
