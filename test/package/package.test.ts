import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Runs against the built package (`npm test` builds first), through its own `exports` map.
const root = fileURLToPath(new URL('../..', import.meta.url));
const pkg = JSON.parse(readFileSync(`${root}/package.json`, 'utf8'));
const coreAllowed = (specifier: string) =>
  specifier.startsWith('node:') || builtinModules.includes(specifier) || ['jose', 'lru-cache', 'ua-parser-js', 'structured-headers'].includes(specifier);

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function importedSpecifiers(file: string): string[] {
  const code = readFileSync(`${root}/${file}`, 'utf8');
  const specifiers = [
    ...code.matchAll(/\bfrom\s*["']([^"']+)["']/g),
    ...code.matchAll(/\bimport\s*\(\s*["']([^"']+)["']\s*\)/g),
    ...code.matchAll(/\brequire\s*\(\s*["']([^"']+)["']\s*\)/g),
    ...code.matchAll(/^\s*import\s*["']([^"']+)["']/gm),
  ].map((match) => match[1]!);
  return [...new Set(specifiers)];
}

describe('published package', () => {
  it('every export path points at files that exist, with types for import and require', () => {
    for (const [subpath, target] of Object.entries<Record<string, Record<string, string>> | string>(pkg.exports)) {
      if (typeof target === 'string') continue;
      for (const condition of ['import', 'require']) {
        for (const file of [target[condition]!.types!, target[condition]!.default!]) {
          expect(existsSync(`${root}/${file}`), `${subpath} ${condition} ${file}`).toBe(true);
        }
      }
    }
  });

  it.each(['dist/index.js', 'dist/index.cjs'])('%s imports no framework and no Redis client', (file) => {
    const specifiers = importedSpecifiers(file);
    expect(specifiers.length).toBeGreaterThan(0);
    expect(specifiers.filter((specifier) => !coreAllowed(specifier))).toEqual([]);
  });

  it.each(['dist/redis.js', 'dist/redis.cjs'])("%s works with the app's client and does not load ioredis itself", (file) => {
    expect(importedSpecifiers(file).filter((specifier) => !coreAllowed(specifier))).toEqual([]);
  });

  it('has only MIT-compatible runtime dependencies, ua-parser-js pinned to the last MIT release', () => {
    expect(pkg.dependencies['ua-parser-js']).toBe('1.0.41');
    expect(Object.keys(pkg.dependencies).sort()).toEqual(['jose', 'lru-cache', 'structured-headers', 'ua-parser-js']);
  });

  const script = `
    const { SessionManager, isSessionError } = mod;
    const manager = new SessionManager({ secret: 'package-test-secret-0123456789abcdefghij' });
    const { token } = await manager.login({ userId: 'alice' });
    const result = await manager.validate(token);
    let code = null;
    try { new SessionManager({ secret: 'short' }); } catch (e) { code = isSessionError(e) && e.code; }
    console.log(JSON.stringify({ ok: result.ok, code }));
  `;

  it('loads as ESM by package name and works end to end', () => {
    const out = node(['--input-type=module', '-e', `const mod = await import('sessionward'); ${script}`]);
    expect(JSON.parse(out)).toEqual({ ok: true, code: 'ERR_SESSION_INVALID_OPTIONS' });
  });

  it('loads as CommonJS by package name and works end to end', () => {
    const out = node(['--no-warnings', '-e', `(async () => { const mod = require('sessionward'); ${script} })()`]);
    expect(JSON.parse(out)).toEqual({ ok: true, code: 'ERR_SESSION_INVALID_OPTIONS' });
  });

  it('sessionward/testing loads in both module systems and imports no test runner', () => {
    expect(node(['--input-type=module', '-e', `import('sessionward/testing').then(m => console.log(typeof m.describeSessionStoreConformance))`]).trim()).toBe(
      'function',
    );
    expect(
      node(['-e', `const t = require('sessionward/testing'); console.log(typeof t.describeSessionStoreConformance, new t.TestClock().now() > 0)`]).trim(),
    ).toBe('function true');
    for (const file of ['dist/testing.js', 'dist/testing.cjs']) {
      expect(importedSpecifiers(file).filter((specifier) => !coreAllowed(specifier))).toEqual([]);
    }
  });

  it.each([
    [
      'mjs',
      `import { describe, it, beforeEach, afterEach } from 'node:test';\nimport { MemorySessionStore } from 'sessionward';\nimport { describeSessionStoreConformance } from 'sessionward/testing';`,
    ],
    [
      'cjs',
      `const { describe, it, beforeEach, afterEach } = require('node:test');\nconst { MemorySessionStore } = require('sessionward');\nconst { describeSessionStoreConformance } = require('sessionward/testing');`,
    ],
  ])('node:test runs the store conformance suite (%s, built-in expect)', (extension, imports) => {
    mkdirSync(`${root}/.tmp`, { recursive: true });
    const file = `${root}/.tmp/conformance-node-test.${extension}`;
    writeFileSync(
      file,
      `${imports}\ndescribeSessionStoreConformance({ describe, it, beforeEach, afterEach }, { name: 'memory under node:test', raceRepeats: 2, raceSize: 50, createStore: (clock) => new MemorySessionStore({ clock, sweepInterval: false }) });\n`,
    );
    const out = node(['--test', '--test-reporter=tap', file]);
    const passed = Number(/^# pass (\d+)$/m.exec(out)?.[1]);
    expect(passed).toBeGreaterThan(25);
    expect(out).toMatch(/^# fail 0$/m);
  });

  it.each(['dist/maxmind.js', 'dist/maxmind.cjs'])('%s loads @maxmind/geoip2-node (its optional peer) and nothing else', (file) => {
    expect(importedSpecifiers(file).filter((specifier) => !coreAllowed(specifier))).toEqual(['@maxmind/geoip2-node']);
  });

  it.each([
    ['express', []],
    ['fastify', ['fastify-plugin']],
    ['koa', []],
  ])('dist/%s.* is a thin adapter: it loads the HTTP core by package name, not a copy of it', (name, extra) => {
    for (const file of [`dist/${name}.js`, `dist/${name}.cjs`]) {
      expect(
        importedSpecifiers(file)
          .filter((specifier) => !builtinModules.includes(specifier))
          .sort(),
      ).toEqual(['sessionward/http', ...extra].sort());
      expect(readFileSync(`${root}/${file}`, 'utf8')).not.toContain('class SessionManager');
    }
  });

  it('the HTTP core is its own subpath: the root entry serves apps only', () => {
    expect(node(['--input-type=module', '-e', `import('sessionward/http').then(m => console.log(typeof m.HttpSessions, typeof m.csrfGuard))`]).trim()).toBe(
      'function undefined',
    );
    expect(node(['-e', `console.log(typeof require('sessionward/http').HttpSessions)`]).trim()).toBe('function');
    expect(
      node([
        '--input-type=module',
        '-e',
        `import('sessionward').then(m => console.log(['HttpSessions', 'RequestSession', 'errorResponse'].filter(k => k in m).length))`,
      ]).trim(),
    ).toBe('0');
  });

  it('a TypeScript program with both .mts and .cts files type-checks against all three adapters (augmentations declared once)', () => {
    const dir = `${root}/.tmp/dual-types`;
    mkdirSync(dir, { recursive: true });
    const body = [
      `import { requireSession as e } from 'sessionward/express';`,
      `import { requireSession as f } from 'sessionward/fastify';`,
      `import { requireSession as k } from 'sessionward/koa';`,
      `import type { Request } from 'express';`,
      `import type { FastifyRequest } from 'fastify';`,
      `import type { Context } from 'koa';`,
      `export const guards = [e(), f(), k()];`,
      `export const load = (req: Request, request: FastifyRequest, ctx: Context) => [req.session.load(), request.session.load(), ctx.state.session.load()];`,
    ].join('\n');
    writeFileSync(`${dir}/esm.mts`, body);
    writeFileSync(`${dir}/cjs.cts`, body);
    writeFileSync(
      `${dir}/tsconfig.json`,
      JSON.stringify({
        compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: ['node'] },
        files: ['esm.mts', 'cjs.cts'],
      }),
    );
    const tsc = `${root}/node_modules/typescript/bin/tsc`;
    // Library checks stay on (TS2717 is reported inside our .d.cts); third-party typing noise is not ours.
    let output = '';
    try {
      output = node([tsc, '-p', dir, '--pretty', 'false']);
    } catch (error) {
      output = String((error as { stdout?: string }).stdout);
    }
    const ours = output.split('\n').filter((line) => /error TS/.test(line) && !line.startsWith('node_modules/'));
    expect(ours).toEqual([]);
    expect(output).not.toMatch(/TS2717/);
  }, 90_000); // tsc with library checks over three frameworks' types: 10–15 s alone, longer beside the other workers

  it.each(['express', 'fastify', 'koa'])('sessionward/%s loads in both module systems', (name) => {
    expect(
      node(['--input-type=module', '-e', `import('sessionward/${name}').then(m => console.log(typeof m.requireSession(), typeof m.csrfGuard()))`]).trim(),
    ).toBe('function function');
    expect(node(['-e', `console.log(typeof require('sessionward/${name}').sessionward)`]).trim()).toBe('function');
  });

  it.each(['dist/opentelemetry.js', 'dist/opentelemetry.cjs'])('%s loads only @opentelemetry/api (its optional peer)', (file) => {
    expect(importedSpecifiers(file).filter((specifier) => !builtinModules.includes(specifier))).toEqual(['@opentelemetry/api']);
  });

  it('sessionward/dashboard loads in both module systems and needs nothing but Node (no front-end bundle, no CDN)', () => {
    expect(node(['--input-type=module', '-e', `import('sessionward/dashboard').then(m => console.log(typeof m.dashboard().handle))`]).trim()).toBe('function');
    expect(node(['-e', `console.log(typeof require('sessionward/dashboard').dashboard)`]).trim()).toBe('function');
    for (const file of ['dist/dashboard.js', 'dist/dashboard.cjs']) {
      expect(importedSpecifiers(file).filter((specifier) => !builtinModules.includes(specifier) && !specifier.startsWith('node:'))).toEqual([]);
    }
  });

  it('the sessionward bin is the built CLI', () => {
    expect(pkg.bin).toEqual({ sessionward: './dist/cli.js' });
    expect(readFileSync(`${root}/dist/cli.js`, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
  });

  it('sessionward/redis loads in both module systems', () => {
    expect(node(['--input-type=module', '-e', `import('sessionward/redis').then(m => console.log(typeof m.RedisSessionStore))`]).trim()).toBe('function');
    expect(node(['-e', `console.log(typeof require('sessionward/redis').RedisStreamAuditSink)`]).trim()).toBe('function');
  });
});
