import { createHash, createHmac, pbkdf2, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashing for accounts. The login hash is scrypt (memory-hard, RFC 7914) from `node:crypto`,
 * always the asynchronous call (it runs on the libuv pool, never blocking the event loop). Beside it,
 * the keys SCRAM-SHA-256 needs (RFC 5802 §3, RFC 7677): the password itself is never kept.
 */

/** scrypt cost: N = 2^15, r = 8, p = 1 (32 MiB and some 50–100 ms per hash). */
export const SCRYPT = { N: 2 ** 15, r: 8, p: 1, keyLen: 32, saltLen: 16 } as const;
/** PBKDF2-HMAC-SHA-256 iterations for SCRAM's SaltedPassword (RFC 7677 asks for at least 4096). */
export const SCRAM_ITERATIONS = 4096;
/** Longest password accepted, in UTF-8 bytes (bounded input: a megabyte password is work for nothing). */
export const PASSWORD_MAX_BYTES = 256;
export const PASSWORD_MIN_CHARS = 4;

// scrypt needs 128·N·r bytes; Node's default limit (32 MiB) is exactly that, so give it room.
const SCRYPT_MAXMEM = 128 * SCRYPT.N * SCRYPT.r * 2;

/** What an account keeps of its password (all binary values base64). */
export interface PasswordSecrets {
  /** `scrypt$N$r$p$salt$hash`. */
  hash: string;
  scram: ScramKeys;
}

export interface ScramKeys {
  salt: string;
  iterations: number;
  storedKey: string;
  serverKey: string;
}

export type PasswordProblem = 'empty' | 'tooShort' | 'tooLong' | 'badChars';

/** Why a new password cannot be used (too short, too long, control characters), if it cannot. */
export function passwordProblem(password: string): PasswordProblem | undefined {
  if (password === '') return 'empty';
  if (Buffer.byteLength(password) > PASSWORD_MAX_BYTES) return 'tooLong';
  // U+FFFD: what a decoder put for bytes that were not UTF-8.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\ufffd]/.test(password)) return 'badChars';
  if ([...password].length < PASSWORD_MIN_CHARS) return 'tooShort';
  return undefined;
}

/**
 * The password as SCRAM hashes it. RFC 5802 asks for SASLprep (RFC 4013); NFKC is its normalisation
 * step (the mapping and prohibited tables are not applied: control characters are refused anyway).
 */
export function normalisePassword(password: string): string {
  return password.normalize('NFKC');
}

function scryptAsync(password: string, salt: Buffer, N: number, r: number, p: number, len: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, len, { N, r, p, maxmem: SCRYPT_MAXMEM }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

function pbkdf2Async(password: string, salt: Buffer, iterations: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    pbkdf2(password, salt, iterations, 32, 'sha256', (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export const hmac = (key: Buffer, data: string | Buffer): Buffer => createHmac('sha256', key).update(data).digest();
export const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

/** SCRAM's keys from a SaltedPassword (RFC 5802 §3). */
export function scramKeysFrom(salted: Buffer): { storedKey: Buffer; serverKey: Buffer } {
  const clientKey = hmac(salted, 'Client Key');
  return { storedKey: sha256(clientKey), serverKey: hmac(salted, 'Server Key') };
}

/** Hashes a new password: scrypt for logins, and the SCRAM-SHA-256 keys. */
export async function hashPassword(password: string): Promise<PasswordSecrets> {
  const pw = normalisePassword(password);
  const salt = randomBytes(SCRYPT.saltLen);
  const scramSalt = randomBytes(SCRYPT.saltLen);
  const [key, salted] = await Promise.all([
    scryptAsync(pw, salt, SCRYPT.N, SCRYPT.r, SCRYPT.p, SCRYPT.keyLen),
    pbkdf2Async(pw, scramSalt, SCRAM_ITERATIONS),
  ]);
  const { storedKey, serverKey } = scramKeysFrom(salted);
  return {
    hash: ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64'), key.toString('base64')].join('$'),
    scram: {
      salt: scramSalt.toString('base64'),
      iterations: SCRAM_ITERATIONS,
      storedKey: storedKey.toString('base64'),
      serverKey: serverKey.toString('base64'),
    },
  };
}

/** A hash that stands in for an unknown account, so a wrong name costs the same time as a wrong password. */
let decoy: Promise<PasswordSecrets> | undefined;
export function decoySecrets(): Promise<PasswordSecrets> {
  return (decoy ??= hashPassword(randomBytes(18).toString('base64')));
}

/** Whether `password` matches `hash` (constant-time comparison of the derived keys). */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const parts = hash.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  if (Buffer.byteLength(password) > PASSWORD_MAX_BYTES || expected.length === 0) return false;
  const key = await scryptAsync(normalisePassword(password), salt, N, r, p, expected.length);
  return timingSafeEqual(key, expected);
}
