import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { catalogueEntry, catalogueKeys, langFromEnv, parseLang, t } from '../../src/i18n/index.js';

describe('message catalogue', () => {
  it('has every entry in both languages with the same placeholders', () => {
    const keys = catalogueKeys();
    assert.ok(keys.length > 10);
    for (const key of keys) {
      const e = catalogueEntry(key)!;
      assert.ok(e.en.length > 0 && e['pt-BR'].length > 0, key);
      const ph = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      assert.deepEqual(ph(e['pt-BR']), ph(e.en), `placeholders of ${key}`);
    }
  });

  it('fills placeholders', () => {
    assert.equal(t('pt-BR', 'cli.error.refused', { host: 'h', port: 1 }).startsWith('conexão recusada por h:1'), true);
  });

  it('follows the environment like POSIX: LC_ALL, LC_MESSAGES, LANG', () => {
    assert.equal(langFromEnv({ LANG: 'pt_BR.UTF-8' }), 'pt-BR');
    assert.equal(langFromEnv({ LANG: 'pt_BR.UTF-8', LC_ALL: 'en_US.UTF-8' }), 'en');
    assert.equal(langFromEnv({ LANG: 'C.UTF-8' }), 'en');
    assert.equal(langFromEnv({}), 'en');
    assert.equal(parseLang('pt-br'), 'pt-BR');
    assert.equal(parseLang('de'), undefined);
  });
});
