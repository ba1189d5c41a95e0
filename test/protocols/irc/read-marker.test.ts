import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryAccountStore } from '../../../src/core/account-store.js';
import { addAccount, ircLogin } from '../../helpers/irc-account.js';
import { ircSuite } from './suite.js';

const CAPS = 'draft/read-marker sasl server-time';

describe('IRC draft/read-marker (MARKREAD)', () => {
  const store = new MemoryAccountStore();
  const srv = ircSuite(
    { line: null },
    async () => {
      await addAccount(store, 'ana');
      return { accountStore: store };
    },
    'tomada-rm-',
  );
  /** Registers `nick`, logged in to `account` with SASL PLAIN when given. */
  const connect = async (nick: string, account?: string, caps = CAPS) =>
    (await ircLogin(srv.port, nick, { caps, account, keep: srv.clients })).c;

  it('is offered; MARKREAD on join comes after JOIN and before RPL_ENDOFNAMES, `*` when there is none', async () => {
    const c = await connect('leitor');
    c.send('CAP LS 302');
    assert.match(await c.expect(/ CAP \S+ LS /), / draft\/read-marker( |$)/);
    c.send('JOIN #lido');
    const lines = await c.collect(/ 366 leitor #lido /);
    const join = lines.findIndex((l) => / JOIN #lido/.test(l));
    const mark = lines.findIndex((l) => l.endsWith(' MARKREAD #lido *'));
    assert.ok(join >= 0 && mark > join, lines.join('\n'));
    // Without the capability: no MARKREAD on join.
    const d = await connect('semcap', undefined, 'server-time');
    d.send('JOIN #lido');
    const plain = await d.collect(/ 366 semcap #lido /);
    assert.ok(!plain.some((l) => / MARKREAD /.test(l)), plain.join('\n'));
  });

  it('sets, answers with the marker kept, never moves back, and refuses what is not a marker', async () => {
    const c = await connect('marca');
    c.send('MARKREAD #sala timestamp=2026-01-04T14:33:26.123Z');
    assert.equal(await c.expect(/ MARKREAD /), ':tomada.local MARKREAD #sala timestamp=2026-01-04T14:33:26.123Z');
    c.send('MARKREAD #sala timestamp=2025-01-01T00:00:00.000Z');
    assert.equal(await c.expect(/ MARKREAD /), ':tomada.local MARKREAD #sala timestamp=2026-01-04T14:33:26.123Z');
    c.send('MARKREAD #SALA');
    assert.equal(await c.expect(/ MARKREAD /), ':tomada.local MARKREAD #SALA timestamp=2026-01-04T14:33:26.123Z');
    // A time in the future is kept as now.
    c.send('MARKREAD outra timestamp=2999-01-01T00:00:00.000Z');
    const now = /timestamp=(\S+)$/.exec(await c.expect(/ MARKREAD outra /))![1]!;
    assert.ok(Math.abs(Date.parse(now) - Date.now()) < 60_000, now);
    c.send('MARKREAD');
    assert.equal(await c.expect(/ FAIL /), ':tomada.local FAIL MARKREAD NEED_MORE_PARAMS :Missing parameters');
    c.send('MARKREAD #sala ontem');
    assert.equal(await c.expect(/ FAIL /), ':tomada.local FAIL MARKREAD INVALID_PARAMS ontem :Invalid parameters');
    c.send('MARKREAD #sala *');
    await c.expect(/ FAIL MARKREAD INVALID_PARAMS \* /);
    c.send('MARKREAD a,b timestamp=2026-01-04T14:33:26.123Z');
    await c.expect(/ FAIL MARKREAD INVALID_PARAMS a,b /);
    // A guest's markers are its connection's: another guest does not see them.
    const d = await connect('outro');
    d.send('MARKREAD #sala');
    assert.equal(await d.expect(/ MARKREAD /), ':tomada.local MARKREAD #sala *');
  });

  it('per account: every connection of the account is told, a guest is not, and it survives a restart', async () => {
    const phone = await connect('ana', 'ana');
    const laptop = await connect('ana_pc', 'ana');
    const guest = await connect('visita');
    phone.send('MARKREAD #geral timestamp=2026-02-01T10:00:00.000Z');
    assert.equal(await phone.expect(/ MARKREAD /), ':tomada.local MARKREAD #geral timestamp=2026-02-01T10:00:00.000Z');
    assert.equal(await laptop.expect(/ MARKREAD /), ':tomada.local MARKREAD #geral timestamp=2026-02-01T10:00:00.000Z');
    // An earlier marker moves nothing: the other connection hears nothing more.
    phone.send('MARKREAD #geral timestamp=2026-01-01T10:00:00.000Z', 'PING :fim');
    await phone.expect(/ PONG .*fim/);
    laptop.send('PING :fim');
    await laptop.expect(/ PONG .*fim/);
    assert.equal(laptop.lines.filter((l) => / MARKREAD /.test(l)).length, 1);
    guest.send('PING :fim');
    await guest.expect(/ PONG .*fim/);
    assert.ok(!guest.lines.some((l) => / MARKREAD /.test(l)));
    // On join, the account's marker.
    laptop.send('JOIN #geral');
    assert.match(await laptop.expect(/ MARKREAD #geral /), / MARKREAD #geral timestamp=2026-02-01T10:00:00\.000Z$/);
    // Kept in the data directory: a restarted server still has it.
    await srv.restart();
    const again = await connect('ana', 'ana');
    again.send('MARKREAD #geral');
    assert.equal(await again.expect(/ MARKREAD /), ':tomada.local MARKREAD #geral timestamp=2026-02-01T10:00:00.000Z');
  });
});
