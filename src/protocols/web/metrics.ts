import { Counter, Gauge, Registry } from 'prom-client';
import type { Hub } from '../../core/hub.js';
import type { DoorCounters, ServerStats } from '../door.js';

/**
 * `/metrics` in Prometheus' text format. A registry of its own (not prom-client's global one, so two
 * servers in one process, as in the tests, do not mix). Values are read from the counters the doors and
 * the hub already keep, when scraped: nothing is counted twice and the hot path pays nothing.
 */
export function createMetrics(stats: ServerStats, hub: Hub): Registry {
  const registry = new Registry();

  const perDoor = (metric: Counter | Gauge, field: keyof DoorCounters) => {
    for (const [door, c] of stats.doors) {
      if (metric instanceof Counter) metric.labels({ door }).inc(c[field]);
      else metric.labels({ door }).set(c[field]);
    }
  };
  const doorCounter = (name: string, help: string, field: keyof DoorCounters) =>
    new Counter({
      name,
      help,
      labelNames: ['door'],
      registers: [registry],
      collect() {
        this.reset();
        perDoor(this, field);
      },
    });
  const hubCounter = (name: string, help: string, read: () => number) =>
    new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        this.reset();
        this.inc(read());
      },
    });
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });

  new Gauge({
    name: 'tomada_connections',
    help: 'Open connections, per door.',
    labelNames: ['door'],
    registers: [registry],
    collect() {
      this.reset();
      perDoor(this, 'connections');
    },
  });
  doorCounter('tomada_sessions_accepted_total', 'Sessions that chose a nickname, per door.', 'accepted');
  doorCounter('tomada_messages_in_total', 'Lines or messages received from clients, per door.', 'linesIn');
  doorCounter('tomada_bytes_out_total', 'Bytes sent to clients, per door.', 'bytesOut');
  doorCounter(
    'tomada_slow_consumers_total',
    'Clients dropped because their send queue overflowed, per door.',
    'slowConsumers',
  );
  doorCounter('tomada_flood_disconnects_total', 'Clients dropped for flooding, per door.', 'floodDisconnects');
  hubCounter(
    'tomada_messages_out_total',
    'Messages sent by users (rooms and private), as the hub stamped them.',
    () => hub.stats.messages,
  );
  hubCounter('tomada_deliveries_total', 'Events delivered to users (one per recipient).', () => hub.stats.deliveries);
  hubCounter(
    'tomada_turns_total',
    'Ends of turn: each writes every recipient with bytes waiting once (fewer per message under load).',
    () => hub.turn.runs,
  );
  gauge(
    'tomada_delivery_rate',
    'Deliveries per second the turn spacing is set by (the network’s, with several nodes).',
    () => hub.turn.rate,
  );
  hubCounter('tomada_history_writes_total', 'Messages written to history.', () => hub.stats.historyWrites);
  gauge('tomada_users', 'Users connected (all doors).', () => hub.userCount);
  gauge('tomada_rooms', 'Rooms with at least one member.', () => hub.roomCount);
  gauge('tomada_uptime_seconds', 'Seconds since the server started.', () => (Date.now() - hub.startedAt) / 1000);
  return registry;
}
