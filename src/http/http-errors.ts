import { ErrorCode, isSessionError, SessionError } from '../errors.js';
import type { RefusalReason } from '../types.js';
import type { HttpResponse } from './http-types.js';
import { ResponseCode } from './response-codes.js';
import { sessionJson } from './session-json.js';

const CODE_BY_REASON: Record<RefusalReason, ResponseCode> = {
  missing: ResponseCode.Invalid,
  malformed: ResponseCode.Invalid,
  invalid: ResponseCode.Invalid,
  'expired-idle': ResponseCode.Expired,
  'expired-absolute': ResponseCode.Expired,
  revoked: ResponseCode.Revoked,
  'logged-out': ResponseCode.Revoked,
  evicted: ResponseCode.Revoked,
  rotated: ResponseCode.Revoked,
  'step-up-required': ResponseCode.StepUpRequired,
  'refresh-reused': ResponseCode.Revoked,
  'reauthentication-required': ResponseCode.ReauthenticationRequired,
};

const NO_STORE = { 'cache-control': 'no-store' };

/** 401 with the reason a client can act on ("your session expired", "signed out elsewhere"). */
export function refusalResponse(reason: RefusalReason): HttpResponse {
  return { status: 401, headers: { ...NO_STORE }, body: { error: CODE_BY_REASON[reason], reason } };
}

/** 403 for a state-changing request from another origin (the cross-origin guard). */
export function crossOriginResponse(): HttpResponse {
  return { status: 403, headers: { ...NO_STORE }, body: { error: ResponseCode.Forbidden, reason: 'cross-origin' } };
}

/**
 * The response for a sessionward error, the same in every framework; null for any other error
 * (the app's own error handling takes those). Bodies are generic: no stack, no credential.
 */
export function errorResponse(error: unknown, currentSessionId: string | null = null): HttpResponse | null {
  if (!isSessionError(error)) return null;
  if (isSessionError(error, 'ERR_SESSION_LIMIT_EXCEEDED')) {
    const { limit, sessions } = error.details;
    return {
      status: 403,
      headers: { ...NO_STORE },
      body: { error: error.code, reason: 'limit-exceeded', limit, sessions: sessions.map((summary) => sessionJson(summary, currentSessionId)) },
    };
  }
  if (isSessionError(error, 'ERR_SESSION_STORE_UNAVAILABLE')) {
    // 503, not 401: the client keeps its credential and retries.
    return {
      status: 503,
      headers: { ...NO_STORE, 'retry-after': String(error.details.retryAfterSeconds ?? 1) },
      body: { error: error.code, reason: 'store-unavailable' },
    };
  }
  return { status: error.statusCode, headers: { ...NO_STORE }, body: { error: error.code } };
}

/** For adapters: a guard used where the middleware or plugin is not installed (a setup mistake). */
export function notInstalled(message: string): SessionError<'ERR_SESSION_NOT_LOADED'> {
  return new SessionError(ErrorCode.NotLoaded, message);
}
