import type { HubEvent, Sink } from '../../src/core/events.js';

/** A user's sink in the hub tests: keeps every event the hub delivers to it, in order. */
export class Recorder implements Sink {
  readonly door = 'test';
  events: HubEvent[] = [];
  deliver(e: HubEvent): void {
    this.events.push(e);
  }
  disconnect(_reason: string): void {}
}
