import { BoundedCache } from '../internal/bounded-cache.js';
import { unwatchFile, watchFile } from 'node:fs';
import { AddressNotFoundError, BadMethodCallError, Reader, type ReaderModel } from '@maxmind/geoip2-node';
import { toMilliseconds, type Duration } from '../internal/duration.js';
import { invalidOption } from '../errors.js';
import type { GeoHealth, GeoResolver } from '../ports/geo-resolver.js';
import { isPublicIp, normalizeIp } from '../request/ip-address.js';
import type { LocationInfo } from '../types.js';

export interface MaxMindGeoResolverOptions {
  /** Path to a GeoIP2 or GeoLite2 City database (.mmdb) you are licensed to use. */
  cityDatabase: string;
  /** Path to a GeoLite2/GeoIP2 ASN database, for network (ASN) change detection. */
  asnDatabase?: string;
  /** Reload by itself when a database file changes (polled, so an atomic rename is seen). @default false */
  watch?: boolean | { interval?: Duration };
  /** Warn when a database was built longer ago than this (GeoLite2's licence expects regular updates). @default '30d' */
  maxAge?: Duration;
  /** Hears stale databases and failed reloads. @default process.emitWarning */
  onWarning?: (message: string) => void;
}

interface Database {
  reader: ReaderModel;
  path: string;
  type: string | null;
  builtAt: Date | null;
}

interface Databases {
  city: Database;
  asn: Database | null;
  /** Answers of this pair of files (a reload brings a fresh, empty one): lookups decode whole records. */
  answers: BoundedCache<string, LocationInfo | null>;
}

/**
 * Locates IPs with MaxMind databases through @maxmind/geoip2-node. Private, loopback and reserved
 * addresses answer null without a lookup; addresses the database does not know answer null, or
 * only their network when the ASN database knows them. Open it with `await
 * MaxMindGeoResolver.open(...)`: a missing or corrupt database fails there, at startup, with a
 * message naming the option. `reload()` (or `watch`) swaps in updated files atomically: lookups
 * never fail during a reload, and a broken new file leaves the old one in use.
 */
export class MaxMindGeoResolver implements GeoResolver {
  readonly #options: MaxMindGeoResolverOptions;
  readonly #maxAgeMs: number;
  readonly #onWarning: (message: string) => void;
  #databases: Databases;
  #reloads = 0;
  #lastReloadError: string | null = null;
  #watched: string[] = [];

  private constructor(options: MaxMindGeoResolverOptions, databases: Databases) {
    this.#options = options;
    this.#databases = databases;
    this.#maxAgeMs = toMilliseconds(options.maxAge ?? '30d', 'maxAge');
    this.#onWarning = options.onWarning ?? ((message) => process.emitWarning(message, { code: 'SESSIONWARD_GEOIP' }));
  }

  static async open(options: MaxMindGeoResolverOptions): Promise<MaxMindGeoResolver> {
    if (options?.onWarning !== undefined && typeof options.onWarning !== 'function') throw invalidOption('onWarning', 'must be a function');
    const resolver = new MaxMindGeoResolver(options, await openDatabases(options));
    resolver.#warnIfStale();
    if (options.watch) resolver.#watch(options.watch === true ? {} : options.watch);
    return resolver;
  }

  async resolve(ip: string): Promise<LocationInfo | null> {
    const address = normalizeIp(ip);
    if (address === null || !isPublicIp(address)) return null;
    const { city: cityDb, asn: asnDb, answers } = this.#databases; // one consistent pair, even mid-reload
    const known = answers.get(address);
    if (known !== undefined) return known && { ...known };
    const found = this.#lookup(address, cityDb, asnDb);
    answers.set(address, found);
    return found && { ...found };
  }

  #lookup(address: string, cityDb: Database, asnDb: Database | null): LocationInfo | null {
    const city = lookup(() => cityDb.reader.city(address));
    const asn = asnDb ? lookup(() => asnDb.reader.asn(address)) : null;
    if (city === null && asn === null) return null;
    return {
      country: city?.country?.isoCode ?? city?.registeredCountry?.isoCode ?? null,
      city: city?.city?.names.en ?? null,
      subdivision: city?.subdivisions?.[0]?.isoCode ?? null,
      latitude: city?.location?.latitude ?? null,
      longitude: city?.location?.longitude ?? null,
      accuracyRadiusKm: city?.location?.accuracyRadius ?? null,
      timeZone: city?.location?.timeZone ?? null,
      asn: asn?.autonomousSystemNumber ?? null,
      asOrganization: asn?.autonomousSystemOrganization ?? null,
    };
  }

  /**
   * Opens the database files again and swaps them in together. On failure the old ones stay in use
   * and the error is thrown (and kept for `health()`).
   */
  async reload(): Promise<void> {
    try {
      this.#databases = await openDatabases(this.#options);
      this.#reloads += 1;
      this.#lastReloadError = null;
      this.#warnIfStale();
    } catch (error) {
      this.#lastReloadError = (error as Error).message;
      throw error;
    }
  }

  /** Database types and build dates, their age, and how reloads went. */
  health(): GeoHealth {
    const describe = (db: Database) => ({
      path: db.path,
      type: db.type,
      builtAt: db.builtAt?.toISOString() ?? null,
      ageDays: db.builtAt ? Math.floor((Date.now() - db.builtAt.getTime()) / 86_400_000) : null,
      stale: db.builtAt !== null && Date.now() - db.builtAt.getTime() > this.#maxAgeMs,
    });
    const { city, asn } = this.#databases;
    return { databases: [describe(city), ...(asn ? [describe(asn)] : [])], reloads: this.#reloads, lastReloadError: this.#lastReloadError };
  }

  /** Stops watching the files (the process can exit without it: the watch does not hold it open). */
  close(): void {
    for (const path of this.#watched) unwatchFile(path);
    this.#watched = [];
  }

  #watch(options: { interval?: Duration }): void {
    const interval = toMilliseconds(options.interval ?? '10s', 'watch.interval');
    const paths = [this.#options.cityDatabase, ...(this.#options.asnDatabase ? [this.#options.asnDatabase] : [])];
    for (const path of paths) {
      watchFile(path, { interval, persistent: false }, (current, previous) => {
        if (current.mtimeMs === previous.mtimeMs && current.size === previous.size) return;
        this.reload().catch((error: Error) => this.#onWarning(`GeoIP reload failed, still using the previous database: ${error.message}`));
      });
    }
    this.#watched = paths;
  }

  #warnIfStale(): void {
    for (const db of this.health().databases) {
      if (db.stale)
        this.#onWarning(`GeoIP database ${db.path} (${db.type}) was built ${db.ageDays} days ago; update it (GeoLite2's licence expects regular updates).`);
    }
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

async function openDatabases(options: MaxMindGeoResolverOptions): Promise<Databases> {
  const city = await openDatabase(options?.cityDatabase, 'cityDatabase', 'City');
  const asn = options.asnDatabase === undefined ? null : await openDatabase(options.asnDatabase, 'asnDatabase', 'ASN');
  return { city, asn, answers: new BoundedCache(10_000) };
}

async function openDatabase(path: unknown, option: string, kind: 'City' | 'ASN'): Promise<Database> {
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
  // geoip2-node keeps the file's metadata on a private field; read defensively (null if it moves).
  const metadata = (reader as unknown as { mmdbReader?: { metadata?: { databaseType?: unknown; buildEpoch?: unknown } } }).mmdbReader?.metadata;
  return {
    reader,
    path,
    type: typeof metadata?.databaseType === 'string' ? metadata.databaseType : null,
    builtAt: metadata?.buildEpoch instanceof Date ? metadata.buildEpoch : null,
  };
}
