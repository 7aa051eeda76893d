import { invalidArgument } from '../errors.js';
import type { SessionRef } from '../ports/session-store.js';
import { userKeyOf } from '../tokens/session-id.js';
import type { SessionData } from '../types.js';
import { isJsonObject } from './public-session.js';

const MAX_USER_ID_LENGTH = 512;

/** The store reference a session id carries (its user's hash tag), or null for an id we never issued. */
export function refOf(sessionId: string): SessionRef | null {
  const userKey = userKeyOf(sessionId);
  return userKey === null ? null : { id: sessionId, userKey };
}

export function checkUserId(userId: unknown): string {
  if (typeof userId !== 'string' || userId.length === 0 || userId.length > MAX_USER_ID_LENGTH) {
    throw invalidArgument('userId', `must be a non-empty string of at most ${MAX_USER_ID_LENGTH} characters`);
  }
  return userId;
}

/** A JSON copy: every store keeps exactly what JSON can, so behaviour does not depend on the store. */
export function jsonData(value: unknown, argument: string): SessionData {
  if (!isJsonObject(value)) throw invalidArgument(argument, 'must be a plain JSON object');
  return JSON.parse(JSON.stringify(value)) as SessionData;
}

const AMR_VALUE = /^[\w-]{1,32}$/;

/** Authentication method references (`['pwd', 'otp']`): a few short names, nothing a log could choke on. */
export function checkAmr(value: unknown, argument: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 8 || !value.every((entry) => typeof entry === 'string' && AMR_VALUE.test(entry))) {
    throw invalidArgument(argument, 'must be at most 8 method names like "pwd" or "otp"');
  }
  return [...new Set(value as string[])];
}
