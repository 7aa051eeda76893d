import type { RequestSession } from './request-session.js';

/**
 * Where a request session is found on the framework's request when it is attached under another
 * name than `session`. `Symbol.for`, so the ESM and the CJS copy of the package agree.
 */
export const REQUEST_SESSION = Symbol.for('sessionward.request-session');
/** Marks every RequestSession (on its prototype), so a `session` property is only taken for ours. */
export const SESSION_BRAND = Symbol.for('sessionward.request-session.brand');

/**
 * Puts the request session on the framework's request (or Koa's `ctx.state`) as `property`, the
 * name the app reads. Each property a request object gains costs about a microsecond on Express,
 * so under the default name that one property is all; another name also gets the symbol.
 */
export function attachSession(target: object, property: string, session: RequestSession): void {
  const slots = target as Record<string | symbol, unknown>;
  slots[property] = session;
  if (property !== 'session') slots[REQUEST_SESSION] = session;
}

/** The request session `attachSession` put on `target`, or undefined. */
export function attachedSession(target: object): RequestSession | undefined {
  const slots = target as Record<string | symbol, unknown>;
  const named = slots.session;
  if (isRequestSession(named)) return named;
  const slot = slots[REQUEST_SESSION];
  return isRequestSession(slot) ? slot : undefined;
}

function isRequestSession(value: unknown): value is RequestSession {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[SESSION_BRAND] === true;
}
