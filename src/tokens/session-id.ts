import { randomToken } from './random.js';

/**
 * Session ids are `<userKey>.<random>`: 16 characters of the user's partition key, then 128 random
 * bits. Carrying the partition key lets a cluster-aware store find the session's slot from the id
 * alone, so `revoke(sessionId)` and validation need no lookup. The id is a handle, not a secret.
 */
const SESSION_ID_PATTERN = /^([A-Za-z0-9_-]{16})\.[A-Za-z0-9_-]{22}$/;

export function newSessionId(userKey: string): string {
  return `${userKey}.${randomToken()}`;
}

/** The partition key of an id already known to be a session id (one the store or a session gave): no check. */
export function partitionKeyOf(sessionId: string): string {
  return sessionId.slice(0, sessionId.indexOf('.'));
}

/** The partition key inside a session id, or null when the string is not a session id. */
export function userKeyOf(sessionId: string): string | null {
  if (typeof sessionId !== 'string' || sessionId.length !== 39) return null;
  return SESSION_ID_PATTERN.exec(sessionId)?.[1] ?? null;
}
