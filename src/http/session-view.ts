import type { Session } from '../types.js';

/** A session as JSON for a "your devices" list: a handle to revoke it, never a credential. */
export interface SessionView {
  id: string;
  current: boolean;
  device: { browser: string; os: string; type: string; bot: boolean };
  ip: string;
  location: { city: string | null; country: string | null } | null;
  createdAt: string;
  lastAccess: string;
  expiresAt: string;
}

export function sessionView(session: Session, currentSessionId: string | null): SessionView {
  return {
    id: session.id,
    current: session.id === currentSessionId,
    device: { browser: session.deviceInfo.browser, os: session.deviceInfo.os, type: session.deviceInfo.device, bot: session.deviceInfo.bot },
    ip: session.deviceInfo.ipAddress,
    location: session.locationInfo ? { city: session.locationInfo.city, country: session.locationInfo.country } : null,
    createdAt: new Date(session.createdAt).toISOString(),
    lastAccess: new Date(session.lastAccess).toISOString(),
    expiresAt: new Date(Math.min(session.expiresAt, session.absoluteExpiresAt)).toISOString(),
  };
}
