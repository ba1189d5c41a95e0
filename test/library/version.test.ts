import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer, RawClient } from '../protocols/irc/client.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'dist' ? [] : sources(p);
    return /\.ts$/.test(e.name) ? [p] : [];
  });
}

describe('the version is written once, in package.json', () => {
  it('no source file repeats it', () => {
    const literal = new RegExp(`['"\`][^'"\`]*\\b${pkg.version.replace(/\./g, '\\.')}\\b`);
    const offenders = sources(path.join(ROOT, 'src')).filter((f) => literal.test(readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('IRC says package.json’s version (002, 004)', async () => {
    const { server, port } = await startTestServer({ line: null });
    const c = new RawClient(port);
    await c.ready;
    try {
      c.send('NICK ver', 'USER v 0 * :v');
      await c.expect(
        new RegExp(` 002 ver :Your host is \\S+, running version tomada-${pkg.version.replace(/\./g, '\\.')}$`),
      );
      await c.expect(new RegExp(` 004 ver \\S+ tomada-${pkg.version.replace(/\./g, '\\.')} `));
    } finally {
      c.close();
      await server.close();
    }
  });
});
