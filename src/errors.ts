/**
 * Error classes with stable codes (`TOMADA_ERR_*`), so callers (and the CLI's one-line error messages)
 * switch on `code`, never on message text.
 */
export class TomadaError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Bad flags or arguments: the CLI exits with status 2. Carries a message-catalogue key (and its
 * parameters) so the CLI can say it in the user's language.
 */
export class UsageError extends TomadaError {
  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super('TOMADA_ERR_USAGE', `${key} ${JSON.stringify(params)}`);
  }
}

/** A connect or read that took longer than allowed. */
export class TimeoutError extends TomadaError {
  constructor(
    readonly phase: 'connect' | 'read',
    readonly ms: number,
    readonly host?: string,
    readonly port?: number,
  ) {
    super('TOMADA_ERR_TIMEOUT', `${phase} timed out after ${ms} ms`);
  }
}

/** A UDP request got no answer in time (UDP promises no delivery). */
export class NoReplyError extends TomadaError {
  constructor(
    readonly ms: number,
    readonly host: string,
    readonly port: number,
  ) {
    super('TOMADA_ERR_NO_REPLY', `no reply from ${host}:${port} within ${ms} ms`);
  }
}

/** The peer closed the connection before the exchange was complete. */
export class PeerClosedError extends TomadaError {
  constructor(message = 'connection closed by the peer') {
    super('TOMADA_ERR_PEER_CLOSED', message);
  }
}

/**
 * A configuration file or value that cannot be used. `message` is English (`PATH: text`); `key` and
 * `params` name the same text in the message catalogue and `path` the setting (`limits.maxLine`), so
 * the CLI can say it in the user's language with the path as it is.
 */
export class ConfigError extends TomadaError {
  constructor(
    message: string,
    readonly key?: string,
    readonly params: Record<string, string | number> = {},
    readonly path?: string,
  ) {
    super('TOMADA_ERR_CONFIG', message);
  }
}

/**
 * The cluster's shared state (Redis) cannot be reached now, so an operation that needs it (claiming a
 * nickname) is refused rather than done wrongly.
 */
export class ClusterUnavailableError extends TomadaError {
  constructor(what: string, options?: { cause?: unknown }) {
    super('TOMADA_ERR_CLUSTER_UNAVAILABLE', `${what}: the cluster's Redis cannot be reached`, options);
  }
}

/**
 * A command that could not do what was asked (an account that exists, one that does not): exit 1, one
 * line. Carries a message-catalogue key like {@link UsageError}.
 */
export class CommandFailure extends TomadaError {
  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super('TOMADA_ERR_COMMAND', `${key} ${JSON.stringify(params)}`);
  }
}

/**
 * The history store (PostgreSQL) cannot be opened: unreachable, refused, or its schema cannot be brought
 * up to date. Carries a catalogue key and parameters (the URL without its password) for the CLI's line.
 */
export class StoreError extends TomadaError {
  constructor(
    readonly key: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super('TOMADA_ERR_STORE', `${key} ${JSON.stringify(params)}`);
  }
}

/** OpenSSL's verdicts on a peer's certificate, as Node reports them in `err.code`. */
const CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/**
 * Whether `err` (or its cause) is a TLS server certificate this process does not trust: a private
 * certificate authority most often, which the messages then say how to trust.
 */
export function isCertificateError(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth++) {
    if (CERTIFICATE_CODES.has((e as NodeJS.ErrnoException).code ?? '')) return true;
  }
  return false;
}
