import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryAccountStore } from '../../src/core/account-store.js';
import { HubError } from '../../src/core/errors.js';
import { Hub } from '../../src/core/hub.js';
import { Recorder as BaseRecorder } from './recorder.js';
import { Identity } from '../../src/core/identity.js';
import type { PasswordSecrets } from '../../src/core/passwords.js';
import { RoomRegistry } from '../../src/core/room-registry.js';
import { MemoryRoomStore } from '../../src/core/room-store.js';

const SECRETS: PasswordSecrets = {
  hash: 'x',
  scram: { salt: 'c2FsdA==', iterations: 4096, storedKey: 'x', serverKey: 'y' },
};

class Recorder extends BaseRecorder {
  /** The `+o` grants this user saw, as `nick`. */
  opped(): string[] {
    return this.events.flatMap((e) =>
      e.type === 'mode' ? e.changes.filter((c) => c.mode === 'op' && c.adding).map((c) => c.param!) : [],
    );
  }
}

/** Lets the registry's checks against the stores (promises) finish. */
const settle = () => new Promise((r) => setImmediate(r));

async function setup() {
  let now = 1_000;
  const accounts = new MemoryAccountStore(() => now);
  const rooms = new MemoryRoomStore();
  const hub = new Hub();
  const registry = await RoomRegistry.open(hub, rooms, new Identity(accounts), { now: () => now });
  const user = async (nick: string, account?: string) => {
    const sink = new Recorder();
    const u = await hub.register(sink, {
      nick,
      host: 'h',
      ...(account ? { account: { name: account, oper: false } } : {}),
    });
    return { sink, user: u };
  };
  return { accounts, rooms, hub, registry, user, tick: (ms: number) => (now += ms) };
}

describe('RoomRegistry: rooms with an owner', () => {
  it('keeps settings from registration on; a room made again has them, and its maker is not operator', async () => {
    const { accounts, hub, registry, user } = await setup();
    await accounts.create('ana', SECRETS);
    const ana = await user('ana', 'ana');
    hub.join(ana.user, '#casa');
    assert.equal(await registry.register(ana.user, '#CASA'), 'REGISTERED');
    hub.setTopic(ana.user, '#casa', 'o tópico');
    hub.setModes(ana.user, '#casa', [
      { adding: true, mode: 'key', param: 'chave' },
      { adding: true, mode: 'ban', param: '$a:troll' },
    ]);
    hub.part(ana.user, '#casa');
    assert.equal(hub.findRoom('#casa'), undefined, 'the room is gone');

    const zeca = await user('zeca');
    assert.throws(
      () => hub.join(zeca.user, '#casa'),
      (e) => e instanceof HubError && e.reason === 'BAD_KEY',
    );
    assert.equal(hub.findRoom('#casa'), undefined, 'a refused maker leaves no room behind');
    const room = hub.join(zeca.user, '#casa', 'chave');
    assert.equal(room.topic?.text, 'o tópico');
    assert.deepEqual(
      room.bans.map((b) => b.mask),
      ['$a:troll'],
    );
    assert.equal(room.isOp(zeca.user), false);
    const troll = await user('outro', 'troll');
    assert.throws(
      () => hub.join(troll.user, '#casa', 'chave'),
      (e) => e instanceof HubError && e.reason === 'BANNED',
    );

    // The founder: past the key, and made operator once the stores confirm it.
    hub.join(ana.user, '#casa');
    await settle();
    assert.deepEqual(zeca.sink.opped(), ['ana']);
    assert.equal(room.isOp(ana.user), true);
  });

  it('an account made after the room was registered is not its founder; a room the store lost is forgotten', async () => {
    const { accounts, rooms, hub, registry, user, tick } = await setup();
    await accounts.create('ana', SECRETS);
    const ana = await user('ana', 'ana');
    hub.join(ana.user, '#casa');
    assert.equal(await registry.register(ana.user, '#casa'), 'REGISTERED');
    hub.part(ana.user, '#casa');
    // The account is deleted and someone registers the name again, later.
    await accounts.delete('ana');
    tick(60_000);
    await accounts.create('ana', SECRETS);
    const zeca = await user('zeca');
    hub.join(zeca.user, '#casa');
    const again = await user('ana2', 'ana');
    hub.join(again.user, '#casa');
    await settle();
    assert.deepEqual(zeca.sink.opped(), [], 'not the founder');

    // The store dropped the room behind this registry's back (tomada account del): forgotten at the next check.
    await rooms.drop('#casa');
    hub.part(again.user, '#casa');
    hub.join(again.user, '#casa');
    await settle();
    assert.equal(registry.find('#casa'), undefined);
    assert.equal(hub.roomRules?.passes(hub.findRoom('#casa')!, again.user), false);
  });

  it('REGISTER: logged in, in the room, its operator, once; DROP: its founder or a server operator', async () => {
    const { accounts, hub, registry, user } = await setup();
    await accounts.create('ana', SECRETS);
    await accounts.create('bia', SECRETS);
    const guest = await user('visita');
    const ana = await user('ana', 'ana');
    const bia = await user('bia', 'bia');
    hub.join(guest.user, '#sala');
    assert.equal(await registry.register(guest.user, '#sala'), 'NOT_LOGGED_IN');
    assert.equal(await registry.register(ana.user, '#sala'), 'NOT_IN_ROOM');
    hub.join(ana.user, '#sala');
    assert.equal(await registry.register(ana.user, '#sala'), 'NOT_OP');
    hub.setModes(guest.user, '#sala', [{ adding: true, mode: 'op', param: 'ana' }]);
    assert.equal(await registry.register(ana.user, '#sala'), 'REGISTERED');
    hub.join(bia.user, '#sala');
    hub.setModes(ana.user, '#sala', [{ adding: true, mode: 'op', param: 'bia' }]);
    assert.equal(await registry.register(bia.user, '#sala'), 'EXISTS');
    assert.equal(await registry.drop(bia.user, '#sala'), 'NOT_FOUNDER');
    bia.user.oper = true;
    assert.equal(await registry.drop(bia.user, '#sala'), 'DROPPED');
    assert.equal(await registry.drop(ana.user, '#sala'), 'NOT_REGISTERED');
  });
});

describe('RoomRegistry and a failing store', () => {
  it('a store that cannot save (closed, failing) is reported, never thrown into the hub', async () => {
    const accounts = new MemoryAccountStore();
    await accounts.create('ana', SECRETS);
    class Broken extends MemoryRoomStore {
      override save(): Promise<boolean> {
        throw new Error('database is closed');
      }
    }
    const hub = new Hub();
    const errors: unknown[] = [];
    const registry = await RoomRegistry.open(hub, new Broken(), new Identity(accounts), {
      onError: (e) => errors.push(e),
    });
    const ana = await hub.register(new Recorder(), { nick: 'ana', host: 'h', account: { name: 'ana', oper: false } });
    hub.join(ana, '#casa');
    assert.equal(await registry.register(ana, '#casa'), 'REGISTERED');
    hub.setTopic(ana, '#casa', 'ainda funciona');
    assert.equal(hub.findRoom('#casa')?.topic?.text, 'ainda funciona');
    assert.match(String(errors[0]), /database is closed/);
  });
});

describe('RoomRegistry: writing settings', () => {
  it('writes one at a time per room, and the last write carries the latest settings', async () => {
    let now = 1_000;
    const accounts = new MemoryAccountStore(() => now);
    // A store whose writes finish when the test says: the first is held while two more changes come.
    const rooms = new MemoryRoomStore();
    const saves: Array<{ topic: string | undefined; finish: () => void }> = [];
    const save = rooms.save.bind(rooms);
    rooms.save = (name, settings) =>
      new Promise((resolve) => {
        saves.push({ topic: settings.topic?.text, finish: () => void save(name, settings).then(resolve) });
      });
    const hub = new Hub();
    const registry = await RoomRegistry.open(hub, rooms, new Identity(accounts), { now: () => now });
    await accounts.create('ana', SECRETS);
    const ana = await hub.register(new Recorder(), { nick: 'ana', host: 'h', account: { name: 'ana', oper: false } });
    hub.join(ana, '#casa');
    assert.equal(await registry.register(ana, '#casa'), 'REGISTERED');
    hub.setTopic(ana, '#casa', 'um');
    hub.setTopic(ana, '#casa', 'dois');
    hub.setTopic(ana, '#casa', 'três');
    assert.deepEqual(
      saves.map((s) => s.topic),
      ['um'],
      'the later changes wait for the write on its way',
    );
    saves[0]!.finish();
    await settle();
    await settle();
    assert.deepEqual(
      saves.map((s) => s.topic),
      ['um', 'três'],
      'then one write, with the latest',
    );
    saves[1]!.finish();
    await settle();
    assert.equal((await rooms.get('#casa'))?.settings.topic?.text, 'três');
    now++;
  });
});
