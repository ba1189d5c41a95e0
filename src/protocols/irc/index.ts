import type { DoorContext, RunningDoor } from '../door.js';
import { startIrcListeners } from './door.js';
import { IrcSession } from './session.js';
import type { IrcSessionHandle, IrcTransport } from './transport.js';

export type { IrcSessionHandle, IrcTransport } from './transport.js';
export { IrcSession } from './session.js';
export { TcpIrcTransport } from './door.js';

/** Starts the IRC listeners (`--irc`, `--ircs`); null when both are off. */
export function startIrcDoor(ctx: DoorContext): Promise<RunningDoor | null> {
  return startIrcListeners(ctx);
}

/**
 * Attaches an IRC session to any transport (TCP, TLS, WebSocket): the transport splits lines and calls
 * the returned handle; the session writes whole CRLF-terminated lines with `transport.writeLines`.
 */
export function attachIrcSession(ctx: DoorContext, transport: IrcTransport): IrcSessionHandle {
  return new IrcSession(ctx, transport);
}
