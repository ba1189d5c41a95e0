/** The line door's history lines: `[YYYY-MM-DD HH:MM] text`. */
export const STAMPED = /^\[(\d{4}-\d\d-\d\d \d\d:\d\d)\] (.*)$/s;
/** The line door's answer to `/history after ID|now` (chat.history.after, same shape in every language). */
const HISTORY_MARK = /^\* (\S+): (\d+) .* (\d+)\.$/;
const MAX_SEEN = 1000;
/** After this many lines shown, the mark moves on (`/history after now`): what is kept to compare stays small. */
const MARK_EVERY = 100;
/** The line door's longest answer to `/history after` (a full one is followed by another question). */
const HISTORY_PAGE = 200;

/**
 * The messages of a `/history after` answer the person has not seen: the answer's leading messages that
 * were shown (in order, among other lines) are skipped, the rest is what was missed.
 */
export function unseen(answer: readonly string[], seen: readonly string[]): string[] {
  let at = 0;
  let i = 0;
  for (; i < answer.length; i++) {
    const found = seen.indexOf(answer[i]!, at);
    if (found === -1) break;
    at = found + 1;
  }
  return answer.slice(i);
}

/**
 * What a line from a tomada server was to the catch-up: `hidden`, part of an answer still being gathered
 * (or the door's own replay on joining); `mark`, an answer to `/history after` (the room and its newest
 * id are known now), with the lines the person missed when it ends a catch-up.
 */
export type CatchUpLine = { kind: 'hidden' } | { kind: 'mark'; missed?: string[] };

/**
 * The terminal client's way back to what the person missed (`--reconnect`, tomada's line door only):
 * it keeps the room the person is in and a mark there (the room's newest message id, learnt from
 * `/history after now`, moved on every {@link MARK_EVERY} lines), and the lines shown since the mark. Back
 * in after a reconnection it joins the room again and asks `/history after MARK`: the answer (page by
 * page) is held back, and of it only what was not shown already is shown.
 */
export class CatchUp {
  /** The room the person is in (the prompt shows it). */
  room: string | undefined;
  /** The room's newest message id when {@link #seen} was started. */
  #mark: number | undefined;
  /** What was shown since the mark (without time stamps). */
  #seen: string[] = [];
  /** Answers to `/history after` asked for and not yet come. */
  #asked = 0;
  /** The stamped lines of the answer being read (undefined: no catch-up under way). */
  #resync: string[] | undefined;
  /** The pages of a catch-up answered so far (when what was missed is more than one answer). */
  #caught: string[] = [];

  /** `ask` sends a line to the server. */
  constructor(readonly ask: (line: string) => void) {}

  /** A new connection: no answer is awaited on it. */
  reset(): void {
    this.#asked = 0;
    this.#resync = undefined;
    this.#caught = [];
  }

  /** Whether missed messages are being read (what the person types waits meanwhile). */
  get resyncing(): boolean {
    return this.#resync !== undefined;
  }

  /** Learns the room the person is in (or kept, when a join was refused) and its newest id. */
  askMark(): void {
    this.ask('/history after now');
    this.#asked++;
  }

  /** In on a tomada server: back to the room the person was in, and only what they missed there. */
  registered(): void {
    if (this.room !== undefined && this.#mark !== undefined) {
      this.#resync = [];
      this.ask(`/join ${this.room}`);
      this.ask(`/history after ${this.#mark}`);
      this.#asked++;
    } else this.askMark();
  }

  /** A line the person saw (their own messages too). `canAsk`: the client is in, on a tomada server. */
  remember(text: string, canAsk: boolean): void {
    this.#seen.push(STAMPED.exec(text)?.[2] ?? text);
    if (this.#seen.length > MAX_SEEN) this.#seen = this.#seen.slice(-MAX_SEEN / 2);
    // The mark moves on to what was given so far (the door answers with the newest id given to us).
    if (this.#seen.length >= MARK_EVERY && canAsk && !this.#resync && this.#asked === 0 && this.room !== undefined)
      this.askMark();
  }

  /** A line from the server in the chat: what it was to the catch-up (undefined: a line for the person). */
  line(text: string): CatchUpLine | undefined {
    const m = this.#asked > 0 ? HISTORY_MARK.exec(text) : null;
    if (m) {
      this.#asked--;
      this.room = m[1]!;
      this.#mark = Number(m[3]);
      let missed: string[] | undefined;
      if (this.#resync) {
        this.#caught.push(...this.#resync.slice(this.#resync.length - Number(m[2])));
        if (Number(m[2]) >= HISTORY_PAGE) {
          // More than one answer's worth was missed: the next page, still hidden until it is all here.
          this.#resync = [];
          this.ask(`/history after ${this.#mark}`);
          this.#asked++;
          return { kind: 'hidden' };
        }
        const answer = this.#caught;
        this.#caught = [];
        this.#resync = undefined;
        const stripped = answer.map((l) => STAMPED.exec(l)?.[2] ?? l);
        missed = answer.slice(answer.length - unseen(stripped, this.#seen).length);
      }
      this.#seen = [];
      return missed ? { kind: 'mark', missed } : { kind: 'mark' };
    }
    if (this.#resync) {
      // The door's own replay on joining is hidden: only the answer to `/history after` counts.
      if (STAMPED.test(text)) this.#resync.push(text);
      return { kind: 'hidden' };
    }
    return undefined;
  }
}
