import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseListen } from '../address.js';
import { ConfigError } from '../errors.js';
import { DEFAULT_PORTS, type DoorConfig } from '../protocols/door.js';

const hostPort = z.object({ host: z.string(), port: z.number().int().min(0).max(65535) });

/**
 * A door's address. Besides `{host, port}` and `null` (off), a config file may write it as the flags
 * do (the same parser): `"off"` (or `false`), `5000`, `"5000"`, `"0.0.0.0:5000"`, `"[::1]:5000"`.
 */
const listen = (port: number) =>
  z.preprocess((v) => {
    if (v === false) return null;
    if (typeof v === 'number') return { host: 'localhost', port: v };
    if (typeof v !== 'string') return v;
    try {
      return parseListen(v, { host: 'localhost', port });
    } catch {
      return v; // refused below with the schema's message, naming the key
    }
  }, hostPort.nullable());

/**
 * Every setting of `tomada chat serve`. The CLI flags and the `--config` JSON file fill the same
 * structure (flags win). Defaults are the embedded defaults `npm start` runs with.
 */
export const chatConfigSchema = z
  .strictObject({
    /** The tutorial's chat protocol. */
    line: listen(DEFAULT_PORTS.line).default({ host: 'localhost', port: DEFAULT_PORTS.line }),
    irc: listen(DEFAULT_PORTS.irc).default({ host: 'localhost', port: DEFAULT_PORTS.irc }),
    /** IRC over TLS: on (6697) only when a certificate is set, unless given. */
    ircs: listen(DEFAULT_PORTS.ircs).optional(),
    http: listen(DEFAULT_PORTS.http).default({ host: 'localhost', port: DEFAULT_PORTS.http }),
    ircWs: listen(DEFAULT_PORTS.ircWs).default(null),
    tlsCert: z.string().optional(),
    tlsKey: z.string().optional(),
    /** Where new users land (line and web doors). */
    room: z.string().default('#geral'),
    dataDir: z.string().default('./data'),
    /** Messages of a room's history a user gets on joining. */
    history: z.number().int().min(0).max(1000).default(20),
    lang: z.enum(['en', 'pt-BR']).default('en'),
    serverName: z.string().default('tomada.local'),
    network: z.string().default('tomada'),
    password: z.string().optional(),
    /** `NAME:PASSWORD` pairs for IRC `OPER`. */
    opers: z.array(z.string()).default([]),
    motdFile: z.string().optional(),
    allowOrigins: z.array(z.string()).default([]),
    /**
     * The longest spacing of fan-out writes (ms), reached when the server is busy (see core/turn.ts): each
     * recipient then gets the messages of the interval in one system call. A quiet server writes at once.
     * 0: after every event-loop turn.
     */
    coalesceMs: z.number().min(0).max(50).default(10),
    limits: z
      .strictObject({
        maxLine: z.number().int().min(64).default(8192),
        maxSendQueue: z
          .number()
          .int()
          .min(1024)
          .default(256 * 1024),
        maxConnections: z.number().int().min(1).default(10_000),
        maxPerIp: z.number().int().min(1).default(50),
        /** Lines per second a client may send, steady; `floodBurst` at once. */
        floodRate: z.number().positive().default(5),
        floodBurst: z.number().int().min(1).default(20),
        /** Lines waiting for flood control beyond which the client is disconnected. */
        floodQueue: z.number().int().min(1).default(100),
        keepAliveSecs: z.number().int().min(0).default(60),
        /** TLS (`--ircs`, HTTPS): the handshake's absolute deadline, counted from the connection's first byte. */
        handshakeTimeoutSecs: z.number().positive().max(300).default(15),
        /** Line door: text without a line ending counts as a message after this pause. */
        idleFlushMs: z.number().int().min(1).default(40),
        registrationTimeoutSecs: z.number().int().min(1).default(60),
        pingIntervalSecs: z.number().int().min(1).default(90),
        pingTimeoutSecs: z.number().int().min(1).default(120),
      })
      .prefault({}),
  })
  // Settings that cannot take effect are refused, not ignored (each names the key it is about).
  .superRefine((c, ctx) => {
    const say = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if (c.tlsCert !== undefined && c.tlsKey === undefined)
      say('tlsKey', 'missing: a certificate (tlsCert) needs its key');
    if (c.tlsKey !== undefined && c.tlsCert === undefined)
      say('tlsCert', 'missing: a key (tlsKey) needs its certificate');
    if (c.ircs && (c.tlsCert === undefined || c.tlsKey === undefined))
      say('ircs', 'IRC over TLS needs a certificate and its key (tlsCert, tlsKey)');
    if (
      c.line === null &&
      c.irc === null &&
      c.http === null &&
      c.ircWs === null &&
      !c.ircs &&
      !(c.ircs === undefined && c.tlsCert && c.tlsKey)
    )
      say('line', 'every door is off: switch at least one on (line, irc, ircs, http, ircWs)');
    if (c.allowOrigins.length > 0 && c.http === null && c.ircWs === null)
      say('allowOrigins', 'has no effect: the web doors (http, ircWs) are off');
    // IRC sessions run on the IRC listeners and on the web ones (IRC over WebSocket): with only the line
    // door on, IRC's own settings cannot take effect.
    const ircSomewhere =
      c.irc !== null || !!c.ircs || (c.ircs === undefined && !!c.tlsCert) || c.http !== null || c.ircWs !== null;
    if (!ircSomewhere && c.motdFile !== undefined)
      say('motdFile', 'has no effect: every IRC door (irc, ircs, http, ircWs) is off');
    if (!ircSomewhere && c.opers.length > 0)
      say('opers', 'has no effect: every IRC door (irc, ircs, http, ircWs) is off');
  });

export type ChatConfig = z.infer<typeof chatConfigSchema>;
export type ChatConfigInput = z.input<typeof chatConfigSchema>;
export type Listen = NonNullable<ChatConfig['line']>;

// The doors read a part of the configuration, typed below the server: it must stay a part of this one.
const _doorsReadThis: (c: ChatConfig) => DoorConfig = (c) => c;
void _doorsReadThis;

/** Builds a full configuration from partial input, with every default filled in. */
export function chatConfig(input: ChatConfigInput = {}): ChatConfig {
  const parsed = chatConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    if (issue.code === 'unrecognized_keys') {
      const key = [...issue.path, issue.keys[0]!].join('.');
      throw new ConfigError(`${key}: unknown setting`);
    }
    throw new ConfigError(`${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Reads a JSON configuration file (same keys as {@link ChatConfig}). */
export function readConfigFile(path: string): ChatConfigInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  try {
    return JSON.parse(text) as ChatConfigInput;
  } catch (err) {
    throw new ConfigError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}
