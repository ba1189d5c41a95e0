import type { Logger } from 'pino';
import type { Accounts } from '../core/accounts.js';
import type { Hub } from '../core/hub.js';
import type { Identity } from '../core/identity.js';
import type { ConnectionGate } from '../core/rate-limit.js';
import type { ReadMarkers } from '../core/read-markers.js';
import type { SignIns } from '../core/sign-ins.js';
import type { RoomRegistry } from '../core/room-registry.js';
import type { TlsFiles } from '../transports/http.js';
import type { Sweep, Sweepable } from '../transports/connection.js';
import type { OutboxScheduler } from '../transports/outbox.js';

export type { TlsFiles } from '../transports/http.js';

/**
 * The door contract: what every door is built from and what it gives back. It lives beside the doors,
 * below the server that assembles them (imports run codec ← core ← storage/transports ← protocols ←
 * server ← cli). To add a door: a `start…Door(ctx: DoorContext): Promise<RunningDoor | null>`, sessions
 * that implement the hub's `Sink`, and a line in server/chat-server.ts.
 */

/** The default ports, said once (the configuration, the CLI and the doors use these). */
export const DEFAULT_PORTS = { line: 5000, irc: 6667, ircs: 6697, http: 8080, ircWs: 8081 } as const;

/** Where a listener listens. */
export interface Listen {
  host: string;
  port: number;
}

/** The settings the doors read (the server's full configuration is one of these). */
export interface DoorConfig {
  line: Listen | null;
  irc: Listen | null;
  ircs?: Listen | null | undefined;
  http: Listen | null;
  ircWs: Listen | null;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  room: string;
  history: number;
  lang: 'en' | 'pt-BR';
  serverName: string;
  network: string;
  password?: string | undefined;
  opers: string[];
  motdFile?: string | undefined;
  registration: 'open' | 'closed';
  nickGraceSecs: number;
  loginTimeoutSecs: number;
  /** Client-only tags (without the `+`) not relayed: `*` first for all, `-name` for exceptions. */
  clientTagDeny: string[];
  allowOrigins: string[];
  limits: {
    maxLine: number;
    maxSendQueue: number;
    maxConnections: number;
    maxPerIp: number;
    floodRate: number;
    floodBurst: number;
    floodQueue: number;
    keepAliveSecs: number;
    handshakeTimeoutSecs: number;
    idleFlushMs: number;
    registrationTimeoutSecs: number;
    pingIntervalSecs: number;
    pingTimeoutSecs: number;
  };
}

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
  /** Registered accounts: login (SASL, `/login`), registration, nick protection. */
  identity: Identity;
  /** Read markers (IRC `draft/read-marker`), per account or per connection. */
  readMarkers: ReadMarkers;
  /** The web door's sign-ins (its session cookies); in memory when not given. */
  signIns?: SignIns;
  /** Rooms with an owner (ChanServ, `/register #room`); absent when the account store keeps none. */
  rooms?: RoomRegistry | undefined;
  config: DoorConfig;
  /** The certificate and key, read once at start (IRC over TLS, HTTPS/WSS); set when configured. */
  tls: TlsFiles | undefined;
  outboxes: OutboxScheduler;
  /** The keep-alive sweep of every IRC session, on any transport (one timer, not one per connection). */
  keepAlive: Sweep<Sweepable>;
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
