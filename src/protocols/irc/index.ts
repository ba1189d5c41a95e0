import type { DoorContext, RunningDoor } from '../../server/door.js';
import type { IrcSessionHandle, IrcTransport } from './transport.js';

export type { IrcSessionHandle, IrcTransport } from './transport.js';

/** Starts the IRC listeners (`--irc`, `--ircs`); null when both are off. (Stub: being written.) */
export function startIrcDoor(ctx: DoorContext): Promise<RunningDoor | null> {
  void ctx;
  return Promise.resolve(null);
}

/** Attaches an IRC session to any transport (TCP, TLS, WebSocket). (Stub: being written.) */
export function attachIrcSession(ctx: DoorContext, transport: IrcTransport): IrcSessionHandle {
  void ctx;
  void transport;
  return { receiveLine: () => undefined, lineTooLong: () => undefined, closed: () => undefined };
}
