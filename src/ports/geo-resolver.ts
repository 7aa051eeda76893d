import type { LocationInfo } from '../types.js';

/**
 * Maps an IP address to a location. Returns null for unknown, private, loopback and reserved
 * addresses. Advisory: the manager fails open when it throws (location `null`, health event).
 */
export interface GeoResolver {
  resolve(ip: string): Promise<LocationInfo | null>;
  /** Optional: what the resolver runs on (database types, build dates, reloads), for `manager.health()`. */
  health?(): GeoHealth;
}

export interface GeoHealth {
  databases: { path: string; type: string | null; builtAt: string | null; ageDays: number | null; stale: boolean }[];
  reloads: number;
  lastReloadError: string | null;
}
