import { invalidOption } from '../errors.js';
import type { SessionManager } from '../session-manager.js';
import { readBearer, readCookie, resolveCookie, serializeCookie, type CookieOptions, type ResolvedCookie } from './cookie.js';
import { errorResponse, refusalResponse } from './http-errors.js';
import type { HeaderWriter, HttpRequest, HttpResponse } from './http-types.js';
import { RequestSession } from './request-session.js';
import { SessionRoutes, type AdminAuthorizer } from './session-routes.js';

export interface HttpSessionsOptions {
  manager: SessionManager;
  /** Where the credential travels: an HttpOnly cookie (browsers) or `Authorization: Bearer` (APIs). Only that one is read. @default 'cookie' */
  carrier?: 'cookie' | 'bearer';
  cookie?: CookieOptions;
  /** Mount point of the user's session routes. @default '/sessions' */
  routesPrefix?: string | false;
  /** Admin routes under `/admin/sessions`, behind your authorization (return the admin's id, or null to refuse). */
  admin?: { prefix?: string; authorize: AdminAuthorizer };
}

/**
 * Everything HTTP about sessions, framework-free: reading the configured carrier, validating,
 * building the per-request `RequestSession`, clearing dead cookies, mapping outcomes to status
 * codes, and the session routes. The Express, Fastify and Koa adapters only translate to and from it.
 */
export class HttpSessions {
  readonly manager: SessionManager;
  readonly #cookie: ResolvedCookie | null;
  readonly #routes: SessionRoutes;

  constructor(options: HttpSessionsOptions) {
    if (typeof options?.manager?.validate !== 'function') throw invalidOption('manager', 'must be a SessionManager');
    const carrier = options.carrier ?? 'cookie';
    if (carrier !== 'cookie' && carrier !== 'bearer') throw invalidOption('carrier', "must be 'cookie' or 'bearer'");
    this.manager = options.manager;
    this.#cookie = carrier === 'cookie' ? resolveCookie(options.cookie) : null;
    this.#routes = new SessionRoutes(options.manager, options.routesPrefix ?? '/sessions', options.admin);
  }

  /**
   * Reads and validates the request's credential. A store outage throws ERR_SESSION_STORE_UNAVAILABLE
   * (answer 503 with `errorResponse`); a dead credential's cookie is cleared.
   */
  async begin(request: HttpRequest, write: HeaderWriter): Promise<RequestSession> {
    const credential = this.#cookie ? readCookie(request.headers.cookie, this.#cookie.name) : readBearer(request.headers.authorization);
    const context = { headers: request.headers, ip: request.ip };
    const result = await this.manager.validate(credential, { context });
    const init = result.ok
      ? { session: result.session, refusal: null, pendingStepUp: null }
      : { session: null, refusal: result.reason, pendingStepUp: result.reason === 'step-up-required' ? (result.session ?? null) : null };
    if (!result.ok && credential !== undefined && result.reason !== 'step-up-required' && this.#cookie) {
      write('set-cookie', serializeCookie(this.#cookie, '', 0)); // stop the browser sending a dead credential
    }
    return new RequestSession(init, this.manager, context, this.#cookie, write);
  }

  /** The built-in session routes, or null when the request is not one of them. */
  route(request: HttpRequest, session: RequestSession): Promise<HttpResponse | null> {
    return this.#routes.handle(request, session);
  }

  /** 401 with the reason, for a request that needs a session and has none. */
  unauthorized(session: RequestSession): HttpResponse {
    return refusalResponse(session.refusal ?? 'missing');
  }

  /** The response for a sessionward error, or null for other errors. */
  errorResponse(error: unknown, session?: RequestSession | null): HttpResponse | null {
    return errorResponse(error, session?.session?.id ?? null);
  }
}
