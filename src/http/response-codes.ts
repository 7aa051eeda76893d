/**
 * The `error` labels of HTTP responses that are not thrown errors: refusals (which `validate`
 * returns as values) and the routes' own answers. Stable: clients may switch on them.
 */
export const ResponseCode = {
  /** The credential is missing, malformed, forged or names no session. */
  Invalid: 'ERR_SESSION_INVALID',
  /** The session passed its idle timeout or its absolute lifetime. */
  Expired: 'ERR_SESSION_EXPIRED',
  /** The session was ended: logout, revocation, eviction by the limit, or ID rotation. */
  Revoked: 'ERR_SESSION_REVOKED',
  /** The session is held until the user re-authenticates. */
  StepUpRequired: 'ERR_SESSION_STEP_UP_REQUIRED',
  /** The route needs a more recent authentication than the session's (`requireRecentAuth`). */
  ReauthenticationRequired: 'ERR_SESSION_REAUTHENTICATION_REQUIRED',
  /** An admin route refused by `authorize`, or a cross-origin state-changing request. */
  Forbidden: 'ERR_SESSION_FORBIDDEN',
  /** No such session (or not one of the caller's). */
  NotFound: 'ERR_SESSION_NOT_FOUND',
} as const;

export type ResponseCode = (typeof ResponseCode)[keyof typeof ResponseCode];
