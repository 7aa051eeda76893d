import type { SessionSummary } from './session-summary.js';

/**
 * Stable error codes. Switch on `err.code`, not on `instanceof`: the ESM and CJS builds each
 * carry their own `SessionError` class, and both may be loaded in one process.
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
  /** The credential is missing, malformed, forged or names no session. */
  Invalid: 'ERR_SESSION_INVALID',
  /** The session passed its idle timeout or its absolute lifetime. */
  Expired: 'ERR_SESSION_EXPIRED',
  /** The session was ended: logout, revocation, eviction by the limit, or ID rotation. */
  Revoked: 'ERR_SESSION_REVOKED',
  /** The session is held until the user re-authenticates. */
  StepUpRequired: 'ERR_SESSION_STEP_UP_REQUIRED',
  /** The caller may not do this (e.g. an admin route refused by `authorize`). */
  Forbidden: 'ERR_SESSION_FORBIDDEN',
  /** No such session (or not one of the caller's). */
  NotFound: 'ERR_SESSION_NOT_FOUND',
  /** The store failed in a way a retry will not fix (a bug, a broken script, a wrong reply): not an outage. */
  StoreFailed: 'ERR_SESSION_STORE_FAILED',
  /** A request session was read before `load()` (or `requireSession()`) validated it. */
  NotLoaded: 'ERR_SESSION_NOT_LOADED',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

const statusByCode: Record<ErrorCode, number> = {
  ERR_SESSION_INVALID_OPTIONS: 500,
  ERR_SESSION_INVALID_ARGUMENT: 400,
  ERR_SESSION_LIMIT_EXCEEDED: 403,
  ERR_SESSION_STORE_UNAVAILABLE: 503,
  ERR_SESSION_CONFLICT: 409,
  ERR_SESSION_INVALID: 401,
  ERR_SESSION_EXPIRED: 401,
  ERR_SESSION_REVOKED: 401,
  ERR_SESSION_STEP_UP_REQUIRED: 401,
  ERR_SESSION_FORBIDDEN: 403,
  ERR_SESSION_NOT_FOUND: 404,
  ERR_SESSION_STORE_FAILED: 500,
  ERR_SESSION_NOT_LOADED: 500,
};

export interface SessionErrorDetails {
  /** Why a session was refused, as a machine-readable reason (`expired-idle`, `revoked`, ...). */
  reason?: string;
  /** With `ERR_SESSION_LIMIT_EXCEEDED`: the user's live sessions (summaries: no app data), so a UI can offer to end one. */
  sessions?: SessionSummary[];
  /** With `ERR_SESSION_LIMIT_EXCEEDED`: the limit that applied. */
  limit?: number;
  /** With `ERR_SESSION_STORE_UNAVAILABLE`: seconds a client should wait before retrying. */
  retryAfterSeconds?: number;
  /** With `ERR_SESSION_INVALID_OPTIONS`: the option path, e.g. `expiry.idleTimeout`. */
  option?: string;
}

/** The one error class sessionward throws. Messages are generic: no token or secret ever appears. */
export class SessionError extends Error {
  override readonly name = 'SessionError';
  readonly code: ErrorCode;
  /** The HTTP status an adapter answers with. */
  readonly statusCode: number;
  readonly details: SessionErrorDetails;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; details?: SessionErrorDetails } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.statusCode = statusByCode[code];
    this.details = options.details ?? {};
  }

  /** True when repeating the same call later may succeed. */
  get retryable(): boolean {
    return this.code === ErrorCode.StoreUnavailable || this.code === ErrorCode.Conflict;
  }
}

const knownCodes = new Set<string>(Object.values(ErrorCode));

/**
 * Recognises a sessionward error by its code, across module copies. With `code`, also checks it.
 * @example if (isSessionError(err, 'ERR_SESSION_LIMIT_EXCEEDED')) showSessions(err.details.sessions)
 */
export function isSessionError(value: unknown, code?: ErrorCode): value is SessionError {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = (value as { code?: unknown }).code;
  if (typeof candidate !== 'string' || !knownCodes.has(candidate)) return false;
  return code === undefined || candidate === code;
}

export function invalidOption(option: string, problem: string): SessionError {
  return new SessionError(ErrorCode.InvalidOptions, `Invalid sessionward option "${option}": ${problem}`, {
    details: { option },
  });
}

export function invalidArgument(argument: string, problem: string): SessionError {
  return new SessionError(ErrorCode.InvalidArgument, `Invalid argument "${argument}": ${problem}`);
}

/** Wraps a store fault. Never lets it read as "no session". */
export function storeUnavailable(operation: string, cause: unknown, retryAfterSeconds = 1): SessionError {
  if (isSessionError(cause, ErrorCode.StoreUnavailable)) return cause;
  return new SessionError(ErrorCode.StoreUnavailable, `Session store unavailable during ${operation}`, {
    cause,
    details: { retryAfterSeconds },
  });
}
