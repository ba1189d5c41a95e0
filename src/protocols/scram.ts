import { randomBytes, timingSafeEqual } from 'node:crypto';
import { hmac, sha256, type ScramKeys } from '../core/passwords.js';

/**
 * The server side of SCRAM-SHA-256 (RFC 5802 §5 and §7, RFC 7677), without channel binding: two steps,
 * `first` (client-first-message → server-first-message) and `final` (client-final-message →
 * server-final-message). Pure: the keys are looked up by the caller and passed in; the nonce may be
 * given (the tests use RFC 7677's).
 */

export type ScramFailure = 'malformed' | 'channel-binding' | 'nonce' | 'proof' | 'authzid';

export class ScramError extends Error {
  constructor(readonly reason: ScramFailure) {
    super(`SCRAM: ${reason}`);
  }
}

/** A SCRAM `saslname`: `=2C` is `,` and `=3D` is `=` (RFC 5802 §5.1); any other `=` is malformed. */
function decodeSaslname(s: string): string {
  if (/=(?!2C|3D)/.test(s)) throw new ScramError('malformed');
  return s.replace(/=2C/g, ',').replace(/=3D/g, '=');
}

/** `k=v,k=v` → entries in order (a value may contain `=`). */
function attributes(s: string): Array<[string, string]> {
  return s.split(',').map((part) => {
    if (part.length < 2 || part[1] !== '=') throw new ScramError('malformed');
    return [part[0]!, part.slice(2)];
  });
}

const PRINTABLE_NONCE = /^[\x21-\x2b\x2d-\x7e]+$/;

export interface ScramFirst {
  /** The user the client named (`n=`). */
  username: string;
  /** What the client sent after the GS2 header. */
  clientFirstBare: string;
  gs2Header: string;
  clientNonce: string;
}

/** Reads a client-first-message: `n,,n=user,r=nonce` (a `y` flag is accepted, `p=` is refused). */
export function parseClientFirst(message: string): ScramFirst {
  const m = /^([ny]|p=[^,]*),(a=[^,]*)?,(.*)$/s.exec(message);
  if (!m) throw new ScramError('malformed');
  if (m[1]!.startsWith('p=')) throw new ScramError('channel-binding');
  const bare = m[3]!;
  const attrs = attributes(bare);
  if (attrs[0]?.[0] === 'm') throw new ScramError('malformed'); // a mandatory extension we do not know
  if (attrs[0]?.[0] !== 'n' || attrs[1]?.[0] !== 'r') throw new ScramError('malformed');
  const username = decodeSaslname(attrs[0][1]);
  const nonce = attrs[1][1];
  if (username === '' || !PRINTABLE_NONCE.test(nonce)) throw new ScramError('malformed');
  if (m[2] !== undefined && decodeSaslname(m[2].slice(2)) !== username) throw new ScramError('authzid');
  return { username, clientFirstBare: bare, gs2Header: `${m[1]},${m[2] ?? ''},`, clientNonce: nonce };
}

/** One SCRAM exchange on the server. */
export class ScramServer {
  readonly #first: ScramFirst;
  readonly #keys: ScramKeys;
  readonly #nonce: string;
  readonly #serverFirst: string;

  constructor(first: ScramFirst, keys: ScramKeys, serverNonce = randomBytes(18).toString('base64')) {
    this.#first = first;
    this.#keys = keys;
    this.#nonce = first.clientNonce + serverNonce;
    this.#serverFirst = `r=${this.#nonce},s=${keys.salt},i=${keys.iterations}`;
  }

  /** server-first-message. */
  get serverFirst(): string {
    return this.#serverFirst;
  }

  /** Checks the client's proof; answers the server-final-message (`v=…`) or throws {@link ScramError}. */
  final(message: string): string {
    const p = message.lastIndexOf(',p=');
    if (p === -1) throw new ScramError('malformed');
    const withoutProof = message.slice(0, p);
    const attrs = attributes(withoutProof);
    if (attrs[0]?.[0] !== 'c' || attrs[1]?.[0] !== 'r') throw new ScramError('malformed');
    if (Buffer.from(attrs[0][1], 'base64').toString('latin1') !== this.#first.gs2Header)
      throw new ScramError('channel-binding');
    if (attrs[1][1] !== this.#nonce) throw new ScramError('nonce');
    const proof = Buffer.from(message.slice(p + 3), 'base64');
    const storedKey = Buffer.from(this.#keys.storedKey, 'base64');
    if (proof.length !== storedKey.length) throw new ScramError('proof');
    const authMessage = `${this.#first.clientFirstBare},${this.#serverFirst},${withoutProof}`;
    const signature = hmac(storedKey, authMessage);
    const clientKey = Buffer.alloc(proof.length);
    for (let i = 0; i < proof.length; i++) clientKey[i] = proof[i]! ^ signature[i]!;
    if (!timingSafeEqual(sha256(clientKey), storedKey)) throw new ScramError('proof');
    return `v=${hmac(Buffer.from(this.#keys.serverKey, 'base64'), authMessage).toString('base64')}`;
  }
}
