import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryAccountStore } from '../../../src/core/account-store.js';
import { addAccount, ircLogin } from '../../helpers/irc-account.js';
import { ircSuite } from './suite.js';

const CAPS = 'draft/metadata-2 batch sasl';

describe('IRC metadata kept per account', () => {
  const store = new MemoryAccountStore();
  const srv = ircSuite(
    { line: null, serverName: 'irc.test' },
    async () => {
      await addAccount(store, 'ana');
      return { accountStore: store };
    },
    'tomada-meta-',
  );
  /** Registers `nick`, logged in to `account` with SASL PLAIN when given; resolves with the welcome lines. */
  const connect = (nick: string, account?: string) =>
    ircLogin(srv.port, nick, { caps: CAPS, account, keep: srv.clients });

  it("syncs a key to the account's other connection (and its room), and gives it back after a restart", async () => {
    const { c: phone } = await connect('ana_tel', 'ana');
    const { c: laptop } = await connect('ana_pc', 'ana');
    const { c: bia } = await connect('bia');
    phone.send('METADATA * SUB display-name');
    await phone.expect(/ 770 /);
    bia.send('METADATA * SUB display-name');
    await bia.expect(/ 770 /);
    for (const c of [phone, bia]) c.send('JOIN #sala');
    await bia.expect(/ 366 bia #sala /);
    await phone.expect(/ 366 ana_tel #sala /);
    laptop.send('METADATA * SET display-name :Ana Lima');
    assert.equal(await laptop.expect(/ 761 /), ':irc.test 761 ana_pc ana_pc display-name * :Ana Lima');
    // The other connection of the account now has it, is told, and so are those in its rooms.
    assert.equal(await phone.expect(/ METADATA /), ':irc.test METADATA ana_tel display-name * :Ana Lima');
    assert.equal(await bia.expect(/ METADATA /), ':irc.test METADATA ana_tel display-name * :Ana Lima');
    bia.send('METADATA ana_tel GET display-name');
    assert.match(await bia.expect(/ 761 /), / :irc\.test 761 bia ana_tel display-name \* :Ana Lima$/);

    // A guest's key stays with the connection.
    bia.send('METADATA * SET display-name :Bia');
    await bia.expect(/ 761 /);

    for (const c of srv.clients.splice(0)) c.close();
    await srv.restart();
    const { welcome } = await connect('ana', 'ana');
    // On connection, the batch of one's own metadata holds what the account keeps.
    assert.ok(
      welcome.some((l) => /^@batch=\S+ :irc\.test METADATA ana display-name \* :Ana Lima$/.test(l)),
      welcome.join('\n'),
    );
    const { c: bia2, welcome: guest } = await connect('bia');
    assert.ok(!guest.some((l) => / METADATA bia /.test(l)), guest.join('\n'));
    bia2.send('METADATA ana GET display-name');
    assert.match(await bia2.expect(/ 761 /), / :irc\.test 761 bia ana display-name \* :Ana Lima$/);
  });
});
