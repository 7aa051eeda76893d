import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeMmdb, type MmdbValue } from './mmdb-writer.js';

/**
 * Made-up assignments of public address blocks to places, for tests and the demo only. Not real
 * geolocation: the fixture exists so the real @maxmind/geoip2-node Reader has a database to open.
 */
export const PLACES = {
  seoul: {
    ip: '1.224.10.20',
    network: '1.224.0.0/16',
    city: 'Seoul',
    country: 'KR',
    subdivision: '11',
    lat: 37.5665,
    lon: 126.978,
    radius: 5,
    tz: 'Asia/Seoul',
    asn: 4766,
    org: 'Korea Telecom',
  },
  seoulOtherIsp: {
    ip: '1.226.3.4',
    network: '1.226.0.0/16',
    city: 'Seoul',
    country: 'KR',
    subdivision: '11',
    lat: 37.5665,
    lon: 126.978,
    radius: 5,
    tz: 'Asia/Seoul',
    asn: 9318,
    org: 'SK Broadband',
  },
  busan: {
    ip: '1.225.7.8',
    network: '1.225.0.0/16',
    city: 'Busan',
    country: 'KR',
    subdivision: '26',
    lat: 35.1796,
    lon: 129.0756,
    radius: 10,
    tz: 'Asia/Seoul',
    asn: 4766,
    org: 'Korea Telecom',
  },
  tokyo: {
    ip: '133.0.5.6',
    network: '133.0.0.0/16',
    city: 'Tokyo',
    country: 'JP',
    subdivision: '13',
    lat: 35.6762,
    lon: 139.6503,
    radius: 5,
    tz: 'Asia/Tokyo',
    asn: 2497,
    org: 'Internet Initiative Japan',
  },
  london: {
    ip: '81.2.69.160',
    network: '81.2.69.0/24',
    city: 'London',
    country: 'GB',
    subdivision: 'ENG',
    lat: 51.5074,
    lon: -0.1278,
    radius: 5,
    tz: 'Europe/London',
    asn: 2856,
    org: 'British Telecommunications',
  },
  newYork: {
    ip: '72.229.28.185',
    network: '72.229.28.0/24',
    city: 'New York',
    country: 'US',
    subdivision: 'NY',
    lat: 40.7128,
    lon: -74.006,
    radius: 5,
    tz: 'America/New_York',
    asn: 12271,
    org: 'Charter Communications',
  },
  /** Country-level only: the database knows the country, not the city, and says so with a 1000 km radius. */
  usCountryOnly: {
    ip: '12.34.56.78',
    network: '12.0.0.0/8',
    city: null,
    country: 'US',
    subdivision: null,
    lat: 37.751,
    lon: -97.822,
    radius: 1000,
    tz: 'America/Chicago',
    asn: 7018,
    org: 'AT&T',
  },
  tokyoV6: {
    ip: '2001:200:dff:fff1:216:3eff:feb1:44d7',
    network: '2001:200::/32',
    city: 'Tokyo',
    country: 'JP',
    subdivision: '13',
    lat: 35.6762,
    lon: 139.6503,
    radius: 20,
    tz: 'Asia/Tokyo',
    asn: 2500,
    org: 'WIDE Project',
  },
  /** As in MaxMind's own test database: Milton, WA. */
  milton: {
    ip: '216.160.83.56',
    network: '216.160.83.0/24',
    city: 'Milton',
    country: 'US',
    subdivision: 'WA',
    lat: 47.2513,
    lon: -122.3149,
    radius: 22,
    tz: 'America/Los_Angeles',
    asn: 209,
    org: 'CenturyLink',
  },
  /** A country-level IPv6 network of the London user's ISP (the other family of a dual-stack client). */
  gbV6CountryOnly: {
    ip: '2a02:c7f:1234::1',
    network: '2a02:c7f::/32',
    city: null,
    country: 'GB',
    subdivision: null,
    lat: 51.4964,
    lon: -0.1224,
    radius: 100,
    tz: 'Europe/London',
    asn: 2856,
    org: 'British Telecommunications',
  },
} as const;

/** In the ASN database only: the City database has no entry for it. */
export const ASN_ONLY = { ip: '45.90.28.5', network: '45.90.28.0/24', asn: 64500, org: 'Example Transit' } as const;
/** A public address neither database knows. */
export const UNKNOWN_PUBLIC_IP = '8.8.8.8';

export type Place = (typeof PLACES)[keyof typeof PLACES] | (typeof TRAPS)[number];

function cityRecord(place: Place): MmdbValue {
  const record: Record<string, MmdbValue> = {
    continent: { code: place.country === 'US' ? 'NA' : place.country === 'GB' ? 'EU' : 'AS', names: { en: 'Continent' } },
    country: { iso_code: place.country, names: { en: place.country } },
    registered_country: { iso_code: place.country, names: { en: place.country } },
    location: { accuracy_radius: place.radius, latitude: { double: place.lat }, longitude: { double: place.lon }, time_zone: place.tz },
  };
  if (place.city) record.city = { names: { en: place.city } };
  if (place.subdivision) record.subdivisions = [{ iso_code: place.subdivision, names: { en: place.subdivision } }];
  return record;
}

/**
 * Private ranges the City fixture knows on purpose: a resolver that answers them has looked up an
 * address it must never look up.
 */
export const TRAPS = [
  { ip: '10.1.2.3', network: '10.0.0.0/8', city: 'Trap City', country: 'AQ', subdivision: null, lat: -75, lon: 0, radius: 1, tz: 'UTC', asn: 1, org: 'Trap' },
  {
    ip: '192.168.1.20',
    network: '192.168.0.0/16',
    city: 'Trap City',
    country: 'AQ',
    subdivision: null,
    lat: -75,
    lon: 0,
    radius: 1,
    tz: 'UTC',
    asn: 1,
    org: 'Trap',
  },
] as const;

/**
 * Writes GeoIP2-City and GeoLite2-ASN fixtures to a temporary directory; returns their paths.
 * `builtAt` (epoch seconds) is the databases' build date; `without` leaves places out of the City file.
 */
export function writeGeoFixtures(
  dir = mkdtempSync(join(tmpdir(), 'sessionward-geo-')),
  options: { builtAt?: number; without?: readonly string[] } = {},
): { city: string; asn: string } {
  const buildEpoch = options.builtAt ?? Math.floor(Date.now() / 1000);
  const places: Place[] = [...Object.values(PLACES), ...TRAPS];
  const inCity = places.filter((place) => !options.without?.includes(place.ip));
  const city = join(dir, 'GeoIP2-City-Test.mmdb');
  const asn = join(dir, 'GeoLite2-ASN-Test.mmdb');
  writeFileSync(city, writeMmdb({ databaseType: 'GeoIP2-City', buildEpoch, networks: inCity.map((p) => ({ network: p.network, data: cityRecord(p) })) }));
  writeFileSync(
    asn,
    writeMmdb({
      databaseType: 'GeoLite2-ASN',
      buildEpoch,
      networks: [...places, ASN_ONLY].map((p) => ({
        network: p.network,
        data: { autonomous_system_number: { uint32: p.asn }, autonomous_system_organization: p.org },
      })),
    }),
  );
  return { city, asn };
}
