import { ErrorCode, SessionError } from '../errors.js';
import type { EndedSession, SessionPatch, StoredSession, TrailUpdate, UserTrail } from '../ports/session-store.js';
import { setOwn } from '../internal/own-property.js';
import { expandDevice, shortenDevice } from './device-fragments.js';
import type { DeviceFingerprint, EndReason, LocationInfo, SessionData } from '../types.js';

/**
 * How a session is laid out in Redis (scripts/common.ts): one field per session, its entry and then
 * its record. The entry carries the lifecycle the scripts decide on; the record carries the rest as
 * named parts (name \x1f value, joined by \x1e), one part per app-data key (`d` + the key as a JSON
 * string, value JSON) so parallel updates of different keys never collide:
 *   dv device (JSON array, `bot` only when true, common fragments as one byte: device-fragments.ts)
 *   lo location (JSON array, absent = null; its time null = the creation time)
 *   at authTime (absent = the creation time) · v version · su step-up (JSON, absent = none)
 *   am amr (JSON array, absent = []) · tp '1' for a token pair's session
 *   rp, rt the refresh secret hash spent last and when (scripts/refresh.ts)
 * Every value is JSON or a number (the device's fragment bytes are below both), and JSON escapes both
 * separator bytes, so no value can forge a part.
 */
const NAME_END = '\x1f';
const PART_END = '\x1e';
const dataPart = (key: string) => `d${JSON.stringify(key)}`;
/** A data part's key from its JSON string; without an escape in it, the JSON string is the key in quotes. */
const dataKey = (json: string): string => (json.includes('\\') ? (JSON.parse(json) as string) : json.slice(1, -1));

// Device and location are stored as JSON arrays in this fixed order: no key names repeated per session.
const DEVICE_FIELDS = ['userAgent', 'ipAddress', 'browser', 'os', 'device', 'fingerprint', 'bot'] as const;
const LOCATION_FIELDS = ['country', 'city', 'subdivision', 'latitude', 'longitude', 'accuracyRadiusKm', 'timeZone', 'asn', 'asOrganization', 'seenAt'] as const;

// Trailing optional fields that are absent are left out, so older entries (and absent values) read back absent.
function pack<T extends object>(value: T, order: readonly (keyof T)[]): string {
  const values = order.map((key) => value[key]);
  while (values.length > 0 && values.at(-1) === undefined) values.pop();
  return JSON.stringify(values);
}

function unpack<T>(values: readonly unknown[], order: readonly string[]): T {
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
    location: location === '' ? null : { ...NO_LOCATION, ...unpack<Partial<LocationInfo>>(JSON.parse(location), TRAIL_LOCATION_FIELDS) },
    devices: devices === '' ? [] : (JSON.parse(devices) as [string, number][]).map(([family, seenAt]) => ({ family, seenAt })),
  };
}

/** The lifecycle entry of a live session (format in scripts/common.ts): base 36, times as offsets from creation. */
export function encodeMeta(session: StoredSession): string {
  const { createdAt: c, lastAccess, expiresAt, absoluteExpiresAt, idleTimeoutMs, secretHash } = session;
  const b36 = (value: number) => Math.max(0, Math.floor(value)).toString(36);
  return ['L', b36(c), b36(lastAccess - c), b36(expiresAt - c), b36(absoluteExpiresAt - c), b36(idleTimeoutMs), secretHash].join('|');
}

/** A live session's field as its entry and its record (null when it has none): they are joined by the part separator. */
export function splitLiveField(field: string): [entry: string, record: string | null] {
  const cut = field.indexOf(PART_END);
  return cut === -1 ? [field, null] : [field.slice(0, cut), field.slice(cut + 1)];
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
  const { deviceInfo, locationInfo, authTime, amr, stepUp, data, createdAt } = session;
  // A login's auth time and location time are its creation time, which the entry holds: the auth
  // time is left out, the location's time is null (decodeSession puts both back). 27 bytes.
  const located = locationInfo?.seenAt === createdAt ? { ...locationInfo, seenAt: null as unknown as number } : locationInfo;
  const { set: parts } = encodePatch({
    data: { set: data },
    deviceInfo,
    locationInfo: located,
    authTime: authTime === createdAt ? undefined : authTime,
    amr,
    stepUp,
  });
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
  // `bot` is last and left out when false, as nearly every session's is: 6 bytes of the record.
  if (patch.deviceInfo !== undefined)
    set.push('dv', shortenDevice(pack(patch.deviceInfo.bot ? patch.deviceInfo : { ...patch.deviceInfo, bot: undefined }, DEVICE_FIELDS)));
  if (patch.locationInfo === null) remove.push('lo');
  else if (patch.locationInfo !== undefined) set.push('lo', pack(patch.locationInfo, LOCATION_FIELDS));
  if (patch.stepUp === null) remove.push('su');
  else if (patch.stepUp !== undefined) set.push('su', JSON.stringify(patch.stepUp));
  return { set, remove };
}

/**
 * A record as read: the device and location decoded (and frozen, so one decode can serve several
 * reads), the rest as stored text, made into each read's own copies by `sessionOf`.
 */
export interface DecodedRecord {
  readonly deviceInfo: DeviceFingerprint;
  readonly locationInfo: LocationInfo | null;
  readonly authTime: number;
  readonly version: number;
  readonly tokenPair: boolean;
  /** Data keys and their JSON values, alternating. */
  readonly data: readonly string[];
  readonly amr: string | undefined;
  readonly stepUp: string | undefined;
}

/** A record's parts (format at the top); `createdAt` stands in for the times left out of it. */
export function decodeRecord(record: string, createdAt: number): DecodedRecord {
  const data: string[] = [];
  let device = '[]';
  let location: string | undefined;
  let authTime = '';
  let version = '';
  let stepUp: string | undefined;
  let amr: string | undefined;
  let tokenPair = false;
  // One pass of indexOf, no array of parts.
  for (let start = 0, end = 0; start < record.length; start = end + 1) {
    end = record.indexOf(PART_END, start);
    if (end === -1) end = record.length;
    const cut = record.indexOf(NAME_END, start);
    if (cut === -1 || cut > end) continue; // not a part we wrote
    const value = record.slice(cut + 1, end);
    if (record.charCodeAt(start) === 100 /* d */ && cut - start > 2) data.push(dataKey(record.slice(start + 1, cut)), value);
    else {
      switch (record.slice(start, cut)) {
        case 'dv':
          device = value;
          break;
        case 'lo':
          location = value;
          break;
        case 'at':
          authTime = value;
          break;
        case 'v':
          version = value;
          break;
        case 'su':
          stepUp = value;
          break;
        case 'am':
          amr = value;
          break;
        case 'tp':
          tokenPair = value === '1';
          break;
      }
    }
  }
  return {
    deviceInfo: Object.freeze(decodeDevice(device)),
    locationInfo: location === undefined ? null : Object.freeze(decodeLocation(location, createdAt)),
    authTime: authTime === '' ? createdAt : Number(authTime),
    version: Number(version),
    tokenPair,
    data,
    amr,
    stepUp,
  };
}

/** A live session from its id, user, decoded entry and record: its data, amr and step-up are its own. */
export function sessionOf(id: string, userId: string, entry: Meta, record: DecodedRecord): StoredSession {
  const data: SessionData = {};
  for (let i = 0; i < record.data.length; i += 2) setOwn(data, record.data[i]!, JSON.parse(record.data[i + 1]!));
  const session: StoredSession = {
    id,
    userId,
    createdAt: entry.createdAt,
    lastAccess: entry.lastAccess,
    expiresAt: entry.expiresAt,
    absoluteExpiresAt: entry.absoluteExpiresAt,
    idleTimeoutMs: entry.idleTimeoutMs,
    secretHash: entry.secretHash,
    deviceInfo: record.deviceInfo,
    locationInfo: record.locationInfo,
    authTime: record.authTime,
    amr: record.amr === undefined ? [] : JSON.parse(record.amr),
    version: record.version,
    stepUp: record.stepUp === undefined ? null : JSON.parse(record.stepUp),
    data,
    isActive: true,
    endedAt: null,
    endReason: null,
    endedBy: null,
  };
  if (record.tokenPair) session.tokenPair = true;
  return session;
}

/** A live session from its id, user, entry (or the entry already decoded) and record. */
export function decodeSession(id: string, userId: string, meta: string | Meta, record: string): StoredSession {
  const entry = typeof meta === 'string' ? decodeMeta(meta) : meta;
  return sessionOf(id, userId, entry, decodeRecord(record, entry.createdAt));
}

// Object literals in DEVICE_FIELDS / LOCATION_FIELDS order, so every decoded session has one shape.
function decodeDevice(stored: string): DeviceFingerprint {
  const v = JSON.parse(expandDevice(stored)) as DeviceValues;
  if (v.length < DEVICE_FIELDS.length - 1) return unpack(v, DEVICE_FIELDS);
  return { userAgent: v[0], ipAddress: v[1], browser: v[2], os: v[3], device: v[4], fingerprint: v[5], bot: v[6] === true };
}

function decodeLocation(json: string, createdAt: number): LocationInfo {
  const v = JSON.parse(json) as LocationValues;
  if (v.length !== LOCATION_FIELDS.length) return unpack(v, LOCATION_FIELDS);
  return {
    country: v[0],
    city: v[1],
    subdivision: v[2],
    latitude: v[3],
    longitude: v[4],
    accuracyRadiusKm: v[5],
    timeZone: v[6],
    asn: v[7],
    asOrganization: v[8],
    seenAt: v[9] ?? createdAt,
  };
}

type DeviceValues = [string, string, string, string, string, string, boolean?];
type Text = string | null;
type Figure = number | null;
type LocationValues = [Text, Text, Text, Figure, Figure, Figure, Text, Figure, Text, number | null];

/** A tombstone entry (format in scripts/common.ts). */
export function decodeTombstone(meta: string): { endedAt: number; secretHash: string; reason: string; endedBy: string } {
  const parts = meta.split('|');
  return { endedAt: parseInt(parts[1]!, 36), secretHash: parts[3]!, reason: parts[4]!, endedBy: parts.slice(5).join('|') };
}

export function endedSession(id: string, userId: string, reason: string, endedAt: string | number, endedBy: string): EndedSession {
  return { id, userId, endReason: reason as EndReason, endedAt: Number(endedAt), endedBy: endedBy === '' ? null : endedBy };
}
