/**
 * Ids unique across the nodes of one network, without a round trip: node `node` of `nodes` hands out
 * only ids ≡ node (mod nodes), always increasing. It is a Lamport clock too: `observe` moves it past any
 * id seen from another node, so a message written after reading another gets a larger id, and ordering
 * history by id gives every member of a room the same order on every node.
 *
 * With one node (the default) the ids are 1, 2, 3… as they always were. Message ids are the history
 * cursor: the IRC `msgid` tag, CHATHISTORY's `msgid=` and the web client's paging use the same value.
 */
export class IdSequence {
  #last: number;

  /**
   * @param last The highest id already used (e.g. `history.lastSeq()`), so ids keep increasing across
   *   restarts.
   */
  constructor(
    last = 0,
    readonly node = 0,
    readonly nodes = 1,
  ) {
    if (!Number.isInteger(nodes) || nodes < 1) throw new RangeError(`nodes must be a positive integer: ${nodes}`);
    if (!Number.isInteger(node) || node < 0 || node >= nodes) throw new RangeError(`node must be in [0, ${nodes})`);
    this.#last = last;
  }

  /** The next id: the smallest id of this node above every id used or seen. */
  next(): number {
    const above = this.#last + 1;
    const r = ((above % this.nodes) + this.nodes) % this.nodes;
    const id = above + ((this.node - r + this.nodes) % this.nodes);
    this.#last = id;
    return id;
  }

  /** An id another node handed out: ids given from now on are above it. */
  observe(id: number): void {
    if (id > this.#last) this.#last = id;
  }

  get last(): number {
    return this.#last;
  }
}
