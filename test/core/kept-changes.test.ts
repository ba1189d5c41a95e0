import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MemoryMetadataStore, AccountMetadata } from '../../src/core/account-metadata.js';
import { MemoryAccountStore } from '../../src/core/account-store.js';
import { decodeEnvelope, LocalNetwork } from '../../src/core/bus.js';
import { Hub } from '../../src/core/hub.js';
import { Recorder as BaseRecorder } from './recorder.js';
import { Identity } from '../../src/core/identity.js';
import type { PasswordSecrets } from '../../src/core/passwords.js';
import { MemoryReadMarkerStore, ReadMarkers } from '../../src/core/read-markers.js';
import { RoomRegistry } from '../../src/core/room-registry.js';
import { MemoryRoomStore } from '../../src/core/room-store.js';

const SECRETS: PasswordSecrets = {
  hash: 'x',
  scram: { salt: 'c2FsdA==', iterations: 4096, storedKey: 'x', serverKey: 'y' },
};

class Recorder extends BaseRecorder {
  markers: Array<[string, number]> = [];
  own: Array<[string, string | undefined]> = [];
  readMarker(target: string, time: number): void {
    this.markers.push([target, time]);
  }
  ownMetadata(key: string, value: string | undefined): void {
    this.own.push([key, value]);
  }
}

/** Lets what waits for a store (written(), then the bus) run. */
const settle = () => new Promise((r) => setImmediate(r));

/**
 * Two nodes of one network in this process sharing the accounts and what is kept beside them (as
 * PostgreSQL with `--store`); `shared` false: each node its own (as SQLite per node with `--cluster` alone).
 */
async function twoNodes(shared = true) {
  const net = new LocalNetwork(2);
  const accounts = new MemoryAccountStore();
  await accounts.create('ana', SECRETS);
  const one = { markers: new MemoryReadMarkerStore(true), metadata: new MemoryMetadataStore(true) };
  const roomStore = new MemoryRoomStore(shared);
  const node = async () => {
    const hub = new Hub({ bus: net.bus() });
    const markers = shared ? one.markers : new MemoryReadMarkerStore();
    const metadata = shared ? one.metadata : new MemoryMetadataStore();
    return {
      hub,
      markers,
      metadata,
      readMarkers: new ReadMarkers(hub, markers),
      accountMetadata: new AccountMetadata(hub, metadata),
      rooms: await RoomRegistry.open(hub, roomStore, new Identity(accounts)),
    };
  };
  const a = await node();
  const b = await node();
  const user = async (hub: Hub, nick: string, account?: string) => {
    const sink = new Recorder();
    const u = await hub.register(sink, {
      nick,
      host: 'h',
      ...(account ? { account: { name: account, oper: false } } : {}),
    });
    return { sink, user: u };
  };
  return { a, b, user, roomStore };
}

describe('kept changes between nodes (in-process network)', () => {
  it("a read marker moved on A reaches the account's connections on B, and B's store; a guest hears nothing", async () => {
    const { a, b, user } = await twoNodes();
    const onA = await user(a.hub, 'ana', 'ana');
    const onB = await user(b.hub, 'ana_b', 'Ana');
    const guest = await user(b.hub, 'visita');
    assert.equal(a.readMarkers.mark(onA.user, '#Geral', 1000), 1000);
    await settle();
    assert.deepEqual(onB.sink.markers, [['#Geral', 1000]]);
    assert.equal(b.markers.get('ana', '#geral'), 1000);
    assert.equal(b.readMarkers.get(onB.user, '#geral'), 1000);
    // An earlier one on B moves nothing: A hears nothing.
    assert.equal(b.readMarkers.mark(onB.user, '#geral', 500), 1000);
    await settle();
    assert.deepEqual(onA.sink.markers, []);
    assert.deepEqual(guest.sink.markers, []);
  });

  it("a metadata key set on A is set on the account's connection on B (its own sink told); removal too", async () => {
    const { a, b, user } = await twoNodes();
    const onA = await user(a.hub, 'ana', 'ana');
    const onB = await user(b.hub, 'ana_b', 'ana');
    a.hub.setMetadata(onA.user, 'display-name', 'Ana Lima');
    await settle();
    assert.equal(onB.user.metadata?.get('display-name'), 'Ana Lima');
    assert.deepEqual(onB.sink.own, [['display-name', 'Ana Lima']]);
    assert.deepEqual(b.metadata.all('ana'), [['display-name', 'Ana Lima']]);
    // Applied on B, not published back: A's connection is not told of its own change.
    assert.deepEqual(onA.sink.own, []);
    a.hub.setMetadata(onA.user, 'display-name', undefined);
    await settle();
    assert.equal(onB.user.metadata, undefined);
    assert.deepEqual(b.metadata.all('ana'), []);
  });

  it('a room registered on A is known on B at once (its founder made operator there); saved settings and a drop follow', async () => {
    const { a, b, user } = await twoNodes();
    const ana = await user(a.hub, 'ana', 'ana');
    a.hub.join(ana.user, '#casa');
    assert.equal(await a.rooms.register(ana.user, '#casa'), 'REGISTERED');
    assert.equal(b.rooms.find('#CASA')?.founder, 'ana');
    a.hub.setTopic(ana.user, '#casa', 'a casa da ana');
    assert.equal(b.rooms.find('#casa')?.settings.topic?.text, 'a casa da ana');
    const onB = await user(b.hub, 'ana_b', 'ana');
    b.hub.join(onB.user, '#casa');
    await settle();
    const room = b.hub.findRoom('#casa')!;
    assert.ok(room.isOp(onB.user), 'the founder is an operator on B');
    assert.equal(await a.rooms.drop(ana.user, '#casa'), 'DROPPED');
    assert.equal(b.rooms.find('#casa'), undefined);
  });

  it("stores that are each node's own (as its accounts are) keep to themselves: nothing crosses", async () => {
    const { a, b, user } = await twoNodes(false);
    const onA = await user(a.hub, 'ana', 'ana');
    const onB = await user(b.hub, 'ana_b', 'ana');
    a.readMarkers.mark(onA.user, '#geral', 1000);
    a.hub.setMetadata(onA.user, 'display-name', 'Ana de A');
    a.hub.join(onA.user, '#casa');
    assert.equal(await a.rooms.register(onA.user, '#casa'), 'REGISTERED');
    await settle();
    assert.deepEqual(onB.sink.markers, []);
    assert.equal(b.readMarkers.get(onB.user, '#geral'), undefined);
    assert.equal(onB.user.metadata, undefined);
    assert.deepEqual(b.metadata.all('ana'), []);
    assert.equal(b.rooms.find('#casa'), undefined);
  });

  it('a kept change whose fields have the wrong types is refused by the decoder', () => {
    const bad = [
      { kind: 'marker', account: 'ana', target: '#geral', time: 'ontem' },
      { kind: 'metadata', account: 1, key: 'display-name' },
      { kind: 'room', room: '#casa', registered: { name: '#casa' } },
      { kind: 'room', room: '#casa', registered: null },
    ];
    for (const control of bad) {
      assert.throws(() => decodeEnvelope(JSON.stringify({ v: 1, origin: 0, control })), /bad control/);
    }
    const ok = decodeEnvelope(
      JSON.stringify({ v: 1, origin: 0, control: { kind: 'metadata', account: 'ana', key: 'avatar' } }),
    );
    assert.deepEqual(ok, { v: 1, origin: 0, control: { kind: 'metadata', account: 'ana', key: 'avatar' } });
  });
});
