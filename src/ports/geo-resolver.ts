import type { LocationInfo } from '../types.js';

/**
 * Maps an IP address to a location. Returns null for unknown, private, loopback and reserved
 * addresses. Advisory: the manager fails open when it throws (location `null`, health event).
 */
export interface GeoResolver {
  resolve(ip: string): Promise<LocationInfo | null>;
}
