/**
 * IRC messages (RFC 1459 §2.3.1, modern.ircdocs.horse "Messages") with IRCv3 message tags
 * (https://ircv3.net/specs/extensions/message-tags). Pure: strings in, objects out.
 *
 *   [@tags SPACE] [:source SPACE] command [params] [SPACE :trailing]
 */
export interface IrcMessage {
  /** Tag values are unescaped; a tag without a value has `''`. */
  tags: Record<string, string>;
  source?: string;
  command: string;
  params: string[];
}

/** Longest body a server accepts or sends: 512 bytes with CRLF (RFC 1459 §2.3). */
export const MAX_BODY_BYTES = 510;
/** Longest tag section from a client, `@` and the final space included (message-tags "Size limits"). */
export const MAX_CLIENT_TAG_BYTES = 4096;
/** Longest tag section overall, as sent by a server (`@` and the final space included). */
export const MAX_TAG_BYTES = 8191;

const ESCAPES: Record<string, string> = { ':': ';', s: ' ', '\\': '\\', r: '\r', n: '\n' };

/** Tag value escaping (message-tags "Escaping values"). */
export function escapeTagValue(value: string): string {
  return value.replace(/[;\s\\\0]/g, (c) => {
    switch (c) {
      case ';':
        return '\\:';
      case ' ':
        return '\\s';
      case '\\':
        return '\\\\';
      case '\r':
        return '\\r';
      case '\n':
        return '\\n';
      default:
        return '';
    }
  });
}

/** Reverses {@link escapeTagValue}; an unknown escape `\x` is `x`, a trailing lone `\` is dropped. */
export function unescapeTagValue(value: string): string {
  if (!value.includes('\\')) return value;
  let out = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = value[++i];
    if (n === undefined) break;
    out += ESCAPES[n] ?? n;
  }
  return out;
}

/** Splits a raw line into its tag section (without `@`) and the rest, for the size checks. */
export function splitTagSection(line: string): { tags: string | undefined; body: string } {
  if (!line.startsWith('@')) return { tags: undefined, body: line };
  const sp = line.indexOf(' ');
  if (sp === -1) return { tags: line.slice(1), body: '' };
  let i = sp;
  while (line[i] === ' ') i++;
  return { tags: line.slice(1, sp), body: line.slice(i) };
}

function parseTags(raw: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const part of raw.split(';')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    if (key === '' || key === '+') continue;
    tags[key] = eq === -1 ? '' : unescapeTagValue(part.slice(eq + 1));
  }
  return tags;
}

/**
 * Parses one line (without CR LF). Returns undefined for a line with no command (empty, or only tags
 * and a source), which servers silently ignore. Commands are upper-cased.
 */
export function parseMessage(line: string): IrcMessage | undefined {
  let i = 0;
  const n = line.length;
  const skipSpaces = () => {
    while (i < n && line[i] === ' ') i++;
  };
  let tags: Record<string, string> = {};
  if (line[0] === '@') {
    const sp = line.indexOf(' ');
    if (sp === -1) return undefined;
    tags = parseTags(line.slice(1, sp));
    i = sp;
  }
  skipSpaces();
  let source: string | undefined;
  if (line[i] === ':') {
    const sp = line.indexOf(' ', i);
    if (sp === -1) return undefined;
    source = line.slice(i + 1, sp);
    i = sp;
    skipSpaces();
  }
  let sp = line.indexOf(' ', i);
  if (sp === -1) sp = n;
  const command = line.slice(i, sp).toUpperCase();
  if (command === '') return undefined;
  i = sp;
  const params: string[] = [];
  for (;;) {
    skipSpaces();
    if (i >= n) break;
    if (line[i] === ':') {
      params.push(line.slice(i + 1));
      break;
    }
    let end = line.indexOf(' ', i);
    if (end === -1) end = n;
    params.push(line.slice(i, end));
    i = end;
  }
  const msg: IrcMessage = { tags, command, params };
  if (source !== undefined) msg.source = source;
  return msg;
}

/** Removes what may never appear inside a parameter sent to others: CR, LF and NUL. */
export function cleanParam(value: string): string {
  return /[\r\n\0]/.test(value) ? value.replace(/[\r\n\0]/g, ' ') : value;
}

/** The tag section (`@a=b;c `), or '' without tags. */
export function serializeTags(tags: Record<string, string>): string {
  let out = '';
  for (const [k, v] of Object.entries(tags)) {
    out += (out === '' ? '@' : ';') + (v === '' ? k : `${k}=${escapeTagValue(v)}`);
  }
  return out === '' ? '' : out + ' ';
}

/** Commands whose last parameter servers conventionally send as a trailing (`:text`) even when it is one word. */
const TRAILING = new Set([
  'PRIVMSG',
  'NOTICE',
  'AWAY',
  'TOPIC',
  'PART',
  'QUIT',
  'KICK',
  'SETNAME',
  'ERROR',
  'PONG',
  'CAP',
  'FAIL',
  'RENAME',
  'METADATA',
]);

/**
 * Serialises a message to one line without CR LF. The last parameter gets a `:` when it needs one
 * (empty, has a space, or starts with `:`), and always for the text-carrying commands, as
 * established servers send them (naive bots split on ` :`); middle parameters that would need one are an
 * error. CR, LF and NUL are replaced by spaces so nothing can be smuggled into another line.
 */
export function serializeMessage(msg: IrcMessage): string {
  let out = serializeTags(msg.tags);
  if (msg.source !== undefined) out += `:${cleanParam(msg.source)} `;
  out += msg.command;
  const last = msg.params.length - 1;
  const force = TRAILING.has(msg.command) && (msg.command !== 'PART' || msg.params.length > 1);
  msg.params.forEach((p, idx) => {
    const v = cleanParam(p);
    if (idx === last) {
      out += force || v === '' || v.includes(' ') || v.startsWith(':') ? ` :${v}` : ` ${v}`;
    } else {
      if (v === '' || v.includes(' ') || v.startsWith(':'))
        throw new Error(`bad middle parameter: ${JSON.stringify(v)}`);
      out += ` ${v}`;
    }
  });
  // Tag keys and the command come from code, but a last guard keeps any line to one line.
  return cleanParam(out);
}

/** Cuts a string to at most `maxBytes` of UTF-8 without splitting a character. */
export function truncateUtf8(s: string, maxBytes: number): string {
  if (Buffer.byteLength(s) <= maxBytes) return s;
  let bytes = 0;
  let out = '';
  for (const ch of s) {
    const b = Buffer.byteLength(ch);
    if (bytes + b > maxBytes) break;
    bytes += b;
    out += ch;
  }
  return out;
}
