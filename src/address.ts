import { UsageError } from './errors.js';

export interface HostPort {
  host: string;
  port: number;
}

function parsePort(text: string, what: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new UsageError('cli.usage.badPort', { value: text, what });
  const port = Number(text);
  if (port > 65535) throw new UsageError('cli.usage.badPort', { value: text, what });
  return port;
}

/**
 * Parses `[HOST:]PORT` (also `HOST` alone when `allowHostOnly`, and `[v6addr]:PORT`).
 * Port 0 asks the system for a free port (servers only).
 */
export function parseHostPort(value: string, defaults: HostPort, allowHostOnly = true): HostPort {
  const v = value.trim();
  if (v === '') throw new UsageError('cli.usage.badAddress', { value });
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(v);
  if (bracket) {
    return { host: bracket[1]!, port: bracket[2] !== undefined ? parsePort(bracket[2], v) : defaults.port };
  }
  if (/^\d+$/.test(v)) return { host: defaults.host, port: parsePort(v, v) };
  const colons = v.split(':').length - 1;
  if (colons === 1) {
    const [host, port] = v.split(':') as [string, string];
    return { host: host === '' ? defaults.host : host, port: parsePort(port, v) };
  }
  if (colons > 1) return { host: v, port: defaults.port }; // a bare IPv6 address
  if (!allowHostOnly) throw new UsageError('cli.usage.badAddress', { value: v });
  return { host: v, port: defaults.port };
}

/** Parses a door flag: `[HOST:]PORT` or `off`. */
export function parseListen(value: string, defaults: HostPort): HostPort | null {
  if (/^(off|no|false|none)$/i.test(value.trim())) return null;
  return parseHostPort(value, defaults, false);
}

/** `host:port`, with brackets around IPv6 addresses. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Parses a positive integer flag value, or throws a UsageError naming the flag. */
export function parseIntFlag(value: string, flag: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^-?\d+$/.test(value.trim())) throw new UsageError('cli.usage.notInteger', { flag, value });
  const n = Number(value);
  if (n < min || n > max) throw new UsageError('cli.usage.outOfRange', { flag, value: n, min, max });
  return n;
}
