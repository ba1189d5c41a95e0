import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { HubError } from '../../src/core/errors.js';
import type { HubEvent, Sink } from '../../src/core/events.js';
import { MemoryHistory } from '../../src/core/history.js';
import { HeldMessages } from '../../src/core/held-messages.js';
import { Hub } from '../../src/core/hub.js';
import { GatedStore } from '../helpers/gated-history.js';

class Recorder implements Sink {
  readonly door = 'test';
  texts: string[] = [];
  deliver(e: HubEvent): void {
    if (e.type === 'message') this.texts.push(e.message.text);
  }
  disconnect(): void {}
}

async function setup() {
  const store = new GatedStore();
  const hub = new Hub({ history: store });
  const mk = async (nick: string) => {
    const sink = new Recorder();
    const user = await hub.register(sink, { nick, host: '127.0.0.1' });
    hub.join(user, '#geral');
    return { sink, user };
  };
  return { store, hub, ana: await mk('ana'), bia: await mk('bia') };
}

describe('Hub with an asynchronous history store', () => {
  it('delivers a room message only once its commit resolved, turn by turn in commit order', async () => {
    const { store, hub, ana, bia } = await setup();
    const first = hub.message(ana.user, '#geral', 'um');
    const second = hub.message(bia.user, '#geral', 'dois');
    assert.ok(first instanceof Promise && second instanceof Promise);
    await store.asked(1);
    assert.deepEqual(
      store.commits[0]!.rows.map((m) => m.text),
      ['um', 'dois'],
      'one turn, one commit',
    );
    const third = hub.message(ana.user, '#geral', 'três');
    await store.asked(2);
    assert.deepEqual(bia.sink.texts, [], 'nothing before the commit');
    store.commits[0]!.pass();
    assert.equal((await first).text, 'um');
    assert.equal((await second).text, 'dois');
    assert.deepEqual(bia.sink.texts, ['um']);
    assert.deepEqual(ana.sink.texts, ['dois']);
    store.commits[1]!.pass();
    await third;
    assert.deepEqual(bia.sink.texts, ['um', 'três']);
    assert.deepEqual(
      (await hub.roomHistory('#geral', { limit: 10 })).map((m) => m.text),
      ['um', 'dois', 'três'],
    );
  });

  it('refuses to the sender what could not be stored, and no one receives it', async () => {
    const { store, hub, ana, bia } = await setup();
    const lost = hub.message(ana.user, '#geral', 'perdida');
    await store.asked(1);
    store.commits[0]!.fail();
    await assert.rejects(
      Promise.resolve(lost),
      (e: unknown) => e instanceof HubError && e.reason === 'NOT_STORED' && e.params.room === '#geral',
    );
    assert.deepEqual(bia.sink.texts, []);
    const kept = hub.message(ana.user, '#geral', 'guardada');
    await store.asked(2);
    store.commits[1]!.pass();
    await kept;
    assert.deepEqual(bia.sink.texts, ['guardada']);
    // Private messages are not kept: they go at once.
    const dm = hub.message(ana.user, 'bia', 'só pra você');
    assert.ok(!(dm instanceof Promise));
    assert.deepEqual(bia.sink.texts, ['guardada', 'só pra você']);
  });

  it('a synchronous store keeps the synchronous path: a message, not a promise, delivered at once', async () => {
    const hub = new Hub({ history: new MemoryHistory() });
    const sink = new Recorder();
    const ana = await hub.register(new Recorder(), { nick: 'ana', host: 'h' });
    const bia = await hub.register(sink, { nick: 'bia', host: 'h' });
    hub.join(ana, '#geral');
    hub.join(bia, '#geral');
    const sent = hub.message(ana, '#geral', 'já');
    assert.ok(!(sent instanceof Promise));
    assert.deepEqual(sink.texts, ['já']);
  });
});

describe('HeldMessages: flushes spaced under load', () => {
  it('flushes at once when the last flush is older than the spacing, else waits for it; one flush carries all held meanwhile', async () => {
    const store = new GatedStore();
    const hub = new Hub();
    const ana = await hub.register(new Recorder(), { nick: 'ana', host: 'h' });
    const room = hub.join(ana, '#geral');
    const sent: string[] = [];
    const held = new HeldMessages(
      store,
      (m) => (sent.push(m.message.text), m.resolve(m.message)),
      () => 40,
    );
    const hold = (text: string) => {
      const message = {
        seq: 1,
        id: '1',
        time: 0,
        target: '#geral',
        private: false,
        from: 'ana',
        fromMask: 'ana!a@h',
        text,
        kind: 'message' as const,
      };
      store.append(message);
      return held.hold(room, ana, { v: 1, type: 'message', time: 0, message, wire: {} }, message);
    };
    const first = hold('um');
    await store.asked(1);
    const t0 = performance.now();
    const second = hold('dois');
    await new Promise((r) => setImmediate(r));
    const third = hold('três');
    await store.asked(2);
    const waited = performance.now() - t0;
    assert.ok(waited >= 35, `the second flush waited for the spacing (${waited.toFixed(1)} ms)`);
    assert.deepEqual(
      store.commits[1]!.rows.map((m) => m.text),
      ['dois', 'três'],
      'one flush for both',
    );
    store.commits[0]!.pass();
    store.commits[1]!.pass();
    await Promise.all([first, second, third]);
    assert.deepEqual(sent, ['um', 'dois', 'três']);
  });
});
