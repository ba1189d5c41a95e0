import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Bus, Envelope } from '../../src/core/bus.js';
import { EVENT_VERSION } from '../../src/core/events.js';

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
      const got: Record<string, Envelope[]> = { a: [], b: [], c: [] };
      a!.subscribe((e) => got.a!.push(e));
      b!.subscribe((e) => got.b!.push(e));
      c!.subscribe((e) => got.c!.push(e));
      const sent = envelope(0, 'um');
      a!.publish(sent);
      a!.publish(envelope(0, 'dois'));
      assert.equal(got.a!.length, 0);
      for (const list of [got.b!, got.c!]) {
        assert.deepEqual(
          list.map((e) => (e.event.type === 'message' ? e.event.message.text : '')),
          ['um', 'dois'],
        );
        const first = list[0]!;
        assert.notEqual(first.event, sent.event, 'a copy, not the live object');
        assert.deepEqual(first.event.wire, {}, 'the per-door bytes stay on their node');
        assert.deepEqual(first.scope, sent.scope);
        assert.equal(first.origin, 0);
      }
      await Promise.all([a, b, c].map((x) => x!.close()));
    });

    it('delivers nothing to a node that closed', async () => {
      const [a, b] = await network(2);
      let n = 0;
      b!.subscribe(() => n++);
      await b!.close();
      a!.publish(envelope(0, 'tarde'));
      assert.equal(n, 0);
      await a!.close();
    });
  });
}
