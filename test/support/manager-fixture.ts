import { MemoryAuditSink, MemorySessionStore, SessionManager, type SessionManagerOptions, type SessionStore } from 'sessionward';
import { TestClock } from 'sessionward/testing';

export const SECRET = 'test-secret-0123456789-abcdefghijklmnopqrstuvwxyz';
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** Counts calls per store method, passing them through unchanged. */
export function countingStore(inner: SessionStore): { store: SessionStore; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const store = new Proxy(inner, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      // now() reads the store's clock: not a store call, and it works through an outage.
      if (typeof value !== 'function') return value;
      if (property === 'now') return value.bind(target);
      return (...args: unknown[]) => {
        calls[String(property)] = (calls[String(property)] ?? 0) + 1;
        return value.apply(target, args);
      };
    },
  });
  return { store, calls };
}

export function managerFixture(options: Partial<SessionManagerOptions> = {}) {
  const clock = new TestClock();
  const audit = new MemoryAuditSink();
  const memory = new MemorySessionStore({ clock: clock.now, sweepInterval: false });
  const { store, calls } = countingStore(options.store ?? memory);
  const manager = new SessionManager({ secret: SECRET, clock: clock.now, auditSink: audit, ...options, store });
  const events = (type?: string) => audit.events().filter((event) => type === undefined || event.type === type);
  return { manager, clock, audit, events, store, calls, memory };
}

export const CHROME_WINDOWS = {
  headers: {
    'user-agent': 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
    'accept-language': 'ko-KR,ko;q=0.9,en;q=0.8',
  },
  ip: '203.0.113.10',
};

export const FIREFOX_LINUX = {
  headers: { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0' },
  ip: '198.51.100.20',
};

export const SAFARI_IPHONE = {
  headers: {
    'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  },
  ip: '192.0.2.30',
};
