import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryAccountStore } from '../../src/core/account-store.js';
import { hashPassword } from '../../src/core/passwords.js';
import { MemoryRoomStore } from '../../src/core/room-store.js';
import { SqliteAccountStore } from '../../src/storage/sqlite-accounts.js';
import { SqliteRoomStore } from '../../src/storage/sqlite-rooms.js';
import { roomStoreContract } from './room-store-contract.js';

roomStoreContract('MemoryRoomStore', () => ({ accounts: new MemoryAccountStore(), rooms: new MemoryRoomStore() }));
roomStoreContract('SqliteRoomStore', () => {
  const accounts = new SqliteAccountStore(':memory:');
  return { accounts, rooms: new SqliteRoomStore(accounts.db) };
});

describe('SqliteRoomStore', () => {
  it('a founder deleted from another handle (tomada account del) takes the rooms along', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tomada-r-'));
    try {
      const server = new SqliteAccountStore(dir);
      const rooms = new SqliteRoomStore(server.db);
      await server.create('ana', await hashPassword('s3nha-boa'));
      const settings = {
        topic: undefined,
        modes: {
          inviteOnly: false,
          key: undefined,
          limit: undefined,
          moderated: false,
          noExternal: true,
          secret: false,
          topicOpsOnly: true,
          noRequests: false,
        },
        bans: [],
        mutes: [],
        inviteExceptions: [],
      };
      assert.equal(await rooms.register({ name: '#a', key: '#a', founder: 'ana', registeredAt: 1, settings }), true);
      // No account, no founder: refused.
      assert.equal(
        await rooms.register({ name: '#b', key: '#b', founder: 'nobody', registeredAt: 1, settings }),
        false,
      );
      const cli = new SqliteAccountStore(dir);
      await cli.delete('ana');
      cli.close();
      assert.deepEqual(await rooms.list(), []);
      server.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
