/**
 * What an IRC session needs from whatever carries it: a TCP/TLS socket (the IRC door) or a WebSocket
 * (IRCv3 WebSocket transport, the web door). The session code is the same for both.
 */
export interface IrcTransport {
  /** Peer address (for host masks, per-IP limits, logs). */
  readonly remoteAddress: string;
  readonly secure: boolean;
  /** `tcp`, `tls`, `ws`, `wss`. */
  readonly kind: string;
  /**
   * The SHA-256 fingerprint of the client's TLS certificate (64 lower-case hex digits), when the
   * transport asked for one and the client gave it (`--ircs`): SASL EXTERNAL logs in with it.
   */
  readonly certFingerprint?: string | undefined;
  /**
   * Queues one or more whole IRC lines, each ending in CRLF, for sending at the end of the turn.
   * (A WebSocket transport sends each line as its own message, without the CRLF.)
   */
  writeLines(data: Buffer): void;
  /** Bytes queued and not yet taken by the kernel (for the send-queue limit). */
  readonly queued: number;
  /**
   * Flushes what is queued, then closes. `condemned` (over-long line, flood): read nothing more and
   * close with a short deadline.
   */
  close(condemned?: boolean): void;
}

/** What the transport calls on the session. */
export interface IrcSessionHandle {
  /**
   * One received line, without its line ending (the transport splits; at most the IRC limits);
   * `validUtf8` false when its bytes were not UTF-8 (the text is then decoded lossily, and refused).
   */
  receiveLine(line: string, validUtf8?: boolean): void;
  /** The transport's line was too long (the session answers 417; the connection stays). */
  lineTooLong(): void;
  /** The connection is gone (peer closed, error); the session quits the user. */
  closed(reason: string): void;
}
