import { ResponseCode } from './response-codes.js';
import type { SessionManager } from '../session-manager.js';
import { summarizeSession } from '../session-summary.js';
import type { Session } from '../types.js';
import { refusalResponse } from './http-errors.js';
import type { AdminAuthorizer } from './http-sessions.js';
import type { AdminPages, HttpRequest, HttpResponse } from './http-types.js';
import type { RequestSession } from './request-session.js';
import { sessionJson } from './session-json.js';

const json = (status: number, body: unknown): HttpResponse => ({ status, headers: { 'cache-control': 'no-store' }, body });
const noContent = (): HttpResponse => ({ status: 204, headers: { 'cache-control': 'no-store' }, body: null });
const notFound = () => json(404, { error: ResponseCode.NotFound });
const listJson = (sessions: Session[], currentId: string | null) => ({ sessions: sessions.map((s) => sessionJson(summarizeSession(s), currentId)) });

type CrossOriginCheck = (request: HttpRequest) => HttpResponse | null;

/**
 * The same paths and JSON in every framework. State-changing routes pass the cross-origin guard
 * before anything else runs.
 *   GET    <prefix>                       the caller's sessions, this one marked `current`
 *   DELETE <prefix>/:id                   end one of the caller's sessions
 *   POST   <prefix>/revoke-others         end all the caller's other sessions
 *   POST   <prefix>/logout                end this session
 *   POST   <prefix>/refresh               token pairs: the bearer refresh token for a new pair
 *   GET    <admin>/users/:userId          a user's sessions
 *   GET    <admin>/users/:userId/history  a user's ended sessions and why they ended (?cursor= for older)
 *   GET    <admin>/users/:userId/events   a user's raw audit events
 *   DELETE <admin>/users/:userId          end all of a user's sessions
 *   DELETE <admin>/:id                    end one session
 */
export class SessionRoutes<Native> {
  readonly #manager: SessionManager;
  readonly #prefix: string | false;
  readonly #admin: { prefix: string; authorize: AdminAuthorizer<Native>; dashboard: AdminPages | null } | null;
  readonly #pairs: boolean;

  constructor(
    manager: SessionManager,
    prefix: string | false,
    admin: { prefix?: string; authorize: AdminAuthorizer<Native>; dashboard?: AdminPages } | undefined,
    pairs: boolean,
  ) {
    this.#manager = manager;
    this.#prefix = prefix;
    this.#pairs = pairs;
    this.#admin = admin ? { prefix: admin.prefix ?? '/admin/sessions', authorize: admin.authorize, dashboard: admin.dashboard ?? null } : null;
  }

  /** The route's response, or null (without a promise: this runs on every request) when the path is none of them. */
  handle(request: HttpRequest<Native>, rs: RequestSession, crossOrigin: CrossOriginCheck): Promise<HttpResponse | null> | null {
    if (this.#admin && under(request.path, this.#admin.prefix)) {
      return this.#adminRoute(request, rs, rest(request.path, this.#admin.prefix), crossOrigin);
    }
    if (this.#prefix && under(request.path, this.#prefix)) return this.#userRoute(request, rs, rest(request.path, this.#prefix), crossOrigin);
    return null;
  }

  async #userRoute(request: HttpRequest, rs: RequestSession, path: string[], crossOrigin: CrossOriginCheck): Promise<HttpResponse | null> {
    const route = `${request.method} /${path.join('/')}`;
    const refresh = this.#pairs && route === 'POST /refresh';
    const known = refresh || ['GET /', 'POST /revoke-others', 'POST /logout'].includes(route) || (request.method === 'DELETE' && path.length === 1);
    if (!known) return null;
    const refused = crossOrigin(request);
    if (refused) return refused;
    // The bearer here is the refresh token, never an access token.
    if (refresh) {
      const session = await rs.refresh();
      if (!session) return refusalResponse(rs.refusal ?? 'missing');
      return json(200, { token: rs.token, refreshToken: rs.refreshToken, expiresAt: rs.tokenExpiresAt });
    }
    const current = await rs.load();
    if (!current) return refusalResponse(rs.refusal ?? 'missing');
    if (route === 'GET /') return json(200, listJson(await this.#manager.list(current.userId), current.id));
    if (route === 'POST /revoke-others') {
      const ended = await this.#manager.revokeAll(current.userId, { except: current.id, actor: 'user' });
      return json(200, { revoked: ended.length });
    }
    if (route === 'POST /logout') {
      await rs.logout();
      return noContent();
    }
    // DELETE /:id — only the caller's own sessions.
    const target = await this.#manager.get(path[0]!);
    if (!target || target.userId !== current.userId) return notFound();
    if (target.id === current.id) await rs.logout();
    else await this.#manager.revoke(target.id, { actor: 'user', reason: 'revoked' });
    return noContent();
  }

  async #adminRoute(request: HttpRequest<Native>, rs: RequestSession, path: string[], crossOrigin: CrossOriginCheck): Promise<HttpResponse | null> {
    const refused = crossOrigin(request);
    if (refused) return refused;
    const session = await rs.load();
    const actor = await this.#admin!.authorize(request.native, session);
    if (!actor) return json(403, { error: ResponseCode.Forbidden });
    const [first, second, third] = path;
    const { dashboard, prefix } = this.#admin!;
    if (dashboard && first === 'dashboard') {
      const form = request.form ?? (async () => new URLSearchParams());
      const page = { method: request.method, path: path.slice(1), headers: request.headers, form, actor, adminSession: session, manager: this.#manager };
      return dashboard.handle({ ...page, base: `${prefix}/dashboard` });
    }
    if (first === 'users' && second !== undefined && path.length <= 3) {
      if (request.method === 'GET' && third === undefined) return json(200, listJson(await this.#manager.list(second), session?.id ?? null));
      if (request.method === 'GET' && third === 'history') return json(200, await this.#manager.admin.history(second));
      if (request.method === 'GET' && third === 'events') return json(200, { events: await this.#manager.admin.events(second) });
      if (request.method === 'DELETE' && third === undefined) {
        return json(200, { revoked: (await this.#manager.revokeAll(second, { actor })).length });
      }
    }
    if (request.method === 'DELETE' && path.length === 1) {
      return (await this.#manager.revoke(first!, { actor })) ? noContent() : notFound();
    }
    return null;
  }
}

function under(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}/`);
}

/** Path segments after the prefix, URI-decoded (undecodable segments are kept as they are). */
function rest(path: string, prefix: string): string[] {
  return path
    .slice(prefix.length)
    .split('/')
    .filter((segment) => segment.length > 0)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
}
