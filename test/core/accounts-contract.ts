import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Accounts } from '../../src/core/accounts.js';

/**
 * Every accounts implementation passes this. `make()` gives a fresh one; `good` is credentials it lets
 * in; `refused` (when it refuses anyone) credentials it does not. `authorise` may answer now or later.
 */
export function accountsContract(
  name: string,
  make: () => Accounts | Promise<Accounts>,
  cases: { good: { nick: string; password?: string }; refused?: { nick: string; password?: string } },
): void {
  describe(`${name}: accounts contract`, () => {
    it('lets in whom it should, on every door, and says so the same way each time', async () => {
      const a = await make();
      for (const door of ['line', 'irc', 'web']) {
        const c = { nick: cases.good.nick, password: cases.good.password, door, ip: '192.0.2.1' };
        const first = await a.authorise(c);
        assert.equal(first.ok, true);
        assert.deepEqual(await a.authorise(c), first);
      }
    });

    it('refuses with a reason the doors know', async () => {
      const a = await make();
      if (!cases.refused) return;
      const v = await a.authorise({ nick: cases.refused.nick, password: cases.refused.password, door: 'line' });
      assert.equal(v.ok, false);
      assert.ok(!v.ok && ['PASSWORD_REQUIRED', 'BAD_PASSWORD', 'THROTTLED'].includes(v.reason));
    });

    it('asks the line door for a password in the handshake only when it refuses for a missing one', async () => {
      const a = await make();
      const v = await a.authorise({ nick: cases.good.nick, password: undefined, door: 'line' });
      assert.equal(a.asksPassword, !v.ok && v.reason === 'PASSWORD_REQUIRED');
    });
  });
}
