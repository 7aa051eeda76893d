import { ErrorCode } from '../errors.js';
import type { SessionManager } from '../session-manager.js';
import type { Session } from '../types.js';
import { refusalResponse } from './http-errors.js';
import type { HttpRequest, HttpResponse } from './http-types.js';
import type { RequestSession } from './request-session.js';
import { sessionView } from './session-view.js';

/** Decides whether a request may use the admin routes: the admin's id (for the audit trail), or null. */
export type AdminAuthorizer = (request: HttpRequest, session: Session | null) => string | null | Promise<string | null>;

const json = (status: number, body: unknown): HttpResponse => ({ status, headers: { 'cache-control': 'no-store' }, body });
const notFound = () => json(404, { error: ErrorCode.NotFound });

/**
 * The same paths and JSON in every framework.
 *   GET    <prefix>                       the caller's sessions, this one marked `current`
 *   DELETE <prefix>/:id                   end one of the caller's sessions
 *   POST   <prefix>/revoke-others         end all the caller's other sessions
 *   POST   <prefix>/logout                end this session
 *   GET    <admin>/users/:userId          a user's sessions
 *   GET    <admin>/users/:userId/history  a user's ended sessions and why they ended (?cursor= for older)
 *   GET    <admin>/users/:userId/events   a user's raw audit events
 *   DELETE <admin>/users/:userId          end all of a user's sessions
 *   DELETE <admin>/:id                    end one session
 */
export class SessionRoutes {
  readonly #manager: SessionManager;
  readonly #prefix: string | false;
  readonly #admin: { prefix: string; authorize: AdminAuthorizer } | null;

  constructor(manager: SessionManager, prefix: string | false, admin?: { prefix?: string; authorize: AdminAuthorizer }) {
    this.#manager = manager;
    this.#prefix = prefix;
    this.#admin = admin ? { prefix: admin.prefix ?? '/admin/sessions', authorize: admin.authorize } : null;
  }

  async handle(request: HttpRequest, rs: RequestSession): Promise<HttpResponse | null> {
    if (this.#admin && under(request.path, this.#admin.prefix)) return this.#adminRoute(request, rs, rest(request.path, this.#admin.prefix));
    if (this.#prefix && under(request.path, this.#prefix)) return this.#userRoute(request, rs, rest(request.path, this.#prefix));
    return null;
  }

  async #userRoute(request: HttpRequest, rs: RequestSession, path: string[]): Promise<HttpResponse | null> {
    const route = `${request.method} /${path.join('/')}`;
    const known = ['GET /', 'POST /revoke-others', 'POST /logout'].includes(route) || (request.method === 'DELETE' && path.length === 1);
    if (!known) return null;
    const current = rs.session;
    if (!current) return refusalResponse(rs.refusal ?? 'missing');
    if (route === 'GET /') {
      const sessions = await this.#manager.list(current.userId);
      return json(200, { sessions: sessions.map((session) => sessionView(session, current.id)) });
    }
    if (route === 'POST /revoke-others') {
      const ended = await this.#manager.revokeAll(current.userId, { except: current.id, actor: 'user' });
      return json(200, { revoked: ended.length });
    }
    if (route === 'POST /logout') {
      await rs.logout();
      return { status: 204, headers: { 'cache-control': 'no-store' }, body: null };
    }
    // DELETE /:id — only the caller's own sessions.
    const target = await this.#manager.get(path[0]!);
    if (!target || target.userId !== current.userId) return notFound();
    if (target.id === current.id) await rs.logout();
    else await this.#manager.revoke(target.id, { actor: 'user', reason: 'revoked' });
    return { status: 204, headers: { 'cache-control': 'no-store' }, body: null };
  }

  async #adminRoute(request: HttpRequest, rs: RequestSession, path: string[]): Promise<HttpResponse | null> {
    const actor = await this.#admin!.authorize(request, rs.session);
    if (!actor) return json(403, { error: ErrorCode.Forbidden });
    const [first, second, third] = path;
    if (first === 'users' && second !== undefined && path.length <= 3) {
      if (request.method === 'GET' && third === undefined) {
        return json(200, { sessions: (await this.#manager.list(second)).map((s) => sessionView(s, rs.session?.id ?? null)) });
      }
      if (request.method === 'GET' && third === 'history') return json(200, await this.#manager.history(second));
      if (request.method === 'GET' && third === 'events') return json(200, { events: await this.#manager.events(second) });
      if (request.method === 'DELETE' && third === undefined) {
        return json(200, { revoked: (await this.#manager.revokeAll(second, { actor })).length });
      }
    }
    if (request.method === 'DELETE' && path.length === 1) {
      return (await this.#manager.revoke(first!, { actor })) ? { status: 204, headers: {}, body: null } : notFound();
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
