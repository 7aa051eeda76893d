import { describe, expect, it, vi } from 'vitest';
import { isSessionError } from 'sessionward';
import { RedisSessionStore, RedisStreamAuditSink, type RedisCommander } from 'sessionward/redis';
import { CircuitBreaker } from '../../src/redis/circuit-breaker.js';
import { ScriptRunner, script } from '../../src/redis/script-runner.js';
import { mockCommander } from '../support/mock-commander.js';

const never: RedisCommander = { status: 'ready', call: () => new Promise(() => {}) };

describe('ScriptRunner', () => {
  it('falls back to EVAL after NOSCRIPT, then uses the cached script', async () => {
    const client = mockCommander();
    const sent: string[] = [];
    const spy: RedisCommander = {
      status: 'ready',
      call: (command, ...args) => {
        sent.push(command);
        return client.call(command, ...args);
      },
    };
    const runner = new ScriptRunner(spy, 1_000, null);
    const lua = script('return 42');
    expect(await runner.run(lua, [], [])).toBe(42);
    expect(sent).toEqual(['EVALSHA', 'EVAL']);
    // The server now has it cached: later calls are one EVALSHA each, never EVAL again.
    expect(await runner.run(lua, [], [])).toBe(42);
    expect(await runner.run(lua, [], [])).toBe(42);
    expect(sent).toEqual(['EVALSHA', 'EVAL', 'EVALSHA', 'EVALSHA']);
  });

  it('a script error is ERR_SESSION_STORE_FAILED (a bug, not an outage) and leaves the breaker shut', async () => {
    const breaker = new CircuitBreaker(1, 10_000);
    const runner = new ScriptRunner(
      {
        status: 'ready',
        call: async () => {
          throw Object.assign(new Error('ERR user_script:1: Script attempted to access nonexistent global variable'), { name: 'ReplyError' });
        },
      },
      1_000,
      breaker,
    );
    await expect(runner.run(script('return x'), [], [])).rejects.toMatchObject({ code: 'ERR_SESSION_STORE_FAILED', statusCode: 500 });
    expect(breaker.blockedFor()).toBe(0);
    const transient = new ScriptRunner(
      {
        status: 'ready',
        call: async () => {
          throw Object.assign(new Error('TRYAGAIN Multiple keys request during rehashing of slot'), { name: 'ReplyError' });
        },
      },
      1_000,
      breaker,
    );
    await expect(transient.run(script('return 1'), [], [])).rejects.toThrow(/TRYAGAIN/);
    expect(breaker.blockedFor()).toBeGreaterThan(0); // an outage-like reply does count
  });

  it('gives up at the deadline with the typed error, and the breaker then answers at once', async () => {
    // A deadline long enough that "at once" has room on a loaded machine and still cannot be the deadline.
    const runner = new ScriptRunner(never, 250, new CircuitBreaker(2, 10_000));
    for (let i = 0; i < 2; i += 1) {
      const started = performance.now();
      await expect(runner.run(script('return 1'), [], [])).rejects.toSatisfy((e) => isSessionError(e, 'ERR_SESSION_STORE_UNAVAILABLE'));
      expect(performance.now() - started).toBeGreaterThanOrEqual(245);
    }
    const started = performance.now();
    await expect(runner.run(script('return 1'), [], [])).rejects.toMatchObject({ details: { retryAfterSeconds: 10 } });
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('keeps one deadline timer for all the calls in flight, not one per call', async () => {
    const timers = vi.spyOn(globalThis, 'setTimeout');
    try {
      const runner = new ScriptRunner(never, 50, null);
      const calls = Array.from({ length: 100 }, () => runner.run(script('return 1'), [], []).catch((error: unknown) => error));
      const answers = await Promise.all(calls);
      expect(answers.every((error) => isSessionError(error, 'ERR_SESSION_STORE_UNAVAILABLE'))).toBe(true);
      // One timer, re-armed when calls that started later are not yet due (the test runner's own timers wait longer).
      expect(timers.mock.calls.filter(([, delay]) => (delay ?? 0) <= 50).length).toBeLessThanOrEqual(3);
    } finally {
      timers.mockRestore();
    }
  });

  it('gives each call its own deadline: a call started later is not given up with an earlier one', async () => {
    const runner = new ScriptRunner(never, 100, null);
    const started = performance.now();
    const gaveUp = (call: Promise<unknown>) => call.catch(() => performance.now() - started);
    const first = gaveUp(runner.run(script('return 1'), [], []));
    await new Promise((resolve) => setTimeout(resolve, 200)); // started 200 ms later: due at 300, not at 100
    const second = gaveUp(runner.run(script('return 1'), [], []));
    const [a, b] = await Promise.all([first, second]);
    expect(a).toBeGreaterThanOrEqual(95);
    expect(a).toBeLessThan(250); // the first was given up at its own deadline, not held for the second's
    expect(b).toBeGreaterThanOrEqual(295);
  });

  it('an answer before the deadline settles the call, and nothing fires for it afterwards', async () => {
    let answer: (value: unknown) => void = () => {};
    const runner = new ScriptRunner({ status: 'ready', call: () => new Promise((resolve) => (answer = resolve)) }, 30, null);
    const call = runner.run(script('return 1'), [], []);
    answer('yes');
    expect(await call).toBe('yes');
    const late = runner.run(script('return 1'), [], []).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 60));
    answer('late'); // after its deadline: the call has already failed, and the late answer changes nothing
    expect(await late).toMatchObject({ code: 'ERR_SESSION_STORE_UNAVAILABLE' });
  });

  it('fails fast while the client is reconnecting instead of queueing', async () => {
    const runner = new ScriptRunner({ status: 'reconnecting', call: () => new Promise(() => {}) }, 5_000, null);
    await expect(runner.run(script('return 1'), [], [])).rejects.toMatchObject({ code: 'ERR_SESSION_STORE_UNAVAILABLE' });
  });
});

describe('CircuitBreaker', () => {
  it('opens after the threshold, lets one probe through after the cooldown, and closes on success', () => {
    const breaker = new CircuitBreaker(2, 100);
    breaker.failed(0);
    expect(breaker.blockedFor(1)).toBe(0);
    breaker.failed(1);
    expect(breaker.blockedFor(50)).toBe(51);
    expect(breaker.blockedFor(200)).toBe(0); // the probe
    expect(breaker.blockedFor(201)).toBe(100); // others wait for it
    breaker.succeeded();
    expect(breaker.blockedFor(202)).toBe(0);
  });
});

describe('options', () => {
  it.each([
    [{ client: {} }, /"client"/],
    [{ client: never, prefix: 'a{b}' }, /"prefix"/],
    [{ client: never, commandTimeout: 'soon' }, /"commandTimeout"/],
    [{ client: never, circuitBreaker: { threshold: 0 } }, /"circuitBreaker.threshold"/],
    [{ client: never, endedRetention: -1 }, /"endedRetention"/],
  ])('RedisSessionStore refuses %j', (options, message) => {
    expect(() => new RedisSessionStore(options as never)).toThrow(message);
  });

  it('RedisStreamAuditSink refuses a bad client or limits', () => {
    expect(() => new RedisStreamAuditSink({ client: {} as never })).toThrow(/"client"/);
    expect(() => new RedisStreamAuditSink({ client: never, maxLengthPerUser: 0 })).toThrow(/"maxLengthPerUser"/);
  });
});
