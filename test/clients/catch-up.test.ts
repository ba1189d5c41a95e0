import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CatchUp } from '../../src/clients/catch-up.js';
import { t } from '../../src/i18n/index.js';

/** The line door's answer to `/history after`, in the catalogue's words (what the door sends). */
function answer(room: string, count: number, after: number | string, last: number): string {
  return t('en', 'chat.history.after', { room, count, after, last });
}

/** A catch-up whose questions to the server are kept in `asked`. */
function catchUp(): { c: CatchUp; asked: string[] } {
  const asked: string[] = [];
  return { c: new CatchUp((line) => asked.push(line)), asked };
}

const stamped = (n: number) => `[2026-12-07 05:00] bia: ${n}`;

describe('the terminal client: CatchUp', () => {
  it('first time in: asks where it is, and the answer gives the room (the prompt) and the mark', () => {
    const { c, asked } = catchUp();
    c.registered();
    assert.deepEqual(asked, ['/history after now']);
    assert.equal(c.line('bia: oi'), undefined, 'a line for the person');
    assert.deepEqual(c.line(answer('#geral', 0, 'now', 41)), { kind: 'mark' });
    assert.equal(c.room, '#geral');
    assert.equal(c.resyncing, false);
  });

  it('back in: joins the room again, hides the replay, and shows only what was missed', () => {
    const { c, asked } = catchUp();
    c.registered();
    c.line(answer('#sala', 0, 'now', 41));
    c.remember('bia: 42', true);
    c.reset(); // the connection was lost
    asked.length = 0;
    c.registered();
    assert.deepEqual(asked, ['/join #sala', '/history after 41']);
    assert.equal(c.resyncing, true);
    // The door's replay on joining, then the answer: all hidden until the answer's last line.
    assert.deepEqual(c.line(stamped(40)), { kind: 'hidden' });
    assert.deepEqual(c.line('* You are in #sala (2 online).'), { kind: 'hidden' });
    assert.deepEqual(c.line(stamped(42)), { kind: 'hidden' });
    assert.deepEqual(c.line(stamped(43)), { kind: 'hidden' });
    assert.deepEqual(c.line(answer('#sala', 2, 41, 43)), { kind: 'mark', missed: [stamped(43)] });
    assert.equal(c.resyncing, false);
    assert.equal(c.line('caio: depois'), undefined);
  });

  it('more missed than one answer holds: asks page after page, and shows them all at the end', () => {
    const { c, asked } = catchUp();
    c.registered();
    c.line(answer('#sala', 0, 'now', 0));
    c.reset();
    c.registered();
    asked.length = 0;
    for (let n = 1; n <= 200; n++) c.line(stamped(n));
    assert.deepEqual(c.line(answer('#sala', 200, 0, 200)), { kind: 'hidden' });
    assert.deepEqual(asked, ['/history after 200'], 'the next page');
    c.line(stamped(201));
    const last = c.line(answer('#sala', 1, 200, 201));
    assert.deepEqual(last, { kind: 'mark', missed: Array.from({ length: 201 }, (_, i) => stamped(i + 1)) });
  });

  it('moves the mark on after 100 lines seen, once, and only while in a room on tomada', () => {
    const { c, asked } = catchUp();
    for (let n = 0; n < 150; n++) c.remember(`bia: ${n}`, true);
    assert.deepEqual(asked, [], 'no room yet');
    c.registered();
    c.line(answer('#geral', 0, 'now', 5));
    asked.length = 0;
    for (let n = 0; n < 99; n++) c.remember(`bia: ${n}`, true);
    assert.deepEqual(asked, []);
    c.remember('bia: 99', false);
    assert.deepEqual(asked, [], 'not on tomada, or not in');
    c.remember('bia: 100', true);
    c.remember('bia: 101', true);
    assert.deepEqual(asked, ['/history after now'], 'asked once while the answer is awaited');
  });
});
