import type { Logger } from 'pino';
import type { Accounts } from '../core/accounts.js';
import type { Hub } from '../core/hub.js';
import type { ConnectionGate } from '../core/rate-limit.js';
import type { OutboxScheduler } from '../transports/outbox.js';
import type { ChatConfig } from './config.js';

/** Counters per door, read by `/metrics` and the logs. */
export interface DoorCounters {
  connections: number;
  accepted: number;
  linesIn: number;
  bytesOut: number;
  slowConsumers: number;
  floodDisconnects: number;
}

export class ServerStats {
  readonly doors = new Map<string, DoorCounters>();

  door(name: string): DoorCounters {
    let c = this.doors.get(name);
    if (!c) {
      c = { connections: 0, accepted: 0, linesIn: 0, bytesOut: 0, slowConsumers: 0, floodDisconnects: 0 };
      this.doors.set(name, c);
    }
    return c;
  }
}

/** What every door is built from: the one hub, shared limits, and the server's settings. */
export interface DoorContext {
  hub: Hub;
  /** Who may come in (checked once per registration, on every door). */
  accounts: Accounts;
  config: ChatConfig;
  outboxes: OutboxScheduler;
  gate: ConnectionGate;
  stats: ServerStats;
  logger: Logger;
}

export interface DoorAddress {
  /** Which listener (`line`, `irc`, `ircs`, `http`, `irc-ws`). */
  name: string;
  host: string;
  port: number;
  tls: boolean;
}

/** A door that is listening. */
export interface RunningDoor {
  readonly addresses: DoorAddress[];
  /** Stops accepting, tells every client of the door `reason`, closes their connections. */
  close(reason: string): Promise<void>;
}
