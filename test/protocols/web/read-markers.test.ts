import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryAccountStore } from '../../../src/core/account-store.js';
import { hashPassword } from '../../../src/core/passwords.js';
import { anaPhone } from '../../helpers/irc-account.js';
import { JsonClient, webAndIrc } from './helpers.js';

describe('web door: read markers, shared with IRC draft/read-marker', () => {
  const doors = webAndIrc({}, async () => {
    const store = new MemoryAccountStore();
    await store.create('ana', await hashPassword('s3nha-de-ana'));
    return { accountStore: store };
  });

  it('markread moves the account marker, IRC is told, joined carries it, IRC moves are told back', async () => {
    const phone = await anaPhone(doors.ircPort, doors.open);
    const web = await JsonClient.chat(doors.url, 'ana', '#geral', { password: 's3nha-de-ana' });
    doors.open.push(web);
    web.send({ type: 'markread', ref: 1, target: '#geral', time: Date.parse('2026-03-01T12:00:00.000Z') });
    const answer = await web.next((m) => m.type === 'markread');
    assert.equal(answer.ref, 1);
    assert.equal(answer.read, Date.parse('2026-03-01T12:00:00.000Z'));
    assert.equal(await phone.expect(/ MARKREAD /), ':tomada.local MARKREAD #geral timestamp=2026-03-01T12:00:00.000Z');
    // The IRC connection moves it: the web page is told.
    phone.send('MARKREAD #geral timestamp=2026-03-02T08:30:00.000Z');
    const told = await web.next((m) => m.type === 'markread');
    assert.deepEqual([told.target, told.read], ['#geral', Date.parse('2026-03-02T08:30:00.000Z')]);
    // Joining again: `joined` carries the marker.
    web.send({ type: 'part', room: '#geral' });
    web.send({ type: 'join', room: '#geral' });
    const joined = await web.next((m) => m.type === 'joined');
    assert.equal(joined.read, Date.parse('2026-03-02T08:30:00.000Z'));
    // A bad marker is refused like any bad message.
    const guest = await JsonClient.chat(doors.url, 'visita');
    doors.open.push(guest);
    guest.send({ type: 'markread', target: '#geral', time: -1 });
    const refused = await guest.next((m) => m.type === 'error');
    assert.equal(refused.code, 'BAD_MESSAGE');
  });
});
