import type { RequestContext } from 'sessionward';
import { MaxMindGeoResolver } from 'sessionward/maxmind';
import { writeGeoFixtures } from '../../fixtures/geo-fixture.js';

/** A Chrome on Windows user agent of the given major version. */
export const CHROME = (major: number) => `Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/${major}.0.0.0 Safari/537.36`;

/** A request from `ip` with `userAgent`. */
export const at = (ip: string, userAgent = CHROME(131)): RequestContext => ({ ip, headers: { 'user-agent': userAgent } });

/** The real MaxMind reader on freshly written City and ASN fixtures. */
export async function openFixtureGeo(): Promise<MaxMindGeoResolver> {
  const { city, asn } = writeGeoFixtures();
  return MaxMindGeoResolver.open({ cityDatabase: city, asnDatabase: asn });
}
