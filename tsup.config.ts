import { defineConfig } from 'tsup';

// Kept minimal on purpose: tsup is unmaintained upstream (tsdown is its successor).
export default defineConfig({
  entry: {
    index: 'src/index.ts',
    http: 'src/http/index.ts',
    testing: 'src/testing/index.ts',
    redis: 'src/redis/index.ts',
    maxmind: 'src/maxmind/index.ts',
    express: 'src/express/index.ts',
    fastify: 'src/fastify/index.ts',
    koa: 'src/koa/index.ts',
    opentelemetry: 'src/opentelemetry/index.ts',
    dashboard: 'src/dashboard/index.ts',
    cli: 'src/cli/main.ts',
  },
  // Adapters import the core by package name, so it loads once, not once per subpath.
  external: ['sessionward', 'sessionward/http', 'sessionward/redis'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  splitting: false,
});
