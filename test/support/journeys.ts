import type { LocationInfo } from 'sessionward';
import { distanceKm } from '../../src/anomaly/geo-distance.js';

/**
 * Generated journeys for measuring the travel rules: plausible ones (what real users do) and
 * impossible ones (a credential used from two places at once). Deterministic: one seed, one set.
 */
export interface Journey {
  kind: 'commute' | 'dual-stack' | 'carrier-hop' | 'flight' | 'impossible';
  from: LocationInfo;
  to: LocationInfo;
  elapsedMs: number;
}

interface City {
  name: string;
  country: string;
  lat: number;
  lon: number;
  /** The metro's satellite towns, for commutes. */
  near: [string, number, number][];
}

const CITIES: City[] = [
  {
    name: 'Seoul',
    country: 'KR',
    lat: 37.5665,
    lon: 126.978,
    near: [
      ['Suwon', 37.2636, 127.0286],
      ['Incheon', 37.4563, 126.7052],
    ],
  },
  { name: 'Busan', country: 'KR', lat: 35.1796, lon: 129.0756, near: [['Gimhae', 35.2285, 128.8894]] },
  {
    name: 'Tokyo',
    country: 'JP',
    lat: 35.6762,
    lon: 139.6503,
    near: [
      ['Yokohama', 35.4437, 139.638],
      ['Chiba', 35.6074, 140.1065],
    ],
  },
  {
    name: 'Osaka',
    country: 'JP',
    lat: 34.6937,
    lon: 135.5023,
    near: [
      ['Kobe', 34.6901, 135.1955],
      ['Kyoto', 35.0116, 135.7681],
    ],
  },
  {
    name: 'London',
    country: 'GB',
    lat: 51.5074,
    lon: -0.1278,
    near: [
      ['Reading', 51.4543, -0.9781],
      ['Croydon', 51.3762, -0.0982],
    ],
  },
  { name: 'Manchester', country: 'GB', lat: 53.4808, lon: -2.2426, near: [['Stockport', 53.4106, -2.1575]] },
  { name: 'Paris', country: 'FR', lat: 48.8566, lon: 2.3522, near: [['Versailles', 48.8049, 2.1204]] },
  { name: 'Berlin', country: 'DE', lat: 52.52, lon: 13.405, near: [['Potsdam', 52.3906, 13.0645]] },
  { name: 'Munich', country: 'DE', lat: 48.1351, lon: 11.582, near: [['Augsburg', 48.3705, 10.8978]] },
  {
    name: 'New York',
    country: 'US',
    lat: 40.7128,
    lon: -74.006,
    near: [
      ['Newark', 40.7357, -74.1724],
      ['Stamford', 41.0534, -73.5387],
    ],
  },
  {
    name: 'San Francisco',
    country: 'US',
    lat: 37.7749,
    lon: -122.4194,
    near: [
      ['San Jose', 37.3382, -121.8863],
      ['Oakland', 37.8044, -122.2712],
    ],
  },
  { name: 'Chicago', country: 'US', lat: 41.8781, lon: -87.6298, near: [['Evanston', 42.0451, -87.6877]] },
  { name: 'Toronto', country: 'CA', lat: 43.6532, lon: -79.3832, near: [['Mississauga', 43.589, -79.6441]] },
  { name: 'Sydney', country: 'AU', lat: -33.8688, lon: 151.2093, near: [['Parramatta', -33.815, 151.0011]] },
  { name: 'Singapore', country: 'SG', lat: 1.3521, lon: 103.8198, near: [['Jurong', 1.3329, 103.7436]] },
  { name: 'São Paulo', country: 'BR', lat: -23.5505, lon: -46.6333, near: [['Campinas', -22.9099, -47.0626]] },
];

/** Mulberry32: small, seedable, good enough to spread journeys. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

function location(name: string | null, country: string, lat: number, lon: number, radius: number, asn: number): LocationInfo {
  return { country, city: name, subdivision: null, latitude: lat, longitude: lon, accuracyRadiusKm: radius, timeZone: null, asn, asOrganization: null };
}

const distance = (a: City, b: City) => distanceKm({ latitude: a.lat, longitude: a.lon }, { latitude: b.lat, longitude: b.lon });

export function generateJourneys(count = 2_000, seed = 20261202): Journey[] {
  const next = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  const radius = () => pick([1, 5, 10, 20, 50]);
  const isp = (city: City) => 1000 + CITIES.indexOf(city) * 10 + Math.floor(next() * 3); // a few ISPs per city
  const journeys: Journey[] = [];
  for (let i = 0; i < count; i += 1) {
    const home = pick(CITIES);
    const kind = pick(['commute', 'dual-stack', 'carrier-hop', 'flight', 'impossible'] as const);
    const here = location(home.name, home.country, home.lat, home.lon, radius(), isp(home));
    if (kind === 'commute') {
      const [name, lat, lon] = pick(home.near);
      journeys.push({ kind, from: here, to: location(name, home.country, lat, lon, radius(), isp(home)), elapsedMs: (20 + next() * 70) * MINUTE });
    } else if (kind === 'dual-stack') {
      // The other address family: often only country-level, same ISP, seconds later.
      const coarse = location(null, home.country, home.lat + (next() - 0.5) * 4, home.lon + (next() - 0.5) * 4, pick([100, 200, 500, 1000]), here.asn!);
      journeys.push({ kind, from: here, to: coarse, elapsedMs: (5 + next() * 55) * 1000 });
    } else if (kind === 'carrier-hop') {
      // A mobile carrier hands the phone a gateway in another city of the country (or region).
      const gateway = pick(CITIES.filter((c) => c.country === home.country || distance(c, home) < 1200));
      journeys.push({
        kind,
        from: here,
        to: location(gateway.name, gateway.country, gateway.lat, gateway.lon, radius(), here.asn!),
        elapsedMs: (1 + next() * 30) * MINUTE,
      });
    } else if (kind === 'flight') {
      // Door to door: the flight at 800-900 km/h plus at least 2 h of airports.
      const destination = pick(CITIES.filter((c) => c !== home));
      const hours = distance(home, destination) / (800 + next() * 100) + 2 + next() * 3;
      journeys.push({
        kind,
        from: here,
        to: location(destination.name, destination.country, destination.lat, destination.lon, radius(), isp(destination)),
        elapsedMs: hours * HOUR,
      });
    } else {
      // A stolen credential: another country, over 1000 km away, minutes later.
      const elsewhere = pick(CITIES.filter((c) => c.country !== home.country && distance(c, home) > 1000));
      journeys.push({
        kind,
        from: here,
        to: location(elsewhere.name, elsewhere.country, elsewhere.lat, elsewhere.lon, radius(), isp(elsewhere)),
        elapsedMs: (0.5 + next() * 60) * MINUTE,
      });
    }
  }
  return journeys;
}
