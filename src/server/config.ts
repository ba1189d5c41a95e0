import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { parseListen } from '../address.js';
import { ConfigError } from '../errors.js';
import { t, translator, type Params } from '../i18n/index.js';
import { configText } from './config-text.js';
import { DEFAULT_PORTS, type DoorConfig } from '../protocols/door.js';
import { redactUrl, storeUrlProblem } from '../storage/url.js';
import { clusterUrlProblem, NODE_NAME } from '../cluster/url.js';

const hostPort = z.strictObject({ host: z.string(), port: z.number().int().min(0).max(65535) });

/** A refusal of tomada's own: the catalogue key (and parameters) travel in the issue, for the CLI. */
const refusal = (key: string, params: Params = {}) => ({
  code: 'custom' as const,
  message: t('en', key, params),
  params: { key, ...params },
});

/**
 * A door's address. Besides `{host, port}` and `null` (off), a config file may write it as the flags
 * do (the same parser): `"off"` (or `false`), `5000`, `"5000"`, `"0.0.0.0:5000"`, `"[::1]:5000"`.
 */
const listen = (port: number) =>
  z.preprocess((v, ctx) => {
    if (v === false) return null;
    if (typeof v === 'number') return { host: 'localhost', port: v };
    if (typeof v !== 'string') return v;
    try {
      return parseListen(v, { host: 'localhost', port });
    } catch {
      ctx.addIssue({ ...refusal('config.badAddress', { value: JSON.stringify(v) }), input: v });
      return z.NEVER;
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
    /**
     * Where room history is kept when not in SQLite under `dataDir`: `postgres://USER[:PASS]@HOST:PORT/DB`
     * (`?sslmode=require` and libpq's other URL parameters are pg's). Several nodes may share it.
     */
    store: z
      .string()
      .superRefine((v, ctx) => {
        const problem = storeUrlProblem(v);
        // The value is said without its password.
        if (problem) ctx.addIssue({ ...refusal('config.badStore', { value: redactUrl(v) }), input: redactUrl(v) });
      })
      .optional(),
    /**
     * The Redis of a network of nodes: `redis://[:PASS@]HOST:PORT[/DB]` (`rediss://` for TLS). Unset: a
     * network of one, in-process.
     */
    cluster: z
      .string()
      .superRefine((v, ctx) => {
        if (clusterUrlProblem(v))
          ctx.addIssue({ ...refusal('cluster.badUrl', { value: redactUrl(v) }), input: redactUrl(v) });
      })
      .optional(),
    /** This node's name in the network (default: the host name and the first door's port). */
    nodeName: z
      .string()
      .superRefine((v, ctx) => {
        if (!NODE_NAME.test(v)) ctx.addIssue({ ...refusal('cluster.badNodeName', { value: v }), input: v });
      })
      .optional(),
    /** Messages of a room's history a user gets on joining. */
    history: z.number().int().min(0).max(1000).default(20),
    lang: z.enum(['en', 'pt-BR']).default('en'),
    serverName: z.string().default('tomada.local'),
    network: z.string().default('tomada'),
    password: z.string().optional(),
    /** `NAME:PASSWORD` pairs for IRC `OPER`. */
    opers: z.array(z.string()).default([]),
    motdFile: z.string().optional(),
    /** Whether people may register their nickname themselves (`/register`, NickServ). */
    registration: z.enum(['open', 'closed']).default('open'),
    /** Seconds a registered nickname may be used without logging in before it is changed to a guest name. */
    nickGraceSecs: z.number().min(0).max(3600).default(30),
    /** Line door: seconds to wait for `/login` when the nickname given is registered. */
    loginTimeoutSecs: z.number().min(1).max(600).default(60),
    /** IRC client-only tags not relayed (`CLIENTTAGDENY`): names without `+`, `*` first for all, `-name` to except. */
    clientTagDeny: z.array(z.string().regex(/^(\*|-?[\w./-]+)$/)).default([]),
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
    const say = (path: string, key: string) => ctx.addIssue({ ...refusal(key), path: [path] });
    if (c.tlsCert !== undefined && c.tlsKey === undefined) say('tlsKey', 'config.tlsKeyMissing');
    if (c.tlsKey !== undefined && c.tlsCert === undefined) say('tlsCert', 'config.tlsCertMissing');
    if (c.ircs && (c.tlsCert === undefined || c.tlsKey === undefined)) say('ircs', 'config.ircsNeedsCert');
    if (
      c.line === null &&
      c.irc === null &&
      c.http === null &&
      c.ircWs === null &&
      !c.ircs &&
      !(c.ircs === undefined && c.tlsCert && c.tlsKey)
    )
      say('line', 'config.allDoorsOff');
    if (c.allowOrigins.length > 0 && c.http === null && c.ircWs === null) say('allowOrigins', 'config.noWebDoor');
    // IRC sessions run on the IRC listeners and on the web ones (IRC over WebSocket): with only the line
    // door on, IRC's own settings cannot take effect.
    const ircSomewhere =
      c.irc !== null || !!c.ircs || (c.ircs === undefined && !!c.tlsCert) || c.http !== null || c.ircWs !== null;
    if (!ircSomewhere && c.motdFile !== undefined) say('motdFile', 'config.noIrcDoor');
    if (!ircSomewhere && c.opers.length > 0) say('opers', 'config.noIrcDoor');
  });

export type ChatConfig = z.infer<typeof chatConfigSchema>;
export type ChatConfigInput = z.input<typeof chatConfigSchema>;
export type Listen = NonNullable<ChatConfig['line']>;

// The doors read a part of the configuration, typed below the server: it must stay a part of this one.
const _doorsReadThis: (c: ChatConfig) => DoorConfig = (c) => c;
void _doorsReadThis;

/** A value as a refusal shows it: short JSON (`"x"`, `1.5`, `null`), or its kind for lists and objects. */
function shown(v: unknown): string {
  if (Array.isArray(v)) return 'config.type.array';
  if (v !== null && typeof v === 'object') return 'config.type.object';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? text.slice(0, 39) + '…' : text;
}

/**
 * One zod issue as a catalogue key and its parameters. The codes tomada's schema can produce are mapped
 * to texts of its own; anything else keeps zod's (English) text.
 */
function describeIssue(issue: z.core.$ZodIssue): { key: string; params: Params } {
  const value = shown(issue.input);
  switch (issue.code) {
    case 'unrecognized_keys':
      return { key: 'config.unknownKey', params: {} };
    case 'invalid_type':
      if (issue.input === undefined)
        return { key: 'config.missing', params: { expected: `config.type.${issue.expected}` } };
      return { key: 'config.invalidType', params: { expected: `config.type.${issue.expected}`, value } };
    case 'too_small':
      return {
        key: issue.inclusive ? 'config.tooSmall' : 'config.notAbove',
        params: { limit: String(issue.minimum), value },
      };
    case 'too_big':
      return {
        key: issue.inclusive ? 'config.tooBig' : 'config.notBelow',
        params: { limit: String(issue.maximum), value },
      };
    case 'invalid_value':
      return {
        key: 'config.invalidValue',
        params: { values: issue.values.map((v) => JSON.stringify(v)).join(', '), value },
      };
    case 'invalid_format':
      return { key: 'config.invalidFormat', params: { format: issue.format, value } };
    case 'custom': {
      const { key, ...params } = (issue.params ?? {}) as Params & { key?: string };
      if (typeof key === 'string') return { key, params };
      return { key: 'config.other', params: { text: issue.message } };
    }
    default:
      return { key: 'config.other', params: { text: issue.message } };
  }
}

const english = translator('en');

/** Builds a full configuration from partial input, with every default filled in. */
export function chatConfig(input: ChatConfigInput = {}): ChatConfig {
  const parsed = chatConfigSchema.safeParse(input, { reportInput: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path =
      issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!].join('.') : issue.path.join('.') || '(root)';
    const { key, params } = describeIssue(issue);
    throw new ConfigError(`${path}: ${configText(english, key, params)}`, key, params, path);
  }
  return parsed.data;
}

/** Reads a file a setting names (`tlsCert`, `tlsKey`); one that cannot be read is refused with the setting's path. */
export function readSettingFile(setting: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    const params = { file, code: (err as NodeJS.ErrnoException).code ?? String(err) };
    throw new ConfigError(`${setting}: ${t('en', 'config.cannotRead', params)}`, 'config.cannotRead', params, setting);
  }
}

/** Reads a JSON configuration file (same keys as {@link ChatConfig}). */
export function readConfigFile(path: string): ChatConfigInput {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const params = { file: path, code: (err as NodeJS.ErrnoException).code ?? String(err) };
    throw new ConfigError(t('en', 'config.cannotRead', params), 'config.cannotRead', params);
  }
  try {
    return JSON.parse(text) as ChatConfigInput;
  } catch (err) {
    const params = { file: path, detail: (err as Error).message };
    throw new ConfigError(t('en', 'config.badJson', params), 'config.badJson', params);
  }
}
