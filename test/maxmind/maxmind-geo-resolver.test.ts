import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { SessionManager } from 'sessionward';
import { MaxMindGeoResolver } from 'sessionward/maxmind';
import { SECRET } from '../support/manager-fixture.js';
import { ASN_ONLY, PLACES, TRAPS, writeGeoFixtures } from '../../fixtures/geo-fixture.js';

let paths: { city: string; asn: string };
let resolver: MaxMindGeoResolver;
beforeAll(async () => {
  paths = writeGeoFixtures();
  resolver = await MaxMindGeoResolver.open({ cityDatabase: paths.city, asnDatabase: paths.asn });
});

describe('MaxMindGeoResolver (real @maxmind/geoip2-node Reader on a generated GeoIP2-City fixture)', () => {
  it('answers city, country, subdivision, coordinates, accuracy radius, time zone and ASN', async () => {
    expect(await resolver.resolve(PLACES.seoul.ip)).toEqual({
      country: 'KR',
      city: 'Seoul',
      subdivision: '11',
      latitude: 37.5665,
      longitude: 126.978,
      accuracyRadiusKm: 5,
      timeZone: 'Asia/Seoul',
      asn: 4766,
      asOrganization: 'Korea Telecom',
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
    await expect(MaxMindGeoResolver.open({ cityDatabase: corrupt })).rejects.toMatchObject({
      code: 'ERR_SESSION_INVALID_OPTIONS',
      details: { option: 'cityDatabase' },
    });
    await expect(MaxMindGeoResolver.open({ cityDatabase: paths.asn })).rejects.toThrow(/"cityDatabase".*not a GeoIP2\/GeoLite2 City database/);
    await expect(MaxMindGeoResolver.open({ cityDatabase: paths.city, asnDatabase: paths.city })).rejects.toThrow(
      /"asnDatabase".*not a GeoIP2\/GeoLite2 ASN database/,
    );
    await expect(MaxMindGeoResolver.open({ cityDatabase: '' })).rejects.toThrow(/"cityDatabase"/);
  });
});

describe('MaxMindGeoResolver operations', () => {
  it('keeps the network of an address the ASN database knows and the City database does not', async () => {
    expect(await resolver.resolve(ASN_ONLY.ip)).toEqual({
      country: null,
      city: null,
      subdivision: null,
      latitude: null,
      longitude: null,
      accuracyRadiusKm: null,
      timeZone: null,
      asn: 64500,
      asOrganization: 'Example Transit',
    });
  });

  it('reports database types and build dates, and warns when a database is older than maxAge', async () => {
    const warnings: string[] = [];
    const old = writeGeoFixtures(mkdtempSync(join(tmpdir(), 'sw-geo-old-')), { builtAt: Math.floor(Date.now() / 1000) - 90 * 86_400 });
    const stale = await MaxMindGeoResolver.open({ cityDatabase: old.city, asnDatabase: old.asn, onWarning: (m) => warnings.push(m) });
    expect(stale.health()).toMatchObject({
      databases: [
        { type: 'GeoIP2-City', ageDays: 90, stale: true },
        { type: 'GeoLite2-ASN', ageDays: 90, stale: true },
      ],
      reloads: 0,
      lastReloadError: null,
    });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toMatch(/built 90 days ago/);
    expect(resolver.health().databases.map((db) => db.stale)).toEqual([false, false]);
    const manager = new SessionManager({ secret: SECRET, geoResolver: stale });
    expect(manager.admin.health().geoResolver).toMatchObject({ databases: [{ type: 'GeoIP2-City' }, { type: 'GeoLite2-ASN' }] });
  });

  it('reload() swaps in a new file atomically: no lookup fails meanwhile, and a broken file keeps the old one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-geo-reload-'));
    const files = writeGeoFixtures(dir, { without: [PLACES.milton.ip] });
    const live = await MaxMindGeoResolver.open({ cityDatabase: files.city, asnDatabase: files.asn });
    expect(await live.resolve(PLACES.milton.ip)).toMatchObject({ city: null, asn: 209 }); // not yet in the City file
    let stop = false;
    let lookups = 0;
    const hammering = (async () => {
      while (!stop) {
        expect(await live.resolve(PLACES.seoul.ip)).toMatchObject({ city: 'Seoul' });
        lookups += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    const updated = writeGeoFixtures(mkdtempSync(join(tmpdir(), 'sw-geo-next-')));
    renameSync(updated.city, files.city); // how updaters replace a file: an atomic rename
    await live.reload();
    stop = true;
    await hammering;
    expect(lookups).toBeGreaterThan(0);
    expect(await live.resolve(PLACES.milton.ip)).toMatchObject({ city: 'Milton' });
    writeFileSync(files.city, randomBytes(2048));
    await expect(live.reload()).rejects.toMatchObject({ code: 'ERR_SESSION_INVALID_OPTIONS' });
    expect(await live.resolve(PLACES.milton.ip)).toMatchObject({ city: 'Milton' });
    expect(live.health()).toMatchObject({ reloads: 1, lastReloadError: expect.stringMatching(/cityDatabase/) });
  });

  it('watch: a replaced file is picked up by itself', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sw-geo-watch-'));
    const files = writeGeoFixtures(dir, { without: [PLACES.milton.ip] });
    const watched = await MaxMindGeoResolver.open({ cityDatabase: files.city, watch: { interval: 50 } });
    try {
      expect(await watched.resolve(PLACES.milton.ip)).toBeNull();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const next = writeGeoFixtures(mkdtempSync(join(tmpdir(), 'sw-geo-watch-next-')));
      renameSync(next.city, files.city);
      const deadline = Date.now() + 5_000;
      while (watched.health().reloads === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(await watched.resolve(PLACES.milton.ip)).toMatchObject({ city: 'Milton' });
    } finally {
      watched.close();
    }
  });
});
