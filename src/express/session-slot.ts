import { IncomingMessage } from 'node:http';
import { attachSession, REQUEST_SESSION } from 'sessionward/http';
import type { RequestSession } from 'sessionward/http';

/**
 * `req.session` (or the app's own name for it) without a property added to each request. Express
 * gives every request its app's request prototype, and a property added to such an object cost
 * about 25k instructions a request (callgrind, the bench app: 620k against 595k), most of what the
 * middleware cost. The session lives in a WeakMap, reached by an accessor defined once on each
 * request prototype (a mounted app has its own); assigning to it still works.
 */
export class ExpressSessionSlot {
  readonly #property: string;
  readonly #names: readonly (string | symbol)[];
  readonly #sessions = new WeakMap<object, unknown>();
  readonly #prototypes = new WeakSet<object>();

  constructor(property: string) {
    this.#property = property;
    this.#names = property === 'session' ? [property] : [property, REQUEST_SESSION];
  }

  attach(req: object, session: RequestSession): void {
    const prototype = Object.getPrototypeOf(req) as object | null;
    // Outside an Express app (a bare http request): a property of its own, not one on every request of the process.
    if (prototype === null || prototype === IncomingMessage.prototype || prototype === Object.prototype) {
      attachSession(req, this.#property, session);
      return;
    }
    if (!this.#prototypes.has(prototype)) this.#define(prototype);
    this.#sessions.set(req, session);
  }

  #define(prototype: object): void {
    const sessions = this.#sessions;
    for (const name of this.#names) {
      Object.defineProperty(prototype, name, {
        configurable: true,
        get(this: object) {
          return sessions.get(this);
        },
        set(this: object, value: unknown) {
          sessions.set(this, value);
        },
      });
    }
    this.#prototypes.add(prototype);
  }
}
