/**
 * Cost of describing a new session's device and place: UA parsing with Client Hints, and City +
 * ASN lookups through @maxmind/geoip2-node on the generated fixture. `npx tsx bench/fingerprint-geo.ts`
 */
import { UserAgentFingerprinter } from 'sessionward';
import { MaxMindGeoResolver } from 'sessionward/maxmind';
import { PLACES, writeGeoFixtures } from '../fixtures/geo-fixture.js';

const contexts = [
  {
    ip: PLACES.seoul.ip,
    headers: {
      'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
      'accept-language': 'ko-KR',
    },
  },
  {
    ip: PLACES.london.ip,
    headers: {
      'user-agent': 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
      'sec-ch-ua': '"Chromium";v="131", "Google Chrome";v="131", "Not_A Brand";v="24"',
      'sec-ch-ua-model': '"Pixel 8"',
      'sec-ch-ua-platform': '"Android"',
      'sec-ch-ua-platform-version': '"14.0.0"',
      'sec-ch-ua-mobile': '?1',
    },
  },
  {
    ip: PLACES.tokyoV6.ip,
    headers: {
      'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    },
  },
];

async function perCall(label: string, run: (i: number) => Promise<unknown>, iterations = 20_000): Promise<number> {
  for (let i = 0; i < 2_000; i += 1) await run(i);
  const started = performance.now();
  for (let i = 0; i < iterations; i += 1) await run(i);
  const micros = ((performance.now() - started) * 1000) / iterations;
  console.log(`${label.padEnd(38)} ${micros.toFixed(1).padStart(6)} µs`);
  return micros;
}

const { city, asn } = writeGeoFixtures();
const geo = await MaxMindGeoResolver.open({ cityDatabase: city, asnDatabase: asn });
const fingerprinter = new UserAgentFingerprinter();
const pick = (i: number) => contexts[i % contexts.length]!;
const fp = await perCall('fingerprint (UA + Client Hints)', (i) => fingerprinter.fingerprint(pick(i)));
const loc = await perCall('geo (City + ASN lookups)', (i) => geo.resolve(pick(i).ip));
await perCall('both, as at login (in parallel)', (i) => Promise.all([fingerprinter.fingerprint(pick(i)), geo.resolve(pick(i).ip)]));
console.log(`per new session: about ${(fp + loc).toFixed(0)} µs of CPU`);
