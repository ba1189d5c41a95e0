import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Imports run one way: codec ← core ← storage/transports ← protocols ← server ← cli. A file may import
 * its own layer and the ones below it, never one above (the shared base, `i18n/` and the root files,
 * sits under everything). `index.ts` is the library's public face and may re-export any layer.
 */
const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const LAYER: Record<string, number> = {
  '': 0, // errors.ts, address.ts, version.ts
  i18n: 0,
  codec: 1,
  core: 2,
  storage: 3,
  transports: 3,
  cluster: 3, // the Redis adapters of the bus and the nickname registry
  protocols: 4,
  // Programs built on the protocols and transports, assembled by the CLI.
  server: 5,
  clients: 5,
  tools: 5,
  bench: 5,
  web: 5,
  cli: 6,
};

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(join(dir, d.name)) : d.name.endsWith('.ts') ? [join(dir, d.name)] : [],
  );
}

function layerOf(file: string): string {
  const rel = relative(SRC, file);
  return rel.includes('/') ? rel.split('/')[0]! : '';
}

describe('layers', () => {
  it('no file of src/ imports a layer above its own; core/ imports no door, transport or storage', () => {
    const wrong: string[] = [];
    for (const file of files(SRC)) {
      if (relative(SRC, file) === 'index.ts') continue;
      const from = layerOf(file);
      assert.ok(from in LAYER, `a folder with no layer: src/${from}`);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)[^'"]*?from\s+'(\.[^']+)'/g)) {
        const to = layerOf(resolve(dirname(file), m[1]!));
        if (LAYER[to]! > LAYER[from]!) wrong.push(`src/${relative(SRC, file)} imports ${m[1]} (${to} above ${from})`);
      }
    }
    assert.deepEqual(wrong, []);
  });
});
