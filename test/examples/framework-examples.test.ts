import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, inject, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let running: ChildProcess | undefined;
afterEach(() => {
  running?.kill('SIGKILL');
  running = undefined;
});

/** Starts `examples/<name>/app.ts` on a free port and resolves with the URL it prints. */
function start(name: string, redisUrl?: string): Promise<{ url: string; banner: string }> {
  const { REDIS_URL: _ignored, ...env } = process.env;
  // `node --import tsx`: one process, so killing it stops the server (the tsx CLI would leave a child behind).
  running = spawn(process.execPath, ['--import', 'tsx', `examples/${name}/app.ts`], {
    cwd: root,
    env: { ...env, PORT: '0', ...(redisUrl ? { REDIS_URL: redisUrl } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`example ${name} did not start:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1]!, banner: output.trim() });
      }
    };
    running!.stdout!.on('data', read);
    running!.stderr!.on('data', read);
    running!.once('exit', (code) => reject(new Error(`example ${name} exited with ${code}:\n${output}`)));
  });
}

describe.each(['express', 'fastify', 'koa'])('examples/%s', (name) => {
  it.each([
    ['in-memory store', undefined],
    ['Redis when REDIS_URL is set', 'redis'],
  ])(
    'starts and answers a login and a protected request (%s)',
    async (_label, redis) => {
      const { url, banner } = await start(name, redis ? inject('redisUrl') : undefined);
      expect(banner).toContain(redis ? 'Redis at redis://' : 'in-memory store');
      expect((await fetch(`${url}/api/me`)).status).toBe(401);
      const login = await fetch(`${url}/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ userId: `ex-${name}-${Date.now()}` }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers.getSetCookie()[0]!;
      expect(cookie).toMatch(/^__Host-sid=eyJ[^;]+; Path=\/; Max-Age=\d+; HttpOnly; Secure; SameSite=Lax$/);
      const headers = { cookie: cookie.split(';')[0]! };
      expect(await (await fetch(`${url}/api/me`, { headers })).json()).toMatchObject({ userId: expect.stringMatching(/^ex-/) });
      const devices = await fetch(`${url}/devices`, { headers });
      expect(devices.status).toBe(200);
      expect(await devices.text()).toContain('Your devices');
      expect(((await (await fetch(`${url}/sessions`, { headers })).json()) as { sessions: unknown[] }).sessions).toHaveLength(1);
    },
    60_000,
  );
});

describe('examples/migration (docs/migrating-from-express-session.md)', () => {
  it('logs in, keeps app data field by field, and logs out like the express-session app it replaces', async () => {
    const { url } = await start('migration');
    const login = await fetch(`${url}/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userId: 'migrant' }) });
    expect(login.status).toBe(200);
    const headers = { cookie: login.headers.getSetCookie()[0]!.split(';')[0]!, 'content-type': 'application/json' };
    expect(await (await fetch(`${url}/cart`, { method: 'POST', headers })).json()).toEqual({ cart: 1 });
    expect(await (await fetch(`${url}/cart`, { method: 'POST', headers })).json()).toEqual({ cart: 2 });
    expect(await (await fetch(`${url}/api/me`, { headers })).json()).toEqual({ userId: 'migrant', cart: 2 });
    expect((await fetch(`${url}/logout`, { method: 'POST', headers })).status).toBe(204);
    expect((await fetch(`${url}/api/me`, { headers })).status).toBe(401);
  });
});
