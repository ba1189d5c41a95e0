import type { DoorContext, RunningDoor } from '../../server/door.js';

/** Starts the HTTP listener. (Stub: being written.) */
export function startWebDoor(ctx: DoorContext): Promise<RunningDoor | null> {
  void ctx;
  return Promise.resolve(null);
}
