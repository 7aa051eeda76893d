import { ErrorCode, SessionError } from '../errors.js';
import type { EndedSession, SessionPatch, StoredSession, TrailUpdate, UserTrail } from '../ports/session-store.js';
import { setOwn } from '../internal/own-property.js';
import type { EndReason, LocationInfo, SessionData } from '../types.js';

/**
 * How a session is laid out in Redis (scripts/common.ts). The entry carries the lifecycle the
 * scripts decide on; the record carries the rest as named parts (name \x1f value, joined by \x1e),
 * one part per app-data key (`d` + the key as a JSON string, value JSON) so parallel updates of
 * different keys never collide:
 *   dv device (JSON array) · lo location (JSON array, absent = null) · at authTime · v version · su step-up (JSON, absent = none)
 *   am amr (JSON array, absent = []) · tp '1' for a token pair's session · rp, rt the refresh secret hash spent last and when (scripts/refresh.ts)
 * Every value is JSON or a number, and JSON escapes both separator bytes, so no value can forge a part.
 */
const NAME_END = '\x1f';
const PART_END = '\x1e';
const dataPart = (key: string) => `d${JSON.stringify(key)}`;

// Device and location are stored as JSON arrays in this fixed order: no key names repeated per session.
const DEVICE_FIELDS = ['userAgent', 'ipAddress', 'browser', 'os', 'device', 'fingerprint', 'bot'] as const;
const LOCATION_FIELDS = ['country', 'city', 'subdivision', 'latitude', 'longitude', 'accuracyRadiusKm', 'timeZone', 'asn', 'asOrganization', 'seenAt'] as const;

// Trailing optional fields that are absent are left out, so older entries (and absent values) read back absent.
function pack<T extends object>(value: T, order: readonly (keyof T)[]): string {
  const values = order.map((key) => value[key]);
  while (values.length > 0 && values.at(-1) === undefined) values.pop();
  return JSON.stringify(values);
}

function unpack<T>(json: string, order: readonly string[]): T {
  const values = JSON.parse(json) as unknown[];
  const out: Record<string, unknown> = {};
  for (let i = 0; i < values.length && i < order.length; i += 1) out[order[i]!] = values[i];
  return out as T;
}

// What the travel rules read of a trail's place: the rest of a location is not kept there.
const TRAIL_LOCATION_FIELDS = ['country', 'city', 'latitude', 'longitude', 'accuracyRadiusKm', 'asn', 'seenAt'] as const;
const NO_LOCATION: LocationInfo = {
  country: null,
  city: null,
  subdivision: null,
  latitude: null,
  longitude: null,
  accuracyRadiusKm: null,
  timeZone: null,
  asn: null,
  asOrganization: null,
};

/** A trail update as script arguments: location, device, retention, max devices ('' and 0 for none). */
export function encodeTrail(update: TrailUpdate | undefined): (string | number)[] {
  if (!update) return ['', '', 0, 0];
  return [update.location ? pack(update.location, TRAIL_LOCATION_FIELDS) : '', update.device ?? '', update.retentionMs, update.maxDevices];
}

/** The trail a script answered ({} when none was asked for; '' parts when it did not exist). */
export function decodeTrail(reply: unknown): UserTrail | null | undefined {
  if (!Array.isArray(reply) || reply.length === 0) return undefined;
  const [location, devices] = reply as [string, string];
  if (location === '' && devices === '') return null;
  return {
    location: location === '' ? null : { ...NO_LOCATION, ...unpack<Partial<LocationInfo>>(location, TRAIL_LOCATION_FIELDS) },
    devices: devices === '' ? [] : (JSON.parse(devices) as [string, number][]).map(([family, seenAt]) => ({ family, seenAt })),
  };
}

/** The lifecycle entry of a live session (format in scripts/common.ts): base 36, times as offsets from creation. */
export function encodeMeta(session: StoredSession): string {
  const { createdAt: c, lastAccess, expiresAt, absoluteExpiresAt, idleTimeoutMs, secretHash } = session;
  const b36 = (value: number) => Math.max(0, Math.floor(value)).toString(36);
  return ['L', b36(c), b36(lastAccess - c), b36(expiresAt - c), b36(absoluteExpiresAt - c), b36(idleTimeoutMs), secretHash].join('|');
}

export interface Meta {
  createdAt: number;
  lastAccess: number;
  expiresAt: number;
  absoluteExpiresAt: number;
  idleTimeoutMs: number;
  secretHash: string;
}

export function decodeMeta(meta: string): Meta {
  const [kind, c, lastAccess, expiresAt, absoluteExpiresAt, idleTimeoutMs, secretHash] = meta.split('|');
  if (kind !== 'L' || secretHash === undefined) throw new SessionError(ErrorCode.StoreFailed, 'sessionward: unreadable session entry');
  const createdAt = parseInt(c!, 36);
  return {
    createdAt,
    lastAccess: createdAt + parseInt(lastAccess!, 36),
    expiresAt: createdAt + parseInt(expiresAt!, 36),
    absoluteExpiresAt: createdAt + parseInt(absoluteExpiresAt!, 36),
    idleTimeoutMs: parseInt(idleTimeoutMs!, 36),
    secretHash,
  };
}

/** The record of a new session: the parts a patch of everything would set, plus its version and kind. */
export function encodeRecord(session: StoredSession): string {
  const { deviceInfo, locationInfo, authTime, amr, stepUp, data } = session;
  const { set: parts } = encodePatch({ data: { set: data }, deviceInfo, locationInfo, authTime, amr, stepUp });
  parts.push('v', String(session.version));
  if (session.tokenPair) parts.push('tp', '1');
  let record = '';
  for (let i = 0; i < parts.length; i += 2) record += `${i === 0 ? '' : PART_END}${parts[i]}${NAME_END}${parts[i + 1]}`;
  return record;
}

/** A patch as parts to set (name, value, ...) and part names to drop. */
export function encodePatch(patch: SessionPatch): { set: string[]; remove: string[] } {
  const set: string[] = [];
  const remove: string[] = [];
  for (const [key, value] of Object.entries(patch.data?.set ?? {})) set.push(dataPart(key), JSON.stringify(value));
  for (const key of patch.data?.unset ?? []) remove.push(dataPart(key));
  if (patch.authTime !== undefined) set.push('at', String(patch.authTime));
  if (patch.amr !== undefined && patch.amr.length > 0) set.push('am', JSON.stringify(patch.amr));
  else if (patch.amr !== undefined) remove.push('am');
  if (patch.deviceInfo !== undefined) set.push('dv', pack(patch.deviceInfo, DEVICE_FIELDS));
  if (patch.locationInfo === null) remove.push('lo');
  else if (patch.locationInfo !== undefined) set.push('lo', pack(patch.locationInfo, LOCATION_FIELDS));
  if (patch.stepUp === null) remove.push('su');
  else if (patch.stepUp !== undefined) set.push('su', JSON.stringify(patch.stepUp));
  return { set, remove };
}

/** A live session from its id, user, entry (or the entry already decoded) and record. */
export function decodeSession(id: string, userId: string, meta: string | Meta, record: string): StoredSession {
  const data: SessionData = {};
  let device = '[]';
  let location: string | undefined;
  let authTime = '';
  let version = '';
  let stepUp: string | undefined;
  let amr: string | undefined;
  let tokenPair = false;
  for (const entry of record.split(PART_END)) {
    const cut = entry.indexOf(NAME_END);
    const name = entry.slice(0, cut);
    const value = entry.slice(cut + 1);
    if (name.charCodeAt(0) === 100 /* d */ && name.length > 2) setOwn(data, JSON.parse(name.slice(1)) as string, JSON.parse(value));
    else if (name === 'dv') device = value;
    else if (name === 'lo') location = value;
    else if (name === 'at') authTime = value;
    else if (name === 'v') version = value;
    else if (name === 'su') stepUp = value;
    else if (name === 'am') amr = value;
    else if (name === 'tp') tokenPair = value === '1';
  }
  const entry = typeof meta === 'string' ? decodeMeta(meta) : meta;
  return {
    id,
    userId,
    createdAt: entry.createdAt,
    lastAccess: entry.lastAccess,
    expiresAt: entry.expiresAt,
    absoluteExpiresAt: entry.absoluteExpiresAt,
    idleTimeoutMs: entry.idleTimeoutMs,
    secretHash: entry.secretHash,
    deviceInfo: unpack(device, DEVICE_FIELDS),
    locationInfo: location === undefined ? null : unpack(location, LOCATION_FIELDS),
    authTime: Number(authTime),
    amr: amr === undefined ? [] : JSON.parse(amr),
    version: Number(version),
    stepUp: stepUp === undefined ? null : JSON.parse(stepUp),
    data,
    isActive: true,
    endedAt: null,
    endReason: null,
    endedBy: null,
    ...(tokenPair ? { tokenPair: true as const } : {}),
  };
}

/** A tombstone entry (format in scripts/common.ts). */
export function decodeTombstone(meta: string): { endedAt: number; secretHash: string; reason: string; endedBy: string } {
  const parts = meta.split('|');
  return { endedAt: parseInt(parts[1]!, 36), secretHash: parts[3]!, reason: parts[4]!, endedBy: parts.slice(5).join('|') };
}

export function endedSession(id: string, userId: string, reason: string, endedAt: string | number, endedBy: string): EndedSession {
  return { id, userId, endReason: reason as EndReason, endedAt: Number(endedAt), endedBy: endedBy === '' ? null : endedBy };
}
