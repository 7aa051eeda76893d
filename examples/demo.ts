/**
 * `npm run demo`: a scripted walkthrough of sessionward, against the in-memory store or, when
 * REDIS_URL is set, against that Redis. It plays three devices logging in, a fourth refused, an
 * eviction policy, "sign out everywhere else", idle expiry under a fake clock, a device switch held
 * for step-up, impossible travel, and the audit trail. Locations come from a generated GeoIP2-City
 * fixture (made-up data) read by the real MaxMind reader.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { MaxMindGeoResolver } from 'sessionward/maxmind';
import { RedisSessionStore } from 'sessionward/redis';
import { PLACES, writeGeoFixtures } from '../fixtures/geo-fixture.js';
import { isSessionError, MemoryAuditSink, MemorySessionStore, SessionManager, type AuditEvent, type RequestContext, type Session } from 'sessionward';

const devices: Record<string, RequestContext> = {
  'work laptop': {
    ip: PLACES.seoul.ip,
    headers: { 'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' },
  },
  phone: {
    ip: PLACES.seoulOtherIsp.ip,
    headers: {
      'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    },
  },
  'home desktop': {
    ip: PLACES.seoulOtherIsp.ip,
    headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' },
  },
  tablet: {
    ip: PLACES.seoul.ip,
    headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36' },
  },
};

// A fake clock, so the demo can show idle expiry without waiting half an hour.
let now = Date.now();
const clock = () => now;
const start = now;
const minutes = (ms: number) => `${Math.round(ms / 60_000)} min`;

// Redis when REDIS_URL is set (under a prefix of its own, cleaned up at the end), memory otherwise.
const redis = process.env.REDIS_URL ? new Redis(process.env.REDIS_URL) : null;
const store = redis
  ? new RedisSessionStore({ client: redis, prefix: `sw-demo-${randomBytes(4).toString('hex')}:`, clock }) // the demo's fake clock, on Redis too
  : new MemorySessionStore({ clock });
const audit = new MemoryAuditSink();
const geoFiles = writeGeoFixtures();
const geo = await MaxMindGeoResolver.open({ cityDatabase: geoFiles.city, asnDatabase: geoFiles.asn });
const shared = {
  geoResolver: geo,
  secret: process.env.SESSION_SECRET ?? 'demo-only-secret-change-me-0123456789abcdefghijkl',
  store,
  auditSink: audit,
  clock,
  expiry: { idleTimeout: '30m' as const, absoluteLifetime: '12h' as const },
};

function heading(text: string) {
  console.log(`\n== ${text}`);
}

const names = new Map<string, string>();
const nameOf = (sessionId: string | null) => (sessionId === null ? 'unknown' : (names.get(sessionId) ?? 'unknown'));

function table(sessions: Session[], marks: Record<string, string> = {}) {
  for (const s of sessions) {
    const name = nameOf(s.id);
    console.log(
      `   ${(marks[s.id] ?? ' ').padEnd(2)}${name.padEnd(14)}${s.deviceInfo.browser.padEnd(18)}${s.deviceInfo.os.padEnd(13)}` +
        `${(s.locationInfo?.city ?? '?').padEnd(7)}last active ${minutes(now - s.lastAccess)} ago`,
    );
  }
}

const tokens: Record<string, { id: string; token: string }> = {};

async function login(manager: SessionManager, device: string) {
  const { session, token, evicted } = await manager.login({ userId: 'alice', context: devices[device] });
  tokens[device] = { id: session.id, token };
  names.set(session.id, device);
  return { session, evicted };
}

async function check(manager: SessionManager, device: string, context?: RequestContext) {
  const result = await manager.validate(tokens[device]!.token, context ? { context } : {});
  console.log(`   ${device.padEnd(14)}→ ${result.ok ? 'ok' : `refused (${result.reason})`}`);
  return result;
}

async function main() {
  console.log(redis ? `sessionward demo: Redis store at ${process.env.REDIS_URL}` : 'sessionward demo: in-memory store (set REDIS_URL to use Redis)');

  heading('Alice logs in on three devices (limit: 3, policy: reject)');
  const strict = new SessionManager({ ...shared, limit: { max: 3, policy: 'reject' } });
  for (const device of ['work laptop', 'phone', 'home desktop']) {
    await login(strict, device);
    now += 60_000;
  }
  table(await strict.list('alice'));

  heading('A fourth login, from a tablet, is refused with 403 and the sessions to choose from');
  try {
    await login(strict, 'tablet');
  } catch (error) {
    if (!isSessionError(error, 'ERR_SESSION_LIMIT_EXCEEDED')) throw error;
    console.log(`   ${error.code} (HTTP ${error.statusCode}): ${error.message}; limit ${error.details.limit}`);
    console.log('   "End one of these sessions to continue":');
    for (const s of error.details.sessions ?? []) {
      console.log(
        `     ${nameOf(s.id).padEnd(14)}${s.device.browser.padEnd(18)}${s.device.os.padEnd(13)}${(s.location?.city ?? '?').padEnd(7)}last active ${s.lastAccess}`,
      );
    }
  }

  heading('Same limit with policy evict-oldest: the tablet gets in, the oldest session is ended');
  const evicting = new SessionManager({ ...shared, limit: { max: 3, policy: 'evict-oldest' } });
  now += 60_000;
  const { evicted } = await login(evicting, 'tablet');
  console.log(`   evicted: ${evicted.map((s) => nameOf(s.id)).join(', ')}`);
  await check(evicting, 'work laptop');
  await check(evicting, 'tablet');

  heading('From the phone, Alice signs out everywhere else');
  const ended = await evicting.revokeAll('alice', { except: tokens.phone!.id, actor: 'user' });
  console.log(`   ended ${ended.length} sessions`);
  for (const device of ['phone', 'home desktop', 'tablet']) await check(evicting, device);

  heading('Activity slides the idle deadline; 31 idle minutes end the session');
  now += 20 * 60_000;
  await check(evicting, 'phone');
  now += 20 * 60_000;
  await check(evicting, 'phone');
  now += 31 * 60_000;
  await check(evicting, 'phone');

  heading('Back at work, the laptop logs in again; its browser changes mid-session: held for step-up');
  now += 60_000;
  await login(evicting, 'work laptop');
  now += 60_000;
  const firefox = { ip: PLACES.seoul.ip, headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' } };
  await check(evicting, 'work laptop', firefox);
  await evicting.confirmStepUp(tokens['work laptop']!.id);
  console.log('   (the app asks for the password again and calls confirmStepUp)');
  await check(evicting, 'work laptop', firefox);

  heading('20 minutes later the same credential shows up in New York: impossible travel, revoked');
  now += 20 * 60_000;
  await check(evicting, 'work laptop', { ...firefox, ip: PLACES.newYork.ip });
  const travel = audit.events().findLast((event) => event.type === 'session.anomaly');
  if (travel?.type === 'session.anomaly') {
    const evidence = travel.findings[0]!.evidence;
    console.log(
      `   ${travel.findings[0]!.rule}: ${evidence.from} → ${evidence.to}, ${evidence.distanceKm} km in ${evidence.elapsedMinutes} min (${evidence.speedKmh} km/h)`,
    );
  }

  heading('Audit trail');
  for (const event of audit.events()) console.log(`   ${describe(event)}`);
  await evicting.revokeAll('alice');
  if ('dispose' in store) await store.dispose();
  await redis?.quit();
}

function describe(event: AuditEvent): string {
  const at = `+${minutes(event.at - start)}`.padEnd(9);
  const who = nameOf;
  switch (event.type) {
    case 'session.created':
      return `${at}created    ${who(event.sessionId)} (${event.ip})`;
    case 'session.ended':
      return `${at}ended      ${who(event.sessionId)}: ${event.reason}${event.actor ? ` by ${event.actor}` : ''}`;
    case 'session.refused':
      return `${at}refused    ${who(event.sessionId)}: ${event.reason}`;
    case 'login.refused-by-limit':
      return `${at}login refused: limit ${event.limit} reached`;
    case 'session.renewed':
      return `${at}renewed    ${who(event.sessionId)} until +${minutes(event.expiresAt - start)}`;
    case 'session.step-up-confirmed':
      return `${at}step-up confirmed for ${who(event.sessionId)}`;
    case 'session.anomaly':
      return `${at}anomaly    ${who(event.sessionId)}: ${event.findings.map((f) => f.rule).join(', ')} → ${event.action}`;
    default:
      return `${at}${event.type}`;
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
