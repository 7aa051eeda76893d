import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, inject, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));

function demo(redisUrl?: string): string {
  const { REDIS_URL: _ignored, ...env } = process.env;
  return execFileSync(process.execPath, [tsx, 'examples/demo.ts'], {
    cwd: root,
    encoding: 'utf8',
    env: redisUrl ? { ...env, REDIS_URL: redisUrl } : env,
  });
}

describe('npm run demo', () => {
  it.each([
    ['the in-memory store', undefined, 'in-memory store'],
    ['Redis when REDIS_URL is set', 'redis', 'Redis store at redis://'],
  ])(
    'walks through the scenarios on %s and exits 0',
    (_label, redis, banner) => {
      const out = demo(redis ? inject('redisUrl') : undefined);
      expect(out).toContain(banner);
      expect(out).toContain('ERR_SESSION_LIMIT_EXCEEDED (HTTP 403)');
      expect(out).toMatch(/work laptop\s+→ refused \(evicted\)/);
      expect(out).toMatch(/tablet\s+→ refused \(revoked\)/);
      expect(out).toMatch(/phone\s+→ refused \(expired-idle\)/);
      expect(out).toMatch(/ended\s+phone: expired-idle/);
      expect(out).toMatch(/work laptop\s+→ refused \(step-up-required\)/);
      expect(out).toMatch(/impossible-travel: Seoul, KR → New York, US, \d+ km in 20 min/);
      expect(out).toMatch(/anomaly\s+work laptop: impossible-travel.* → revoke/);
    },
    60_000,
  );
});
