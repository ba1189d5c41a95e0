import type { HubEvent } from '../../core/events.js';

/**
 * What makes the line door's `/history after` exact for a client that comes back (the terminal client's
 * `--reconnect`, after its node died). The line door shows no ids, so the client learns one from the
 * answer's last line and asks again from there; three things could still show a message twice or lose it:
 *
 * - `/history after now` answered with the room's newest stored id, while the newest messages were still
 *   on their way to this person (stored, then carried by the bus): a client that lost its connection
 *   then would never see them. It answers the newest id this person was given instead (live, or their
 *   own), when there is one.
 * - A message stored after the answer was read but delivered before the answer went out: the client
 *   takes what comes before the answer as already listed. Live events are held while the answer is
 *   read, and delivered after it.
 * - A message listed by the answer and still on its way live (stored before the answer was read,
 *   delivered after it): it would come twice. Live messages whose ids the last answer listed are dropped.
 *
 * Made only for a session that asks `/history after` (an idle tutorial client never holds one).
 */
export class CatchUp {
  /** The room the person is in, and the newest message id they were given there. */
  #room: string | undefined;
  #given = 0;
  /** Live events that came while an answer was being read (undefined: none is). */
  #held: HubEvent[] | undefined;
  /** The ids the last answer listed. */
  #listed: Set<number> | undefined;

  /** The newest message id the person was given in `room`, if any. */
  given(room: string): number | undefined {
    return this.#room === room && this.#given > 0 ? this.#given : undefined;
  }

  /** The person was given message `seq` of `room` (live, listed, or their own). */
  note(room: string, seq: number): void {
    if (room !== this.#room) this.reset(room);
    if (seq > this.#given) this.#given = seq;
  }

  /** The person moved to another room: nothing given there yet. */
  reset(room?: string): void {
    this.#room = room;
    this.#given = 0;
    this.#listed = undefined;
  }

  /** An answer is being read: live events wait until {@link release}. */
  hold(): void {
    this.#held ??= [];
  }

  /** Whether a live event is taken: held (an answer is being read), or dropped (the last answer listed it). */
  take(ev: HubEvent): boolean {
    if (this.#held) {
      this.#held.push(ev);
      return true;
    }
    if (ev.type !== 'message' || ev.message.private) return false;
    if (this.#listed?.has(ev.message.seq)) return true;
    this.note(ev.message.target, ev.message.seq);
    return false;
  }

  /** The answer for `room` is out and listed `seqs`: returns the events held meanwhile, to be delivered now. */
  release(room: string, seqs: readonly number[]): HubEvent[] {
    for (const seq of seqs) this.note(room, seq);
    // Kept until the next answer (the terminal client asks `after now` every 100 lines: an empty one).
    this.#listed = seqs.length > 0 ? new Set(seqs) : undefined;
    const held = this.#held ?? [];
    this.#held = undefined;
    return held;
  }
}
