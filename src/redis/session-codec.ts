import type { EndedSession, SessionPatch, StoredSession } from '../ports/session-store.js';
import type { EndReason, SessionData } from '../types.js';

/**
 * How a session is laid out in Redis. The index entry ("meta") carries the lifecycle the scripts
 * decide on; the session hash carries the rest, with short field names and each app-data key in a
 * field of its own (`d:<key>`, JSON) so parallel updates of different keys never collide:
 *   dv device (JSON) · lo location (JSON, absent = null) · at authTime · v version · su step-up (JSON, absent = none)
 */
const DATA = 'd:';

export function encodeMeta(session: StoredSession): string {
  const { createdAt, lastAccess, expiresAt, absoluteExpiresAt, idleTimeoutMs, secretHash } = session;
  return ['L', createdAt, lastAccess, expiresAt, absoluteExpiresAt, idleTimeoutMs, secretHash].join('|');
}

interface Meta {
  createdAt: number;
  lastAccess: number;
  expiresAt: number;
  absoluteExpiresAt: number;
  idleTimeoutMs: number;
  secretHash: string;
}

export function decodeMeta(meta: string): Meta {
  const [kind, createdAt, lastAccess, expiresAt, absoluteExpiresAt, idleTimeoutMs, secretHash] = meta.split('|');
  if (kind !== 'L' || secretHash === undefined) throw new Error('sessionward: unreadable session index entry');
  return {
    createdAt: Number(createdAt),
    lastAccess: Number(lastAccess),
    expiresAt: Number(expiresAt),
    absoluteExpiresAt: Number(absoluteExpiresAt),
    idleTimeoutMs: Number(idleTimeoutMs),
    secretHash,
  };
}

/** The session hash's field/value pairs for a new session. */
export function encodeFields(session: StoredSession): string[] {
  const fields = ['dv', JSON.stringify(session.deviceInfo), 'at', String(session.authTime), 'v', String(session.version)];
  if (session.locationInfo !== null) fields.push('lo', JSON.stringify(session.locationInfo));
  if (session.stepUp !== null) fields.push('su', JSON.stringify(session.stepUp));
  for (const [key, value] of Object.entries(session.data)) fields.push(DATA + key, JSON.stringify(value));
  return fields;
}

/** A patch as fields to set and fields to delete. */
export function encodePatch(patch: SessionPatch): { set: string[]; remove: string[] } {
  const set: string[] = [];
  const remove: string[] = [];
  for (const [key, value] of Object.entries(patch.data?.set ?? {})) set.push(DATA + key, JSON.stringify(value));
  for (const key of patch.data?.unset ?? []) remove.push(DATA + key);
  if (patch.authTime !== undefined) set.push('at', String(patch.authTime));
  if (patch.deviceInfo !== undefined) set.push('dv', JSON.stringify(patch.deviceInfo));
  if (patch.locationInfo === null) remove.push('lo');
  else if (patch.locationInfo !== undefined) set.push('lo', JSON.stringify(patch.locationInfo));
  if (patch.stepUp === null) remove.push('su');
  else if (patch.stepUp !== undefined) set.push('su', JSON.stringify(patch.stepUp));
  return { set, remove };
}

/** A live session from its id, user, index entry and flat hash fields. */
export function decodeSession(id: string, userId: string, meta: string, flat: readonly string[]): StoredSession {
  const fields = new Map<string, string>();
  for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i]!, flat[i + 1]!);
  const data: SessionData = {};
  for (const [field, value] of fields) if (field.startsWith(DATA)) data[field.slice(DATA.length)] = JSON.parse(value);
  const json = (field: string) => {
    const value = fields.get(field);
    return value === undefined ? null : JSON.parse(value);
  };
  return {
    id,
    userId,
    ...decodeMeta(meta),
    deviceInfo: json('dv'),
    locationInfo: json('lo'),
    authTime: Number(fields.get('at')),
    version: Number(fields.get('v')),
    stepUp: json('su'),
    data,
    isActive: true,
    endedAt: null,
    endReason: null,
    endedBy: null,
  };
}

export function endedSession(id: string, userId: string, reason: string, endedAt: string | number, endedBy: string): EndedSession {
  return { id, userId, endReason: reason as EndReason, endedAt: Number(endedAt), endedBy: endedBy === '' ? null : endedBy };
}
