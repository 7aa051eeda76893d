import type { SessionStore } from 'sessionward';

/**
 * The store as a Redis that went away would leave it: while `outage.down` is set every call fails
 * with a connection error. `now()` is the store's clock, not a call, and keeps answering.
 */
export function failingWhen(store: SessionStore, outage: { down: boolean }, error = () => new Error('connect ECONNREFUSED')): SessionStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      if (property === 'now') return value.bind(target);
      return (...args: unknown[]) => (outage.down ? Promise.reject(error()) : value.apply(target, args));
    },
  });
}
