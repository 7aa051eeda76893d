import type { SessionSummary } from './session-summary.js';

/**
 * Stable codes of the errors sessionward throws. Switch on `err.code`, not on `instanceof`: the
 * ESM and CJS builds each carry their own `SessionError` class, and both may be loaded in one
 * process. Refusals (no session, expired, revoked, held) are values of `validate`, never thrown;
 * their response labels are in `sessionward/http` (`ResponseCode`).
 */
export const ErrorCode = {
  /** An option is missing, malformed or unsafe. Thrown at construction; names the option. */
  InvalidOptions: 'ERR_SESSION_INVALID_OPTIONS',
  /** An argument passed to a method is malformed (for example an empty user id). */
  InvalidArgument: 'ERR_SESSION_INVALID_ARGUMENT',
  /** The concurrent-login limit refused a new session; `details.sessions` lists the live ones. */
  LimitExceeded: 'ERR_SESSION_LIMIT_EXCEEDED',
  /** The store could not answer. Retry later; never treat it as "logged out". */
  StoreUnavailable: 'ERR_SESSION_STORE_UNAVAILABLE',
  /** A guarded update lost against a concurrent one. Re-read and retry. */
  Conflict: 'ERR_SESSION_CONFLICT',
  /** The store failed in a way a retry will not fix (a bug, a broken script, a wrong reply): not an outage. */
  StoreFailed: 'ERR_SESSION_STORE_FAILED',
  /** A request session was read before `load()` (or `requireSession()`) validated it. */
  NotLoaded: 'ERR_SESSION_NOT_LOADED',
  /** The configured store cannot do this (e.g. `purgeUser` on a store without `purge`). */
  Unsupported: 'ERR_SESSION_UNSUPPORTED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** What `details` holds, per code: `isSessionError(e, code)` narrows it. */
export interface ErrorDetailsByCode {
  ERR_SESSION_INVALID_OPTIONS: { /** The option path, e.g. `expiry.idleTimeout`. */ option: string };
  ERR_SESSION_INVALID_ARGUMENT: { argument: string };
  ERR_SESSION_LIMIT_EXCEEDED: {
    /** The user's live sessions (summaries: no app data), so a UI can offer to end one. */
    sessions: SessionSummary[];
    /** The limit that applied. */
    limit: number;
    reason: 'limit-exceeded';
  };
  ERR_SESSION_STORE_UNAVAILABLE: { /** Seconds a client should wait before retrying. */ retryAfterSeconds: number };
  ERR_SESSION_CONFLICT: Record<string, never>;
  ERR_SESSION_STORE_FAILED: Record<string, never>;
  ERR_SESSION_NOT_LOADED: Record<string, never>;
  ERR_SESSION_UNSUPPORTED: { operation: string };
}

export type SessionErrorDetails<C extends ErrorCode = ErrorCode> = ErrorDetailsByCode[C];

const statusByCode: Record<ErrorCode, number> = {
  ERR_SESSION_INVALID_OPTIONS: 500,
  ERR_SESSION_INVALID_ARGUMENT: 400,
  ERR_SESSION_LIMIT_EXCEEDED: 403,
  ERR_SESSION_STORE_UNAVAILABLE: 503,
  ERR_SESSION_CONFLICT: 409,
  ERR_SESSION_STORE_FAILED: 500,
  ERR_SESSION_NOT_LOADED: 500,
  ERR_SESSION_UNSUPPORTED: 500,
};

/** The one error class sessionward throws. Messages are generic: no token or secret ever appears. */
export class SessionError<C extends ErrorCode = ErrorCode> extends Error {
  override readonly name = 'SessionError';
  readonly code: C;
  /** The HTTP status an adapter answers with. */
  readonly statusCode: number;
  readonly details: SessionErrorDetails<C>;

  constructor(
    code: C,
    message: string,
    ...[options]: SessionErrorDetails<C> extends Record<string, never>
      ? [{ cause?: unknown; details?: SessionErrorDetails<C> }?]
      : [{ cause?: unknown; details: SessionErrorDetails<C> }]
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.statusCode = statusByCode[code];
    this.details = (options?.details ?? {}) as SessionErrorDetails<C>;
  }

  /** True when repeating the same call later may succeed. */
  get retryable(): boolean {
    return this.code === ErrorCode.StoreUnavailable || this.code === ErrorCode.Conflict;
  }
}

const knownCodes = new Set<string>(Object.values(ErrorCode));

/**
 * Recognises a sessionward error by its code, across module copies. With `code`, also checks it,
 * and narrows `details` to that code's shape.
 * @example if (isSessionError(err, 'ERR_SESSION_LIMIT_EXCEEDED')) showSessions(err.details.sessions)
 */
export function isSessionError<C extends ErrorCode = ErrorCode>(value: unknown, code?: C): value is SessionError<C> {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = (value as { code?: unknown }).code;
  if (typeof candidate !== 'string' || !knownCodes.has(candidate)) return false;
  return code === undefined || candidate === code;
}

export function invalidOption(option: string, problem: string): SessionError<'ERR_SESSION_INVALID_OPTIONS'> {
  return new SessionError(ErrorCode.InvalidOptions, `Invalid sessionward option "${option}": ${problem}`, { details: { option } });
}

export function invalidArgument(argument: string, problem: string): SessionError<'ERR_SESSION_INVALID_ARGUMENT'> {
  return new SessionError(ErrorCode.InvalidArgument, `Invalid argument "${argument}": ${problem}`, { details: { argument } });
}

export function unsupported(operation: string, problem: string): SessionError<'ERR_SESSION_UNSUPPORTED'> {
  return new SessionError(ErrorCode.Unsupported, `sessionward: ${problem}`, { details: { operation } });
}

/** Wraps a store fault. Never lets it read as "no session". */
export function storeUnavailable(operation: string, cause: unknown, retryAfterSeconds = 1): SessionError<'ERR_SESSION_STORE_UNAVAILABLE'> {
  if (isSessionError(cause, ErrorCode.StoreUnavailable)) return cause;
  return new SessionError(ErrorCode.StoreUnavailable, `Session store unavailable during ${operation}`, { cause, details: { retryAfterSeconds } });
}
