import { invalidOption } from '../errors.js';
import { checkKeys } from '../internal/option-keys.js';
import { compileTrust, type TrustProxy } from '../request/client-ip.js';
import type { SessionManager } from '../session-manager.js';
import type { RequestContext, Session } from '../types.js';
import { readBearer, readCookie, resolveCookie, type CookieOptions } from './cookie.js';
import { crossOriginResponse, errorResponse, refusalResponse } from './http-errors.js';
import type { AdminPages, HeaderWriter, HttpRequest, HttpResponse } from './http-types.js';
import { OriginGuard, type CsrfOptions } from './origin-guard.js';
import { RequestSession, type RequestSessionConfig } from './request-session.js';
import { SessionRoutes } from './session-routes.js';

/** Decides whether a request may use the admin routes: the admin's id (for the audit trail), or null. */
export type AdminAuthorizer<Native = unknown> = (request: Native, session: Session | null) => string | null | Promise<string | null>;

export interface HttpSessionsOptions<Native = unknown> {
  manager: SessionManager;
  /** Where the credential travels: an HttpOnly cookie (browsers) or `Authorization: Bearer` (APIs). Only that one is read. @default 'cookie' */
  carrier?: 'cookie' | 'bearer';
  /**
   * API mode only: `'pair'` issues a short-lived access token and a rotating refresh token (spent at
   * `POST <routesPrefix>/refresh`); `'session'` one long-lived bearer credential. Cookie mode keeps
   * its single HttpOnly cookie. @default 'pair' with carrier 'bearer'
   */
  tokens?: 'pair' | 'session';
  cookie?: CookieOptions;
  /**
   * The cross-origin guard on every state-changing session route (and `csrfGuard()` for yours).
   * `false` turns it off, which `sameSite: 'None'` refuses. @default {}
   */
  csrf?: CsrfOptions | false;
  /** Mount point of the user's session routes. @default '/sessions' */
  routesPrefix?: string | false;
  /**
   * Admin routes under `/admin/sessions`, behind your authorization (return the admin's id, or null
   * to refuse). `dashboard: dashboard()` from `sessionward/dashboard` adds HTML pages at `<prefix>/dashboard`.
   */
  admin?: { prefix?: string; authorize: AdminAuthorizer<Native>; dashboard?: AdminPages };
  /** The request property the session is attached as (e.g. `'auth'` beside express-session's `session`). @default 'session' */
  property?: string;
  /**
   * Which hops may report the client's IP, the same in every framework (see `TrustProxy`). By
   * default each adapter follows its framework's own setting.
   */
  trustProxy?: TrustProxy | string;
  /** Send `Accept-CH` for the high-entropy Client Hints the fingerprinter reads, so browsers send them from the next request on. @default false */
  clientHints?: boolean;
  /** Logout also sends `Clear-Site-Data: "cookies", "storage"`. @default false */
  clearSiteDataOnLogout?: boolean;
  /** A request header whose value (e.g. a request id) audit events carry as `requestId`. @default none */
  requestIdHeader?: string;
}

/** Every option the adapters' `sessionward(...)` accepts (the docs/http.md table is checked against it). */
export const HTTP_OPTION_KEYS = [
  'manager',
  'carrier',
  'tokens',
  'cookie',
  'csrf',
  'routesPrefix',
  'admin',
  'property',
  'trustProxy',
  'clientHints',
  'clearSiteDataOnLogout',
  'requestIdHeader',
] as const;
const PROPERTY = /^[A-Za-z_$][\w$]*$/;

/**
 * Everything HTTP about sessions, framework-free: reading the configured carrier, building the
 * per-request `RequestSession` (validated lazily), the cross-origin guard, mapping outcomes to
 * status codes, and the session routes. The Express, Fastify and Koa adapters only translate.
 */
export class HttpSessions<Native = unknown> {
  readonly manager: SessionManager;
  /** The request property adapters attach the session as. */
  readonly property: string;
  /** The explicit trusted-proxy setting, compiled; null means "follow the framework". */
  readonly trust: ((address: string, hop: number) => boolean) | null;
  readonly #config: RequestSessionConfig;
  readonly #guard: OriginGuard | null;
  readonly #routes: SessionRoutes<Native>;
  readonly #acceptCh: string | null;
  readonly #requestIdHeader: string | null;

  constructor(options: HttpSessionsOptions<Native>) {
    if (typeof options !== 'object' || options === null) throw invalidOption('options', 'must be an object');
    checkKeys(options, HTTP_OPTION_KEYS, null);
    if (typeof options.manager?.validate !== 'function') throw invalidOption('manager', 'must be a SessionManager');
    const carrier = options.carrier ?? 'cookie';
    if (carrier !== 'cookie' && carrier !== 'bearer') throw invalidOption('carrier', "must be 'cookie' or 'bearer'");
    if (options.csrf !== undefined && options.csrf !== false && (typeof options.csrf !== 'object' || options.csrf === null)) {
      throw invalidOption('csrf', 'must be an object or false');
    }
    if (options.csrf) checkKeys(options.csrf, ['allowedOrigins'], 'csrf');
    this.#guard = options.csrf === false ? null : new OriginGuard(options.csrf ?? {});
    this.manager = options.manager;
    this.property = options.property ?? 'session';
    if (typeof this.property !== 'string' || !PROPERTY.test(this.property)) throw invalidOption('property', 'must be an identifier');
    const { trustProxy } = options;
    this.trust = trustProxy === undefined ? null : compileTrust(trustProxy, 'trustProxy');
    const tokens = options.tokens ?? (carrier === 'bearer' ? 'pair' : 'session');
    if (tokens !== 'pair' && tokens !== 'session') throw invalidOption('tokens', "must be 'pair' or 'session'");
    if (tokens === 'pair' && carrier === 'cookie') throw invalidOption('tokens', "'pair' is for carrier 'bearer'; cookie mode keeps one HttpOnly cookie");
    this.#config = {
      manager: options.manager,
      cookie: carrier === 'cookie' ? resolveCookie(options.cookie, this.#guard !== null) : null,
      clearSiteDataOnLogout: flag(options.clearSiteDataOnLogout, 'clearSiteDataOnLogout'),
      pairs: tokens === 'pair',
      crossOrigin: (request) => this.crossOrigin(request),
    };
    if (options.admin !== undefined) {
      checkKeys(options.admin, ['prefix', 'authorize', 'dashboard'], 'admin');
      if (typeof options.admin?.authorize !== 'function') throw invalidOption('admin.authorize', 'must be a function');
      if (options.admin.dashboard !== undefined && typeof options.admin.dashboard?.handle !== 'function') {
        throw invalidOption('admin.dashboard', 'must be dashboard() from sessionward/dashboard');
      }
    }
    this.#routes = new SessionRoutes(options.manager, prefixOf(options.routesPrefix), options.admin, this.#config.pairs);
    const hints = flag(options.clientHints, 'clientHints') ? options.manager.clientHints : [];
    this.#acceptCh = hints.length > 0 ? hints.join(', ') : null;
    if (options.requestIdHeader !== undefined && (typeof options.requestIdHeader !== 'string' || !/^[a-z0-9-]+$/i.test(options.requestIdHeader))) {
      throw invalidOption('requestIdHeader', 'must be a header name');
    }
    this.#requestIdHeader = options.requestIdHeader?.toLowerCase() ?? null;
  }

  /** The request's session, not yet validated: nothing touches the store until it is used. */
  begin(request: HttpRequest<Native>, write: HeaderWriter): RequestSession {
    const { cookie } = this.#config;
    const values = cookie ? readCookie(request.headers.cookie, cookie.name) : [readBearer(request.headers.authorization)].filter((v) => v !== undefined);
    if (this.#acceptCh) write('accept-ch', this.#acceptCh);
    const requestId = this.#requestIdHeader ? request.headers[this.#requestIdHeader] : undefined;
    const context: RequestContext = { headers: request.headers, ip: request.ip };
    if (typeof requestId === 'string') context.requestId = requestId;
    // Two different session cookies go to the manager together, which refuses them (see validate).
    return new RequestSession(this.#config, values.length > 1 ? values : values[0], context, write);
  }

  /** The built-in session routes, or null when the request is not one of them. */
  route(request: HttpRequest<Native>, session: RequestSession): Promise<HttpResponse | null> | null {
    return this.#routes.handle(request, session, this.#config.crossOrigin);
  }

  /** The 403 for a cross-origin state-changing request, or null when it may go on. */
  crossOrigin(request: Pick<HttpRequest, 'method' | 'headers'>): HttpResponse | null {
    return this.#guard && !this.#guard.allows(request) ? crossOriginResponse() : null;
  }

  /** 401 with the reason, for a request that needs a session and has none. */
  unauthorized(session: RequestSession): HttpResponse {
    return refusalResponse(session.refusal ?? 'missing');
  }

  /** The response for a sessionward error, or null for other errors. */
  errorResponse(error: unknown, session?: RequestSession | null): HttpResponse | null {
    return errorResponse(error, session?.loaded ? (session.session?.id ?? null) : null);
  }
}

function flag(value: unknown, option: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw invalidOption(option, 'must be a boolean');
  return value;
}

function prefixOf(value: unknown): string | false {
  if (value === undefined) return '/sessions';
  if (value === false) return false;
  if (typeof value !== 'string' || !/^\/[\w\-./]*[^/]$/.test(value)) throw invalidOption('routesPrefix', "must be a path like '/sessions', or false");
  return value;
}
