import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Sink } from '../../src/core/events.js';
import type { NickRegistry } from '../../src/core/nicks.js';
import { User } from '../../src/core/user.js';

const sink: Sink = { door: 'test', deliver: () => undefined, disconnect: () => undefined };
let ids = 0;
const person = (nick: string) => new User(++ids, sink, { nick, host: 'h' });

/** Every nickname registry passes this: `fresh()` gives an empty registry. */
export function nicksContract(name: string, fresh: () => Promise<NickRegistry> | NickRegistry): void {
  describe(`${name}: nickname registry contract`, () => {
    it('grants a free name, refuses a held one, gives it back on release by its holder only', async () => {
      const nicks = await fresh();
      const ana = person('ana');
      const other = person('ana');
      assert.equal(await nicks.claim('ana', ana), true);
      assert.equal(await nicks.claim('ana', ana), true, 'the holder may claim again');
      assert.equal(await nicks.claim('ana', other), false);
      assert.equal(nicks.get('ana'), ana);
      nicks.release('ana', other);
      assert.equal(nicks.get('ana'), ana, 'a release by someone else changes nothing');
      nicks.release('ana', ana);
      assert.equal(nicks.get('ana'), undefined);
      assert.equal(await nicks.claim('ana', other), true);
    });

    it('of many claims of one free name at the same moment, exactly one wins', async () => {
      const nicks = await fresh();
      const claimants = Array.from({ length: 20 }, () => person('bia'));
      const won = await Promise.all(claimants.map((u) => nicks.claim('bia', u)));
      assert.equal(won.filter(Boolean).length, 1);
      assert.equal(nicks.get('bia'), claimants[won.indexOf(true)]);
    });

    it('counts and lists its holders', async () => {
      const nicks = await fresh();
      const a = person('a');
      const b = person('b');
      await nicks.claim('a', a);
      await nicks.claim('b', b);
      assert.equal(nicks.size, 2);
      assert.deepEqual(new Set(nicks.values()), new Set([a, b]));
      nicks.release('a', a);
      assert.equal(nicks.size, 1);
    });
  });
}
