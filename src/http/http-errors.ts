import { ErrorCode, isSessionError } from '../errors.js';
import type { RefusalReason } from '../types.js';
import type { HttpResponse } from './http-types.js';
import { sessionJson } from './session-json.js';

const CODE_BY_REASON: Record<RefusalReason, ErrorCode> = {
  missing: ErrorCode.Invalid,
  malformed: ErrorCode.Invalid,
  invalid: ErrorCode.Invalid,
  'expired-idle': ErrorCode.Expired,
  'expired-absolute': ErrorCode.Expired,
  revoked: ErrorCode.Revoked,
  'logged-out': ErrorCode.Revoked,
  evicted: ErrorCode.Revoked,
  rotated: ErrorCode.Revoked,
  'step-up-required': ErrorCode.StepUpRequired,
};

const NO_STORE = { 'cache-control': 'no-store' };

/** 401 with the reason a client can act on ("your session expired", "signed out elsewhere"). */
export function refusalResponse(reason: RefusalReason): HttpResponse {
  return { status: 401, headers: { ...NO_STORE }, body: { error: CODE_BY_REASON[reason], reason } };
}

/** 403 for a state-changing request from another origin (the cross-origin guard). */
export function crossOriginResponse(): HttpResponse {
  return { status: 403, headers: { ...NO_STORE }, body: { error: ErrorCode.Forbidden, reason: 'cross-origin' } };
}

/**
 * The response for a sessionward error, the same in every framework; null for any other error
 * (the app's own error handling takes those). Bodies are generic: no stack, no credential.
 */
export function errorResponse(error: unknown, currentSessionId: string | null = null): HttpResponse | null {
  if (!isSessionError(error)) return null;
  switch (error.code) {
    case ErrorCode.LimitExceeded:
      return {
        status: 403,
        headers: { ...NO_STORE },
        body: {
          error: error.code,
          reason: 'limit-exceeded',
          limit: error.details.limit,
          sessions: (error.details.sessions ?? []).map((summary) => sessionJson(summary, currentSessionId)),
        },
      };
    case ErrorCode.StoreUnavailable:
      // 503, not 401: the client keeps its credential and retries.
      return {
        status: 503,
        headers: { ...NO_STORE, 'retry-after': String(error.details.retryAfterSeconds ?? 1) },
        body: { error: error.code, reason: 'store-unavailable' },
      };
    default:
      return { status: error.statusCode, headers: { ...NO_STORE }, body: { error: error.code, ...(error.details.reason ? { reason: error.details.reason } : {}) } };
  }
}
