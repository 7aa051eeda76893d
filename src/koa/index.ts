import type { Context, Middleware } from 'koa';
import { attachedSession, attachSession, compileTrust, HttpSessions, notInstalled, readForm, refusalResponse, resolveClientIp } from 'sessionward/http';
import type { Duration } from 'sessionward';
import type { HttpRequest, HttpResponse, HttpSessionsOptions, LoadOptions, RequestSession } from 'sessionward/http';

declare module 'koa' {
  interface DefaultState {
    /** Set by the sessionward middleware (under another name with the `property` option). */
    session: RequestSession;
  }
}

export type KoaSessionsOptions = HttpSessionsOptions<Context>;

/**
 * Koa middleware: sets `ctx.state.session` (validated on first use), answers the session routes,
 * and turns sessionward errors thrown downstream (limit → 403, outage → 503) into responses.
 * Client IPs follow `app.proxy` and `app.maxIpsCount`, or `trustProxy`.
 */
export function sessionward(options: KoaSessionsOptions): Middleware {
  const http = new HttpSessions(options);
  return async (ctx, next) => {
    let session: RequestSession | null = null;
    try {
      const request = toHttpRequest(ctx, http);
      session = http.begin(request, (name, value) => {
        if (!ctx.headerSent) name === 'set-cookie' ? ctx.append('Set-Cookie', value) : ctx.set(name, value);
      });
      attachSession(ctx.state, http.property, session);
      const routed = await http.route(request, session);
      if (routed) return send(ctx, routed);
      await next();
    } catch (error) {
      const response = http.errorResponse(error, session);
      if (!response) throw error;
      send(ctx, response);
    }
  };
}

/** The request's session, whatever property it is attached as. */
export function sessionOf(ctx: Context): RequestSession {
  const session = attachedSession(ctx.state);
  if (!session) throw notInstalled('sessionward() is not installed in front of this route');
  return session;
}

/** Validates the session, then answers 401 (with the reason) unless it is live; `allowDegraded`: see the manager's `fallback`. */
export function requireSession(options: LoadOptions = {}): Middleware {
  return async (ctx, next) => {
    const session = sessionOf(ctx);
    if (await session.load(options)) return next();
    send(ctx, refusalResponse(session.refusal ?? 'missing'));
  };
}

/** Answers 401 `reauthentication-required` unless the user authenticated within `maxAge` (e.g. `'15m'`) — before a sensitive action. */
export function requireRecentAuth(maxAge: Duration): Middleware {
  return async (ctx, next) => {
    const refusal = await sessionOf(ctx).recentAuthRefusal(maxAge);
    if (!refusal) return next();
    send(ctx, refusalResponse(refusal));
  };
}

/** Refuses cross-origin state-changing requests (403 `cross-origin`), as the session routes do. */
export function csrfGuard(): Middleware {
  return async (ctx, next) => {
    const refused = sessionOf(ctx).crossOriginRefusal({ method: ctx.method, headers: ctx.headers });
    if (refused) return send(ctx, refused);
    await next();
  };
}

function toHttpRequest(ctx: Context, http: HttpSessions<Context>): HttpRequest<Context> {
  // Koa trusts every X-Forwarded-For hop when app.proxy is on, up to maxIpsCount when that is set.
  const trust = http.trust ?? compileTrust(ctx.app.proxy ? (ctx.app.maxIpsCount > 0 ? ctx.app.maxIpsCount : true) : false);
  const ip = resolveClientIp({ remoteAddress: ctx.req.socket.remoteAddress, headers: ctx.headers }, trust);
  const parsed = (ctx.request as { body?: unknown }).body;
  return { method: ctx.method, path: ctx.path, headers: ctx.headers, ip, native: ctx, form: () => readForm(parsed, ctx.req, ctx.headers['content-type']) };
}

function send(ctx: Context, response: HttpResponse): void {
  ctx.status = response.status;
  ctx.set(response.headers);
  ctx.body = response.body === null ? null : response.body;
  if (response.body === null) ctx.status = response.status; // Koa resets the status when the body is null
}
