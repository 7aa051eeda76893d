import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { MemorySessionStore, SessionManager, type SessionStore } from 'sessionward';
import { RedisSessionStore } from 'sessionward/redis';
import { TestClock } from 'sessionward/testing';
import { SECRET } from '../support/manager-fixture.js';
import { failingWhen } from '../support/outage-store.js';
import { FRAMEWORKS, startApp, type Framework } from './apps.js';
import { Browser, normalise, type Reply } from './http-client.js';
import { SCENARIOS, type Scenario } from './scenarios.js';

const redis = new Redis(inject('redisUrl'));
afterAll(async () => {
  await redis.quit();
});

const stores: Record<string, (clock: TestClock) => SessionStore> = {
  memory: (clock) => new MemorySessionStore({ clock: clock.now, sweepInterval: false }),
  redis: (clock) => new RedisSessionStore({ client: redis, prefix: `http-${process.pid}-${Math.random().toString(36).slice(2)}:`, clock: clock.now }),
};

async function runScenario(framework: Framework, scenario: Scenario, storeName: string): Promise<unknown[]> {
  const clock = new TestClock();
  const outage = { down: false };
  const manager = new SessionManager({ secret: SECRET, clock: clock.now, store: failingWhen(stores[storeName]!(clock), outage), ...scenario.manager });
  const app = await startApp(framework, { manager, ...scenario.http });
  const transcript: { label: string; reply: Reply }[] = [];
  try {
    await scenario.run({
      url: app.url,
      clock,
      outage,
      browser: (userAgent) => new Browser(app.url, userAgent),
      record: (label, reply) => {
        transcript.push({ label, reply });
        return reply;
      },
    });
  } finally {
    await app.close();
  }
  const ids = new Map<string, string>();
  return transcript.map((entry) => normalise(entry, ids));
}

for (const storeName of Object.keys(stores)) {
  describe(`HTTP scenarios through Express, Fastify and Koa (${storeName} store)`, () => {
    for (const scenario of SCENARIOS) {
      it(scenario.name, async () => {
        const transcripts: Record<string, unknown[]> = {};
        for (const framework of FRAMEWORKS) transcripts[framework] = await runScenario(framework, scenario, storeName);
        // Status codes, bodies and every Set-Cookie attribute are identical across frameworks.
        expect(transcripts.fastify).toEqual(transcripts.express);
        expect(transcripts.koa).toEqual(transcripts.express);
        expect(transcripts.express!.length).toBeGreaterThan(0);
      });
    }
  });
}
