import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Bus, BusMessage, ControlEnvelope, Envelope } from '../../src/core/bus.js';
import { EVENT_VERSION } from '../../src/core/events.js';

const text = (e: Envelope) => (e.event.type === 'message' ? e.event.message.text : e.event.type);

/** What a node's handler got; `count(n)` resolves once n envelopes came (a bus may deliver later). */
class Received {
  readonly list: Envelope[] = [];
  readonly controls: ControlEnvelope[] = [];
  #waiting: Array<{ n: number; resolve: (l: Envelope[]) => void }> = [];
  readonly push = (e: BusMessage): void => {
    if ('control' in e) {
      this.controls.push(e);
      return;
    }
    this.list.push(e);
    this.#waiting = this.#waiting.filter((w) => (this.list.length >= w.n ? (w.resolve(this.list), false) : true));
  };
  count(n: number, ms = 5_000): Promise<Envelope[]> {
    if (this.list.length >= n) return Promise.resolve(this.list);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.list.length} of ${n} envelopes in ${ms} ms: ${this.list.map(text).join(', ')}`)),
        ms,
      );
      this.#waiting.push({ n, resolve: (l) => (clearTimeout(timer), resolve(l)) });
    });
  }
}

/** Every bus adapter passes this: `network(n)` gives the buses of n nodes of one fresh network. */
export function busContract(name: string, network: (nodes: number) => Promise<Bus[]> | Bus[]): void {
  const envelope = (origin: number, text: string): Envelope => ({
    v: EVENT_VERSION,
    origin,
    scope: { kind: 'room', room: '#geral', except: 1 },
    event: {
      v: EVENT_VERSION,
      type: 'message',
      time: 1_000,
      message: {
        seq: 1,
        id: '1',
        time: 1_000,
        target: '#geral',
        private: false,
        from: 'ana',
        fromMask: 'ana!ana@h',
        text,
        kind: 'message',
      },
      wire: { line: Buffer.from('ana: not for the wire\n') },
    },
  });

  describe(`${name}: bus contract`, () => {
    it('numbers its nodes 0…n-1 of n', async () => {
      const buses = await network(3);
      assert.deepEqual(
        buses.map((b) => [b.node, b.nodes]),
        [
          [0, 3],
          [1, 3],
          [2, 3],
        ],
      );
      await Promise.all(buses.map((b) => b.close()));
    });

    it('carries an envelope to every other node, as data, in publishing order, never back to its sender', async () => {
      const [a, b, c] = await network(3);
      const got = { a: new Received(), b: new Received(), c: new Received() };
      a!.subscribe(got.a.push);
      b!.subscribe(got.b.push);
      c!.subscribe(got.c.push);
      const sent = envelope(0, 'um');
      a!.publish(sent);
      a!.publish(envelope(0, 'dois'));
      for (const r of [got.b, got.c]) {
        const list = await r.count(2);
        assert.deepEqual(list.map(text), ['um', 'dois']);
        const first = list[0]!;
        assert.notEqual(first.event, sent.event, 'a copy, not the live object');
        assert.deepEqual(first.event.wire, {}, 'the per-door bytes stay on their node');
        assert.deepEqual(first.scope, sent.scope);
        assert.equal(first.origin, 0);
      }
      // B answers after it has seen A's two: when A has B's answer, it has read past its own two.
      b!.publish(envelope(1, 'fim'));
      assert.deepEqual((await got.a.count(1)).map(text), ['fim'], 'its own envelopes never come back');
      await Promise.all([a, b, c].map((x) => x!.close()));
    });

    it('carries a node’s word about itself (control) beside the events, in order', async () => {
      const [a, b] = await network(2);
      const got = new Received();
      b!.subscribe(got.push);
      a!.publish({ v: EVENT_VERSION, origin: 0, control: { kind: 'hello' } });
      a!.publish(envelope(0, 'depois'));
      assert.deepEqual((await got.count(1)).map(text), ['depois']);
      assert.deepEqual(got.controls, [{ v: EVENT_VERSION, origin: 0, control: { kind: 'hello' } }]);
      await Promise.all([a!.close(), b!.close()]);
    });

    it('delivers nothing to a node that closed', async () => {
      const [a, b, c] = await network(3);
      let n = 0;
      b!.subscribe(() => n++);
      const atC = new Received();
      c!.subscribe(atC.push);
      await b!.close();
      a!.publish(envelope(0, 'tarde'));
      assert.deepEqual((await atC.count(1)).map(text), ['tarde']);
      assert.equal(n, 0);
      await Promise.all([a!.close(), c!.close()]);
    });
  });
}
