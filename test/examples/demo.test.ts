import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('npm run demo', () => {
  it('walks through the scenarios and exits 0', () => {
    const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const { REDIS_URL: _ignored, ...env } = process.env;
    const out = execFileSync(process.execPath, [tsx, 'examples/demo.ts'], { cwd: root, encoding: 'utf8', env });
    expect(out).toContain('ERR_SESSION_LIMIT_EXCEEDED (HTTP 403)');
    expect(out).toMatch(/work laptop\s+→ refused \(evicted\)/);
    expect(out).toMatch(/tablet\s+→ refused \(revoked\)/);
    expect(out).toMatch(/phone\s+→ refused \(expired-idle\)/);
    expect(out).toMatch(/ended\s+phone: expired-idle/);
  }, 60_000);
});
