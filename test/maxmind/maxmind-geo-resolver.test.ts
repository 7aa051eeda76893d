import { writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { MaxMindGeoResolver } from 'sessionward/maxmind';
import { PLACES, TRAPS, writeGeoFixtures } from '../support/geo-fixture.js';

let paths: { city: string; asn: string };
let resolver: MaxMindGeoResolver;
beforeAll(async () => {
  paths = writeGeoFixtures();
  resolver = await MaxMindGeoResolver.open({ cityDatabase: paths.city, asnDatabase: paths.asn });
});

describe('MaxMindGeoResolver (real @maxmind/geoip2-node Reader on a generated GeoIP2-City fixture)', () => {
  it('answers city, country, subdivision, coordinates, accuracy radius, time zone and ASN', async () => {
    expect(await resolver.resolve(PLACES.seoul.ip)).toEqual({
      country: 'KR', city: 'Seoul', subdivision: '11', latitude: 37.5665, longitude: 126.978,
      accuracyRadiusKm: 5, timeZone: 'Asia/Seoul', asn: 4766, asOrganization: 'Korea Telecom',
    });
    expect(await resolver.resolve(PLACES.tokyoV6.ip)).toMatchObject({ city: 'Tokyo', country: 'JP', accuracyRadiusKm: 20, asn: 2500 });
    expect(await resolver.resolve(`::ffff:${PLACES.london.ip}`)).toMatchObject({ city: 'London' });
  });

  it('reports a country-level answer with its large radius and no city', async () => {
    expect(await resolver.resolve(PLACES.usCountryOnly.ip)).toMatchObject({ country: 'US', city: null, accuracyRadiusKm: 1000 });
  });

  it('answers null for addresses the database does not know, and for garbage', async () => {
    expect(await resolver.resolve('8.8.8.8')).toBeNull();
    expect(await resolver.resolve('not an ip')).toBeNull();
    expect(await resolver.resolve('')).toBeNull();
  });

  it('never looks up private, loopback or reserved addresses (the fixture knows two of them)', async () => {
    for (const trap of TRAPS) expect(await resolver.resolve(trap.ip)).toBeNull();
    for (const ip of ['127.0.0.1', '::1', 'fe80::1', '172.16.5.4', '100.64.1.1']) expect(await resolver.resolve(ip)).toBeNull();
  });

  it('fails at startup, naming the option, for a missing, corrupt or wrong-kind database', async () => {
    await expect(MaxMindGeoResolver.open({ cityDatabase: '/nonexistent/GeoIP2-City.mmdb' })).rejects.toThrow(/"cityDatabase".*cannot open/);
    const corrupt = `${paths.city}.corrupt`;
    writeFileSync(corrupt, randomBytes(4096));
    await expect(MaxMindGeoResolver.open({ cityDatabase: corrupt })).rejects.toMatchObject({ code: 'ERR_SESSION_INVALID_OPTIONS', details: { option: 'cityDatabase' } });
    await expect(MaxMindGeoResolver.open({ cityDatabase: paths.asn })).rejects.toThrow(/"cityDatabase".*not a GeoIP2\/GeoLite2 City database/);
    await expect(MaxMindGeoResolver.open({ cityDatabase: paths.city, asnDatabase: paths.city })).rejects.toThrow(/"asnDatabase".*not a GeoIP2\/GeoLite2 ASN database/);
    await expect(MaxMindGeoResolver.open({ cityDatabase: '' })).rejects.toThrow(/"cityDatabase"/);
  });
});
