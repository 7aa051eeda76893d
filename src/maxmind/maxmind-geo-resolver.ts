import { AddressNotFoundError, BadMethodCallError, Reader, type ReaderModel } from '@maxmind/geoip2-node';
import { invalidOption } from '../errors.js';
import type { GeoResolver } from '../ports/geo-resolver.js';
import { isPublicIp, normalizeIp } from '../request/ip-address.js';
import type { LocationInfo } from '../types.js';

export interface MaxMindGeoResolverOptions {
  /** Path to a GeoIP2 or GeoLite2 City database (.mmdb) you are licensed to use. */
  cityDatabase: string;
  /** Path to a GeoLite2/GeoIP2 ASN database, for network (ASN) change detection. */
  asnDatabase?: string;
}

/**
 * Locates IPs with MaxMind databases through @maxmind/geoip2-node. Private, loopback and reserved
 * addresses answer null without a lookup; addresses the database does not know answer null.
 * Open it with `await MaxMindGeoResolver.open(...)`: a missing or corrupt database fails there, at
 * startup, with a message naming the option.
 */
export class MaxMindGeoResolver implements GeoResolver {
  readonly #city: ReaderModel;
  readonly #asn: ReaderModel | null;

  private constructor(city: ReaderModel, asn: ReaderModel | null) {
    this.#city = city;
    this.#asn = asn;
  }

  static async open(options: MaxMindGeoResolverOptions): Promise<MaxMindGeoResolver> {
    const city = await openDatabase(options?.cityDatabase, 'cityDatabase', 'City');
    const asn = options.asnDatabase === undefined ? null : await openDatabase(options.asnDatabase, 'asnDatabase', 'ASN');
    return new MaxMindGeoResolver(city, asn);
  }

  async resolve(ip: string): Promise<LocationInfo | null> {
    const address = normalizeIp(ip);
    if (address === null || !isPublicIp(address)) return null;
    const city = lookup(() => this.#city.city(address));
    if (city === null) return null;
    const asn = this.#asn ? lookup(() => this.#asn!.asn(address)) : null;
    return {
      country: city.country?.isoCode ?? city.registeredCountry?.isoCode ?? null,
      city: city.city?.names.en ?? null,
      subdivision: city.subdivisions?.[0]?.isoCode ?? null,
      latitude: city.location?.latitude ?? null,
      longitude: city.location?.longitude ?? null,
      accuracyRadiusKm: city.location?.accuracyRadius ?? null,
      timeZone: city.location?.timeZone ?? null,
      asn: asn?.autonomousSystemNumber ?? null,
      asOrganization: asn?.autonomousSystemOrganization ?? null,
    };
  }
}

/** Not in the database is an answer (null); anything else is a fault the manager reports and fails open on. */
function lookup<T>(run: () => T): T | null {
  try {
    return run();
  } catch (error) {
    if (error instanceof AddressNotFoundError) return null;
    throw error;
  }
}

async function openDatabase(path: unknown, option: string, kind: 'City' | 'ASN'): Promise<ReaderModel> {
  if (typeof path !== 'string' || path.length === 0) throw invalidOption(option, 'must be the path of a .mmdb file');
  let reader: ReaderModel;
  try {
    reader = await Reader.open(path, { watchForUpdates: false });
  } catch (error) {
    throw invalidOption(option, `cannot open "${path}": ${(error as Error).message}`);
  }
  // The reader refuses a lookup of the wrong kind (e.g. city() on an ASN file): probe once, now.
  try {
    lookup(() => (kind === 'City' ? reader.city('1.1.1.1') : reader.asn('1.1.1.1')));
  } catch (error) {
    const problem = error instanceof BadMethodCallError ? `is not a GeoIP2/GeoLite2 ${kind} database` : `is unreadable: ${(error as Error).message}`;
    throw invalidOption(option, `"${path}" ${problem}`);
  }
  return reader;
}
