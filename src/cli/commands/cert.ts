import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import type { Command } from 'commander';
import { parseIntFlag } from '../../address.js';
import type { CliContext } from '../context.js';

export interface CertOptions {
  /** Directory for `cert.pem` and `key.pem`. */
  out: string;
  days: number;
  /** DNS names and IP addresses the certificate is for; the first is the common name. */
  hosts: string[];
}

/**
 * Writes a self-signed development certificate (`cert.pem`) and its private key (`key.pem`, mode 0600)
 * for `--tls-cert`/`--tls-key`. Clients must be told to accept it (irssi `-tls_verify` off, WeeChat
 * `tls_verify off`), or to trust this one file.
 */
export async function writeSelfSignedCert(options: CertOptions): Promise<{ cert: string; key: string }> {
  const hosts = options.hosts.length > 0 ? options.hosts : ['localhost', '127.0.0.1', '::1'];
  const notBeforeDate = new Date();
  const notAfterDate = new Date(notBeforeDate.getTime() + options.days * 86_400_000);
  // Loaded here, not at start-up: it is the heaviest dependency (~15 MiB of RSS) and only `cert` needs it.
  const { default: selfsigned } = await import('selfsigned');
  const pems = await selfsigned.generate([{ name: 'commonName', value: hosts[0]! }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: hosts.map((h) => (isIP(h) ? { type: 7 as const, ip: h } : { type: 2 as const, value: h })),
      },
    ],
  });
  mkdirSync(options.out, { recursive: true });
  const cert = join(options.out, 'cert.pem');
  const key = join(options.out, 'key.pem');
  writeFileSync(cert, pems.cert);
  writeFileSync(key, pems.private, { mode: 0o600 });
  chmodSync(key, 0o600); // `mode` only applies to a new file: an old key.pem may have been readable by all
  return { cert, key };
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `tomada cert`: a self-signed development certificate. */
export function registerCert(program: Command, ctx: CliContext): void {
  program
    .command('cert')
    .description(ctx.tr('irc.cert.description'))
    .option('--out <dir>', ctx.tr('irc.cert.opt.out'), '.')
    .option('--days <n>', ctx.tr('irc.cert.opt.days'), '365')
    .option('--host <name>', ctx.tr('irc.cert.opt.host'), collect)
    .action(async (flags: { out: string; days: string; host?: string[] }) => {
      const days = parseIntFlag(flags.days, '--days', 1, 36_500);
      const hosts = flags.host ?? ['localhost', '127.0.0.1', '::1'];
      const { cert, key } = await writeSelfSignedCert({ out: flags.out, days, hosts });
      ctx.out(ctx.tr('irc.cert.written', { cert, key, hosts: hosts.join(', '), days }));
    });
}
