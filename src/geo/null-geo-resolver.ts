import type { GeoResolver } from '../ports/geo-resolver.js';
import type { LocationInfo } from '../types.js';

/** Knows no locations: every session gets `locationInfo: null`. The default until a database is configured. */
export class NullGeoResolver implements GeoResolver {
  async resolve(): Promise<LocationInfo | null> {
    return null;
  }
}
