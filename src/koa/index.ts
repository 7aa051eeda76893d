import type { Context, Middleware } from 'koa';
import { compileTrust, HttpSessions, refusalResponse, resolveClientIp } from 'sessionward';
import type { HttpRequest, HttpResponse, HttpSessionsOptions, RequestSession } from 'sessionward';

declare module 'koa' {
  interface DefaultState {
    /** Set by the sessionward middleware. */
    session: RequestSession;
  }
}

/**
 * Koa middleware: validates the request's credential, sets `ctx.state.session`, answers the session
 * routes, and turns sessionward errors thrown downstream (limit → 403, outage → 503) into responses.
 * Client IPs follow `app.proxy` and `app.maxIpsCount`.
 */
export function sessionward(options: HttpSessionsOptions | HttpSessions): Middleware {
  const http = options instanceof HttpSessions ? options : new HttpSessions(options);
  return async (ctx, next) => {
    let session: RequestSession | null = null;
    try {
      const request = toHttpRequest(ctx);
      session = await http.begin(request, (name, value) => (name === 'set-cookie' ? ctx.append('Set-Cookie', value) : ctx.set(name, value)));
      ctx.state.session = session;
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

/** Answers 401 (with the reason) unless the request has a live session. */
export function requireSession(): Middleware {
  return async (ctx, next) => {
    if (ctx.state.session?.session) return next();
    send(ctx, refusalResponse(ctx.state.session?.refusal ?? 'missing'));
  };
}

function toHttpRequest(ctx: Context): HttpRequest {
  // Koa trusts every X-Forwarded-For hop when app.proxy is on, up to maxIpsCount when that is set.
  const trust = compileTrust(ctx.app.proxy ? (ctx.app.maxIpsCount > 0 ? ctx.app.maxIpsCount : true) : false);
  return { method: ctx.method, path: ctx.path, headers: ctx.headers, ip: resolveClientIp({ remoteAddress: ctx.req.socket.remoteAddress, headers: ctx.headers }, trust) };
}

function send(ctx: Context, response: HttpResponse): void {
  ctx.status = response.status;
  ctx.set(response.headers);
  ctx.body = response.body === null ? null : response.body;
  if (response.body === null) ctx.status = response.status; // Koa resets the status when the body is null
}
