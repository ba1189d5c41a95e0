import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Inbox, type InboxOwner } from '../../src/transports/connection.js';

/** A session whose room messages (`msg …`) are answered later, when the test settles them. */
class Session implements InboxOwner<string> {
  handled: string[] = [];
  waiting: Array<() => void> = [];
  empties = 0;
  inboxHandle(item: string): void | Promise<void> {
    this.handled.push(item);
    if (item.startsWith('msg') || item === 'slow-command') return new Promise<void>((r) => this.waiting.push(r));
  }
  inboxPipelines(item: string): boolean {
    return item.startsWith('msg');
  }
  inboxFlooded(): void {
    assert.fail('not a flood');
  }
  inboxEmpty(): void {
    this.empties++;
  }
}

const limits = { floodRate: 1e6, floodBurst: 1e6, floodQueue: 1000 };
const turn = () => new Promise((r) => setImmediate(r));

describe('Inbox with room messages answered later (an asynchronous store)', () => {
  it('handles a person’s next messages while earlier ones wait, up to 32; a command waits for all of them', async () => {
    const s = new Session();
    const inbox = new Inbox(s, limits);
    for (let i = 1; i <= 40; i++) inbox.push(`msg ${i}`);
    inbox.push('command');
    assert.equal(s.handled.length, 32, 'at most 32 unanswered');
    assert.equal(s.handled.at(-1), 'msg 32');
    s.waiting.shift()!();
    await turn();
    assert.equal(s.handled.at(-1), 'msg 33', 'one answered, one more handled');
    while (s.handled.length < 40) {
      s.waiting.shift()!();
      await turn();
    }
    assert.ok(!s.handled.includes('command'), 'the command waits for the messages before it');
    assert.equal(s.empties, 0);
    while (s.waiting.length > 1) {
      s.waiting.shift()!();
      await turn();
    }
    assert.ok(!s.handled.includes('command'), 'still one message unanswered');
    s.waiting.shift()!();
    await turn();
    assert.equal(s.handled.at(-1), 'command');
    assert.equal(s.empties, 1, 'empty once everything was answered');
  });

  it('a command that answers later still holds everything after it, messages too', async () => {
    const s = new Session();
    const inbox = new Inbox(s, limits);
    inbox.push('slow-command');
    inbox.push('msg 1');
    assert.deepEqual(s.handled, ['slow-command']);
    s.waiting.shift()!();
    await turn();
    assert.deepEqual(s.handled, ['slow-command', 'msg 1']);
  });
});

describe('Inbox.finish: the peer has finished sending', () => {
  it('keeps a place only while something is left, and gives it back when the inbox stops', async () => {
    const s = new Session();
    const slow = new Inbox(s, { floodRate: 1000, floodBurst: 1, floodQueue: 10 });
    let held = 0;
    const hold = () => {
      held++;
      return () => held--;
    };
    assert.equal(slow.finish(hold), false, 'nothing left: the session ends now');
    assert.equal(held, 0);
    slow.push('a');
    slow.push('b'); // past the burst: it waits for fake lag
    // 'a' alone emptied it once already: what counts is the next time.
    const emptied = new Promise<void>((resolve) => (s.inboxEmpty = () => resolve()));
    assert.equal(slow.finish(hold), true);
    assert.equal(slow.finish(hold), true, 'asked again: the same place');
    assert.ok(slow.finishing);
    assert.equal(held, 1);
    await emptied;
    assert.deepEqual(s.handled, ['a', 'b'], 'what was left is handled, then the owner is told');
    slow.stop();
    assert.equal(held, 0, 'given back');
    assert.equal(slow.finishing, false);
    assert.equal(
      new Inbox(s, limits).finish(() => undefined),
      false,
      'no place to keep: the session ends now',
    );
  });
});
