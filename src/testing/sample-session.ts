import type { StoredSession } from '../ports/session-store.js';
import { randomToken } from '../tokens/random.js';
import { newSessionId } from '../tokens/session-id.js';

/** A fresh partition key, shaped like the ones the manager derives. */
export function sampleUserKey(): string {
  return randomToken().slice(0, 16);
}

/** A live session as the manager would hand it to `create`, with sensible test values. */
export function sampleSession(userKey: string, now: number, overrides: Partial<StoredSession> = {}): StoredSession {
  const idleTimeoutMs = overrides.idleTimeoutMs ?? 30 * 60_000;
  const absoluteExpiresAt = overrides.absoluteExpiresAt ?? now + 12 * 3_600_000;
  return {
    id: newSessionId(userKey),
    userId: `user-${userKey}`,
    deviceInfo: {
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0',
      ipAddress: '203.0.113.7',
      browser: 'Firefox 133',
      os: 'Linux',
      device: 'desktop',
      fingerprint: 'f'.repeat(22),
      bot: false,
    },
    locationInfo: null,
    createdAt: now,
    lastAccess: now,
    expiresAt: Math.min(now + idleTimeoutMs, absoluteExpiresAt),
    absoluteExpiresAt,
    authTime: now,
    amr: [],
    isActive: true,
    version: 1,
    stepUp: null,
    data: {},
    secretHash: randomToken(),
    idleTimeoutMs,
    endedAt: null,
    endReason: null,
    endedBy: null,
    ...overrides,
  };
}
