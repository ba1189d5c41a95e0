import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { startChatServer, type ChatServer } from '../../../src/server/chat-server.js';
import { GatedStore } from '../../helpers/gated-history.js';
import { JsonClient } from './helpers.js';

describe('web door with an asynchronous history store', () => {
  let server: ChatServer;
  let url: string;
  const store = new GatedStore();
  before(async () => {
    server = await startChatServer(
      { line: null, irc: null, http: { host: '127.0.0.1', port: 0 }, history: 5 },
      { history: store },
    );
    url = `ws://127.0.0.1:${server.address('http')!.port}`;
  });
  after(() => server.close());

  it("the room's events that happen while a join waits for its history come after its `joined`", async () => {
    const ana = await JsonClient.chat(url, 'ana');
    const bia = await JsonClient.open(url);
    const order: string[] = [];
    bia.ws.on('message', (d: Buffer) => order.push((JSON.parse(d.toString()) as { type: string }).type));
    bia.send({ type: 'hello', nick: 'bia' });
    await bia.next((m) => m.type === 'welcome');
    store.holdReads = true;
    bia.send({ type: 'join', room: '#geral', ref: 1 });
    await store.askedRead(1);
    ana.send({ type: 'message', target: '#geral', text: 'enquanto bia entra', ref: 2 });
    await store.asked(1);
    store.commits[0]!.pass();
    await ana.next((m) => m.type === 'message' && m.ref === 2);
    store.reads[0]!();
    const joined = await bia.next((m) => m.type === 'joined');
    assert.equal(joined.ref, 1);
    const live = await bia.next((m) => m.type === 'message');
    assert.equal((live.message as { text: string }).text, 'enquanto bia entra');
    assert.deepEqual(
      order.filter((t) => t === 'joined' || t === 'message'),
      ['joined', 'message'],
    );
    store.holdReads = false;
    await Promise.all([ana.close(), bia.close()]);
  });

  it('a message that cannot be stored is an error frame to its sender, in their language, and reaches no one', async () => {
    const ana = await JsonClient.chat(url, 'cida', '#geral', { lang: 'pt-BR' });
    const bia = await JsonClient.chat(url, 'davi');
    const n = store.commits.length;
    ana.send({ type: 'message', target: '#geral', text: 'perdida', ref: 3 });
    await store.asked(n + 1);
    store.commits[n]!.fail();
    const err = await ana.next((m) => m.type === 'error' && m.ref === 3);
    assert.equal(err.code, 'NOT_STORED');
    assert.equal(err.room, '#geral');
    assert.match(String(err.text), /^Não enviada: a mensagem para #geral não pôde ser guardada/);
    ana.send({ type: 'message', target: '#geral', text: 'guardada', ref: 4 });
    await store.asked(n + 2);
    store.commits[n + 1]!.pass();
    const got = await bia.next((m) => m.type === 'message');
    assert.equal((got.message as { text: string }).text, 'guardada');
    await Promise.all([ana.close(), bia.close()]);
  });

  it('messages to a room go to the store while earlier ones commit, answered and delivered in order; a join waits for them', async () => {
    const eva = await JsonClient.chat(url, 'eva', '#fila');
    const fred = await JsonClient.chat(url, 'fred', '#fila');
    const n = store.commits.length;
    eva.send({ type: 'message', target: '#fila', text: 'um', ref: 10 });
    await store.asked(n + 1);
    // Not committed yet: the next one is handled all the same (before, it waited for the commit).
    eva.send({ type: 'message', target: '#fila', text: 'dois', ref: 11 });
    eva.send({ type: 'join', room: '#outra', ref: 12 });
    await store.asked(n + 2);
    assert.deepEqual(
      store.commits[n + 1]!.rows.map((m) => m.text),
      ['dois'],
    );
    const order: string[] = [];
    eva.ws.on('message', (d: Buffer) => {
      const m = JSON.parse(d.toString()) as { type: string; ref?: number };
      if (m.ref !== undefined) order.push(`${m.type} ${m.ref}`);
    });
    store.commits[n]!.pass();
    store.commits[n + 1]!.pass();
    await eva.next((m) => m.type === 'joined' && m.ref === 12);
    assert.deepEqual(order, ['message 10', 'message 11', 'joined 12']);
    const first = await fred.next((m) => m.type === 'message');
    const second = await fred.next((m) => m.type === 'message');
    assert.deepEqual(
      [first, second].map((m) => (m.message as { text: string }).text),
      ['um', 'dois'],
    );
    await Promise.all([eva.close(), fred.close()]);
  });

  it('a message resent from a new socket while the first is still being stored is answered with the first, stored once', async () => {
    const hana = await JsonClient.chat(url, 'hana', '#eco');
    const gil = await JsonClient.chat(url, 'gil', '#eco');
    const n = store.commits.length;
    gil.send({ type: 'message', target: '#eco', text: 'uma vez', key: 'k-eco-1', ref: 1 });
    await store.asked(n + 1);
    // The socket dies before the answer; the page comes back and sends it again, same key.
    await gil.close();
    await hana.next((m) => m.type === 'presence' && m.event === 'quit' && m.nick === 'gil');
    const again = await JsonClient.chat(url, 'gil', '#eco');
    again.send({ type: 'message', target: '#eco', text: 'uma vez', key: 'k-eco-1', ref: 2 });
    again.send({ type: 'message', target: '#eco', text: 'outra', key: 'k-eco-2', ref: 3 });
    await store.asked(n + 2);
    assert.deepEqual(
      store.commits[n + 1]!.rows.map((m) => m.text),
      ['outra'],
      'the resend is not stored again',
    );
    store.commits[n]!.pass();
    store.commits[n + 1]!.pass();
    const answer = await again.next((m) => m.type === 'message' && m.ref === 2);
    const first = await hana.next((m) => m.type === 'message');
    assert.equal((answer.message as { id: string }).id, (first.message as { id: string }).id, 'the original');
    await again.next((m) => m.type === 'message' && m.ref === 3);
    const kept = store.kept.query('#eco', { limit: 10 });
    assert.deepEqual(
      kept.map((k) => k.text),
      ['uma vez', 'outra'],
    );
    await Promise.all([hana.close(), again.close()]);
  });
});
