import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { serveConfig } from '../../src/cli/commands/chat.js';
import type { CliContext } from '../../src/cli/context.js';
import { chatConfig } from '../../src/server/config.js';

describe('--client-tag-deny', () => {
  const ctx = { lang: 'en' } as CliContext;
  it('fills clientTagDeny from a comma-separated list; none by default', () => {
    assert.deepEqual(serveConfig({ logLevel: 'info', clientTagDeny: '*,-typing' }, ctx, false).clientTagDeny, [
      '*',
      '-typing',
    ]);
    assert.deepEqual(chatConfig(serveConfig({ logLevel: 'info' }, ctx, false)).clientTagDeny, []);
  });
  it('refuses a name a tag cannot have', () => {
    assert.throws(() => chatConfig({ clientTagDeny: ['a b'] }));
  });
});
