import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AccountStore } from '../../src/core/account-store.js';

type MaybePromise<T> = T | Promise<T>;
import type { PasswordSecrets } from '../../src/core/passwords.js';
import type { RegisteredRoom, RoomStore } from '../../src/core/room-store.js';
import { roomSettings } from '../../src/core/room-registry.js';
import { Room } from '../../src/core/room.js';

const SECRETS: PasswordSecrets = {
  hash: 'not-a-real-hash',
  scram: { salt: 'c2FsdA==', iterations: 4096, storedKey: 'x', serverKey: 'y' },
};

function registered(name: string, founder: string): RegisteredRoom {
  const room = new Room(name);
  room.topic = { text: 'o tópico', setBy: founder, setAt: 1_700_000_000_000 };
  room.modes.key = 'chave';
  room.modes.moderated = true;
  room.bans.push({ mask: '$a:troll', setBy: founder, setAt: 1 });
  return { name: room.name, key: room.key, founder, registeredAt: 1_700_000_000_000, settings: roomSettings(room) };
}

/** Every registered-room store passes this; `make()` gives empty accounts and rooms that go together. */
export function roomStoreContract(
  name: string,
  make: () => MaybePromise<{ accounts: AccountStore; rooms: RoomStore }>,
): void {
  describe(`${name}: registered-room store contract`, () => {
    it('registers a room once (any case), gives it back whole, saves its settings, drops it', async () => {
      const { accounts, rooms } = await make();
      await accounts.create('Ana', SECRETS);
      const casa = registered('#Casa', 'Ana');
      assert.equal(await rooms.register(casa), true);
      assert.equal(await rooms.register(registered('#CASA', 'Ana')), false);
      assert.deepEqual(await rooms.get('#casa'), casa);
      assert.equal(await rooms.get('#outra'), undefined);
      const changed = { ...casa.settings, topic: undefined, modes: { ...casa.settings.modes, key: undefined } };
      assert.equal(await rooms.save('#CASA', changed), true);
      const back = await rooms.get('#casa');
      assert.equal(back?.settings.topic, undefined);
      assert.equal(back?.settings.modes.key, undefined);
      assert.equal(back?.settings.modes.moderated, true);
      assert.equal(await rooms.save('#outra', changed), false);
      assert.deepEqual(
        (await rooms.list()).map((r) => r.name),
        ['#Casa'],
      );
      assert.equal(await rooms.drop('#casa'), true);
      assert.equal(await rooms.drop('#casa'), false);
      assert.deepEqual(await rooms.list(), []);
      await accounts.close();
    });

    it("forgetFounder() removes the rooms an account founded, and no one else's", async () => {
      const { accounts, rooms } = await make();
      await accounts.create('ana', SECRETS);
      await accounts.create('bia', SECRETS);
      await rooms.register(registered('#a1', 'ana'));
      await rooms.register(registered('#a2', 'ANA'));
      await rooms.register(registered('#b1', 'bia'));
      await rooms.forgetFounder('Ana');
      assert.deepEqual(
        (await rooms.list()).map((r) => r.name),
        ['#b1'],
      );
      await accounts.close();
    });
  });
}
