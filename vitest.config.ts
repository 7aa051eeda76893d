import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

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
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-redis.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
