import type { Session } from './types.js';

/**
 * What may be shown of a session to its own user or an admin: a handle to revoke it, the device,
 * the coarse location and the times. No app data, no full user agent, never a credential.
 */
export interface SessionSummary {
  id: string;
  device: { browser: string; os: string; type: string; bot: boolean };
  ip: string;
  location: { city: string | null; country: string | null } | null;
  /** ISO 8601. */
  createdAt: string;
  lastAccess: string;
  expiresAt: string;
}

export function summarizeSession(session: Session): SessionSummary {
  const { deviceInfo, locationInfo } = session;
  return {
    id: session.id,
    device: { browser: deviceInfo.browser, os: deviceInfo.os, type: deviceInfo.device, bot: deviceInfo.bot },
    ip: deviceInfo.ipAddress,
    location: locationInfo ? { city: locationInfo.city, country: locationInfo.country } : null,
    createdAt: new Date(session.createdAt).toISOString(),
    lastAccess: new Date(session.lastAccess).toISOString(),
    expiresAt: new Date(Math.min(session.expiresAt, session.absoluteExpiresAt)).toISOString(),
  };
}
