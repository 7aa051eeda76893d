import type { StoredSession } from '../ports/session-store.js';
import type { EndReason, RefusalReason, Session } from '../types.js';

/** What the application may see of a stored session: no secret hash, no internal bookkeeping. */
export function publicSession(stored: StoredSession): Session {
  return {
    id: stored.id,
    userId: stored.userId,
    deviceInfo: stored.deviceInfo,
    locationInfo: stored.locationInfo,
    createdAt: stored.createdAt,
    lastAccess: stored.lastAccess,
    expiresAt: stored.expiresAt,
    absoluteExpiresAt: stored.absoluteExpiresAt,
    authTime: stored.authTime,
    amr: stored.amr,
    isActive: stored.isActive,
    version: stored.version,
    stepUp: stored.stepUp,
    data: stored.data,
  };
}

const refusalByEndReason: Record<EndReason, Exclude<RefusalReason, 'step-up-required' | 'refresh-reused' | 'reauthentication-required'>> = {
  logout: 'logged-out',
  revoked: 'revoked',
  anomaly: 'revoked',
  'refresh-reused': 'revoked',
  evicted: 'evicted',
  rotated: 'rotated',
  'expired-idle': 'expired-idle',
  'expired-absolute': 'expired-absolute',
};

/** What a client is told about a credential whose session has ended. */
export function refusalFor(reason: EndReason | null): Exclude<RefusalReason, 'step-up-required' | 'refresh-reused' | 'reauthentication-required'> {
  return reason === null ? 'invalid' : refusalByEndReason[reason];
}

/** JSON data only (what every store can keep); anything else is refused up front. */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  try {
    return JSON.stringify(value) !== undefined;
  } catch {
    return false; // BigInt, cycles
  }
}
