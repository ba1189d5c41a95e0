import type { IrcMessage } from '../../codec/irc/message.js';
import { splitLongMessage } from './serialize-events.js';
import type { IrcSession } from './session.js';

/**
 * labeled-response: what a labeled command produced (`captured`, the session's capture already
 * closed) goes out as its response: no reply → ACK, one → tagged, several → a `labeled-response` batch.
 */
export function sendLabeled(s: IrcSession, label: string, captured: IrcMessage[]): void {
  const lines = captured.flatMap((m) => splitLongMessage(m));
  if (lines.length === 0) {
    s.send({ tags: { label }, source: s.serverName, command: 'ACK', params: [] });
  } else if (lines.length === 1) {
    s.send({ ...lines[0]!, tags: { ...lines[0]!.tags, label } });
  } else if (!s.caps.has('batch')) {
    for (const l of lines) s.send(l);
  } else if (isOneMultiline(lines)) {
    // multiline "Labeled response": the label goes on the opening BATCH of the echoed message.
    s.send({ ...lines[0]!, tags: { ...lines[0]!.tags, label } });
    for (const l of lines.slice(1)) s.send(l);
  } else {
    const id = s.newBatchId();
    s.send({ tags: { label }, source: s.serverName, command: 'BATCH', params: [`+${id}`, 'labeled-response'] });
    for (const l of lines) s.send(l.tags.batch ? l : { ...l, tags: { ...l.tags, batch: id } });
    s.fromServer('BATCH', `-${id}`);
  }
}

/** Whether `lines` are exactly one `draft/multiline` batch, opened first and closed last. */
function isOneMultiline(lines: IrcMessage[]): boolean {
  const first = lines[0]!;
  const last = lines.at(-1)!;
  if (first.command !== 'BATCH' || first.params[1] !== 'draft/multiline') return false;
  const id = first.params[0]!.slice(1);
  return (
    last.command === 'BATCH' &&
    last.params[0] === `-${id}` &&
    lines.every((l, i) => i === 0 || l === last || l.tags.batch === id)
  );
}
