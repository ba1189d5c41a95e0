import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { chatConfig } from '../../src/server/config.js';
import { ConfigError } from '../../src/errors.js';

describe('chat configuration', () => {
  it('has the embedded defaults npm start runs with', () => {
    const c = chatConfig({});
    assert.deepEqual(c.line, { host: 'localhost', port: 5000 });
    assert.deepEqual(c.irc, { host: 'localhost', port: 6667 });
    assert.deepEqual(c.http, { host: 'localhost', port: 8080 });
    assert.equal(c.ircWs, null);
    assert.equal(c.room, '#geral');
    assert.equal(c.dataDir, './data');
  });

  it('reads door addresses written as the flags write them', () => {
    const c = chatConfig({ line: '0.0.0.0:5001', irc: 6668, http: '[::1]:8081', ircWs: 'off', ircs: false });
    assert.deepEqual(c.line, { host: '0.0.0.0', port: 5001 });
    assert.deepEqual(c.irc, { host: 'localhost', port: 6668 });
    assert.deepEqual(c.http, { host: '::1', port: 8081 });
    assert.equal(c.ircWs, null);
    assert.equal(c.ircs, null);
    assert.deepEqual(chatConfig({ line: '7000' }).line, { host: 'localhost', port: 7000 });
  });

  it('names the setting that is wrong', () => {
    assert.throws(
      () => chatConfig({ line: 'somewhere:abc' }),
      (e: unknown) => {
        assert.ok(e instanceof ConfigError);
        assert.match(e.message, /^line: /);
        return true;
      },
    );
    assert.throws(() => chatConfig({ irc: { host: 'x', port: 70000 } }), /^ConfigError: irc\.port: /);
  });
});
