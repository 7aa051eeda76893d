import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

/**
 * Two layers. `unit`: in-process, no servers, no build (runs in seconds: `npm run test:unit`).
 * `integration`: real redis-server (standalone, 3-master cluster, Sentinel), real Chromium, the
 * built package and CLI; its global setup starts the shared Redis servers, so only it waits for them.
 */
const UNIT = [
  'test/{anomaly,audit,dashboard,docs,fingerprint,manager,maxmind,request,store,testing,tokens,redis-unit}/**/*.test.ts',
  'test/monitoring/opentelemetry.test.ts',
  'test/adapters/hardening.test.ts',
  'test/adapters/degraded.test.ts',
];

export default defineConfig({
  resolve: {
    // Tests and examples import the package by name, as users do.
    alias: [
      { find: /^sessionward$/, replacement: src('index.ts') },
      { find: /^sessionward\/http$/, replacement: src('http/index.ts') },
      { find: /^sessionward\/testing$/, replacement: src('testing/index.ts') },
      { find: /^sessionward\/redis$/, replacement: src('redis/index.ts') },
      { find: /^sessionward\/maxmind$/, replacement: src('maxmind/index.ts') },
      { find: /^sessionward\/express$/, replacement: src('express/index.ts') },
      { find: /^sessionward\/fastify$/, replacement: src('fastify/index.ts') },
      { find: /^sessionward\/koa$/, replacement: src('koa/index.ts') },
      { find: /^sessionward\/opentelemetry$/, replacement: src('opentelemetry/index.ts') },
      { find: /^sessionward\/dashboard$/, replacement: src('dashboard/index.ts') },
    ],
  },
  test: {
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Most files wait on Redis, child processes or a browser, not the CPU: on two cores, three
    // workers keep both busy (the default, one per core minus one, runs files one by one).
    maxWorkers: 3,
    projects: [
      // The library keeps no module state and every file builds its own managers and servers, so
      // one module graph per worker serves all files (it halves the CPU spent importing).
      { extends: true, test: { name: 'unit', include: UNIT, isolate: false } },
      {
        extends: true,
        test: { name: 'integration', include: ['test/**/*.test.ts'], exclude: UNIT, globalSetup: ['test/support/global-redis.ts'], isolate: false },
      },
    ],
  },
});
