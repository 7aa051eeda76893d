import { family } from '../fingerprint/device-family.js';
import type { Session } from '../types.js';

/** Which sessions an admin action applies to. Every given field must match. */
export interface SessionFilter {
  userId?: string;
  /** ISO country code(s); `null` matches sessions without a location. */
  country?: string | null | readonly (string | null)[];
  /** Browser family, case-insensitive: `chrome`, `firefox`, `mobile safari`. */
  browser?: string;
  /** OS family, case-insensitive: `windows`, `android`, `ios`. */
  os?: string;
  /** `desktop`, `mobile`, `tablet`, … */
  deviceType?: string;
  bot?: boolean;
  createdBefore?: number;
  lastAccessBefore?: number;
}

/** Every key a filter takes: an unknown one is refused (a misspelt key would match every session). */
// Listed from an object the compiler holds to SessionFilter's keys, so a field added there cannot be missed here.
export const FILTER_KEYS = Object.keys({
  userId: true,
  country: true,
  browser: true,
  os: true,
  deviceType: true,
  bot: true,
  createdBefore: true,
  lastAccessBefore: true,
} satisfies Record<keyof SessionFilter, true>);

export function matches(session: Session, filter: SessionFilter): boolean {
  if (filter.userId !== undefined && session.userId !== filter.userId) return false;
  if (filter.country !== undefined) {
    const wanted = Array.isArray(filter.country) ? filter.country : [filter.country];
    if (!wanted.includes(session.locationInfo?.country ?? null)) return false;
  }
  if (filter.browser !== undefined && family(session.deviceInfo.browser) !== filter.browser.toLowerCase()) return false;
  if (filter.os !== undefined && family(session.deviceInfo.os) !== filter.os.toLowerCase()) return false;
  if (filter.deviceType !== undefined && deviceType(session) !== filter.deviceType) return false;
  if (filter.bot !== undefined && session.deviceInfo.bot !== filter.bot) return false;
  if (filter.createdBefore !== undefined && session.createdAt >= filter.createdBefore) return false;
  if (filter.lastAccessBefore !== undefined && session.lastAccess >= filter.lastAccessBefore) return false;
  return true;
}

/** The first word of the device description (`desktop`, `mobile Apple iPhone` → `mobile`). */
export function deviceType(session: Session): string {
  return session.deviceInfo.device.split(' ')[0] || 'unknown';
}
