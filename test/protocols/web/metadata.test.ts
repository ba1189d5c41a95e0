import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryAccountStore } from '../../../src/core/account-store.js';
import { addAccount, ircLogin } from '../../helpers/irc-account.js';
import type { RawClient } from '../irc/client.js';
import { JsonClient, webAndIrc } from './helpers.js';

describe('web door: display name and avatar (IRC draft/metadata-2 keys)', () => {
  const doors = webAndIrc({ serverName: 'irc.test' }, async () => {
    const store = new MemoryAccountStore();
    await addAccount(store, 'ana');
    return { accountStore: store };
  });
  /** ana's IRC connection, logged in to her account (made in the second test). */
  let phone: RawClient;
  /** ana's web page, logged in to her account (made in the second test). */
  let anaWeb: JsonClient;
  const ircClient = async (nick: string, account?: string) =>
    (await ircLogin(doors.ircPort, nick, { caps: 'draft/metadata-2 batch sasl', account, keep: doors.open })).c;

  it('an IRC user sets a display name and avatar: web members carry them, and the live change', async () => {
    const rui = await ircClient('rui');
    rui.send('METADATA * SET display-name :Rui Barbosa', 'METADATA * SET avatar :https://img.test/rui.png');
    await rui.expect(/ 761 rui rui avatar /);
    rui.send('JOIN #geral');
    await rui.expect(/ 366 rui #geral /);
    const web = await JsonClient.chat(doors.url, 'lia');
    doors.open.push(web);
    web.send({ type: 'who', room: '#geral' });
    const who = await web.next((m) => m.type === 'members');
    const members = who.members as Array<Record<string, unknown>>;
    const seen = members.find((m) => m.nick === 'rui');
    assert.deepEqual([seen?.displayName, seen?.avatar], ['Rui Barbosa', 'https://img.test/rui.png']);
    rui.send('METADATA * SET display-name :Rui B.');
    const live = await web.next((m) => m.type === 'metadata');
    assert.deepEqual([live.nick, live.key, live.value], ['rui', 'display-name', 'Rui B.']);
    // An avatar the page may not show (not https) reaches the web as removed; other keys not at all.
    rui.send('METADATA * SET avatar :javascript:alert(1)', 'METADATA * SET pronouns :ele/dele');
    const gone = await web.next((m) => m.type === 'metadata');
    assert.deepEqual([gone.key, 'value' in gone], ['avatar', false]);
    rui.send('METADATA * SET display-name :Rui');
    assert.equal((await web.next((m) => m.type === 'metadata')).value, 'Rui');
    // Someone joining: the presence carries their display name and avatar.
    const teo = await ircClient('teo');
    teo.send('METADATA * SET display-name :Teodoro', 'METADATA * SET avatar :https://img.test/teo.png', 'JOIN #geral');
    const joined = await web.next((m) => m.type === 'presence' && m.nick === 'teo');
    assert.deepEqual([joined.displayName, joined.avatar], ['Teodoro', 'https://img.test/teo.png']);
  });

  it('a web user sets theirs: IRC clients with the cap get METADATA; the account keeps it; bad values are refused', async () => {
    const bia = await ircClient('bia');
    bia.send('METADATA * SUB display-name avatar', 'JOIN #sala');
    await bia.expect(/ 366 bia #sala /);
    const web = (anaWeb = await JsonClient.chat(doors.url, 'ana', '#sala', { password: 's3nha-de-ana' }));
    doors.open.push(web);
    web.send({ type: 'metadata', ref: 7, key: 'display-name', value: 'Ana Lima' });
    const answer = await web.next((m) => m.type === 'metadata');
    assert.deepEqual([answer.ref, answer.nick, answer.key, answer.value], [7, 'ana', 'display-name', 'Ana Lima']);
    assert.equal(await bia.expect(/ METADATA ana /), ':irc.test METADATA ana display-name * :Ana Lima');
    web.send({ type: 'metadata', key: 'avatar', value: 'https://img.test/ana.png' });
    assert.equal(await bia.expect(/ METADATA ana /), ':irc.test METADATA ana avatar * :https://img.test/ana.png');
    assert.equal((await web.next((m) => m.type === 'metadata')).value, 'https://img.test/ana.png');

    const refusals: Array<[Record<string, unknown>, string]> = [
      [{ key: 'display-name', value: 'x'.repeat(65) }, 'DISPLAY_NAME_INVALID'],
      [{ key: 'display-name', value: 'a\u0007b' }, 'DISPLAY_NAME_INVALID'],
      [{ key: 'avatar', value: 'http://img.test/a.png' }, 'AVATAR_INVALID'],
      [{ key: 'avatar', value: `https://img.test/${'a'.repeat(300)}` }, 'AVATAR_INVALID'],
      [{ key: 'avatar', value: 'https://img.test/a b.png' }, 'AVATAR_INVALID'],
      [{ key: 'pronouns', value: 'ela' }, 'METADATA_KEY'],
    ];
    for (const [fields, code] of refusals) {
      web.send({ type: 'metadata', ref: code, ...fields });
      const refused = await web.next((m) => m.type === 'error');
      assert.deepEqual([refused.ref, refused.code], [code, code]);
      assert.ok(typeof refused.text === 'string' && !refused.text.includes('web.error'), String(refused.text));
    }

    // The account's IRC connection gets it on connection; a web page of the account has it in members.
    phone = await ircClient('ana_tel', 'ana');
    phone.send('METADATA ana_tel GET display-name avatar');
    assert.match(await phone.expect(/ 761 \S+ ana_tel display-name /), / :Ana Lima$/);
    assert.match(await phone.expect(/ 761 \S+ ana_tel avatar /), / https:\/\/img\.test\/ana\.png$/);
    // Removing (an empty value) is told too, and synced to the account's other connection.
    phone.send('METADATA * SUB display-name');
    await phone.expect(/ 770 /);
    web.send({ type: 'metadata', key: 'display-name', value: '' });
    assert.equal('value' in (await web.next((m) => m.type === 'metadata')), false);
    assert.equal(await bia.expect(/ METADATA ana /), ':irc.test METADATA ana display-name :*');
    assert.equal(await phone.expect(/ METADATA ana_tel /), ':irc.test METADATA ana_tel display-name :*');
  });

  it("a change on the account's IRC connection reaches its web page as its own", async () => {
    const web = anaWeb;
    phone.send('METADATA * SET display-name :Ana do celular');
    const own = await web.next((m) => m.type === 'metadata');
    assert.deepEqual([own.nick, own.key, own.value], ['ana', 'display-name', 'Ana do celular']);
  });
});
