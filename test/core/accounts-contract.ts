import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Accounts } from '../../src/core/accounts.js';

/**
 * Every accounts implementation passes this. `make()` gives a fresh one; `good` is credentials it lets
 * in; `refused` (when it refuses anyone) credentials it does not.
 */
export function accountsContract(
  name: string,
  make: () => Accounts,
  cases: { good: { nick: string; password?: string }; refused?: { nick: string; password?: string } },
): void {
  describe(`${name}: accounts contract`, () => {
    it('lets in whom it should, on every door, and says so the same way each time', () => {
      const a = make();
      for (const door of ['line', 'irc', 'web']) {
        const c = { nick: cases.good.nick, password: cases.good.password, door };
        assert.deepEqual(a.authorise(c), { ok: true });
        assert.deepEqual(a.authorise(c), { ok: true });
      }
    });

    it('refuses with a reason the doors know, and asks for a password when it can refuse for one', () => {
      const a = make();
      if (!cases.refused) {
        assert.equal(a.asksPassword, false);
        return;
      }
      const v = a.authorise({ nick: cases.refused.nick, password: cases.refused.password, door: 'line' });
      assert.equal(v.ok, false);
      assert.ok(!v.ok && ['PASSWORD_REQUIRED', 'BAD_PASSWORD'].includes(v.reason));
      assert.equal(a.asksPassword, true);
    });
  });
}
