import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';

/** The client side of SCRAM-SHA-256 (RFC 5802 §3 and §7), for tests: written from the RFC, not the server. */
export class ScramClient {
  readonly clientFirstBare: string;
  #authMessage = '';
  #saltedPassword: Buffer | undefined;

  constructor(
    readonly user: string,
    readonly password: string,
    readonly nonce = randomBytes(18).toString('base64'),
  ) {
    const name = user.replace(/=/g, '=3D').replace(/,/g, '=2C');
    this.clientFirstBare = `n=${name},r=${nonce}`;
  }

  get clientFirst(): string {
    return `n,,${this.clientFirstBare}`;
  }

  /** The client-final-message for a server-first-message. */
  final(serverFirst: string): string {
    const attrs: Record<string, string> = {};
    for (const kv of serverFirst.split(',')) attrs[kv.slice(0, 1)] = kv.slice(2);
    if (!attrs.r?.startsWith(this.nonce)) throw new Error('server nonce does not extend ours');
    const salted = pbkdf2Sync(this.password, Buffer.from(attrs.s ?? '', 'base64'), Number(attrs.i), 32, 'sha256');
    this.#saltedPassword = salted;
    const withoutProof = `c=${Buffer.from('n,,').toString('base64')},r=${attrs.r}`;
    this.#authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const clientKey = createHmac('sha256', salted).update('Client Key').digest();
    const storedKey = createHash('sha256').update(clientKey).digest();
    const signature = createHmac('sha256', storedKey).update(this.#authMessage).digest();
    const proof = Buffer.from(clientKey.map((b, i) => b ^ signature[i]!));
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  /** The `v=` the server must answer. */
  expectedServerFinal(): string {
    const serverKey = createHmac('sha256', this.#saltedPassword!).update('Server Key').digest();
    return `v=${createHmac('sha256', serverKey).update(this.#authMessage).digest('base64')}`;
  }
}
