import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import {
  attachedSession,
  attachSession,
  compileTrust,
  errorResponse,
  HttpSessions,
  notInstalled,
  readForm,
  refusalResponse,
  resolveClientIp,
} from 'sessionward/http';
import type { Duration } from 'sessionward';
import type { HttpRequest, HttpResponse, HttpSessionsOptions, LoadOptions, RequestSession } from 'sessionward/http';

declare global {
  namespace Express {
    interface Request {
      /** Set by `sessionward()` (under another name with the `property` option). */
      session: RequestSession;
    }
  }
}

export type ExpressSessionsOptions = HttpSessionsOptions<Request>;

/**
 * Express middleware: attaches `req.session` (validated on first use), answers the session routes,
 * and maps store outages to 503. Client IPs follow the app's `trust proxy` setting, or `trustProxy`.
 */
export function sessionward(options: ExpressSessionsOptions): RequestHandler {
  const http = new HttpSessions(options);
  // Not an async function: most requests are not a session route, and they go on without a promise.
  return (req, res, next) => {
    let session: RequestSession | null = null;
    let routed: Promise<HttpResponse | null> | null;
    try {
      const request = toHttpRequest(req, http);
      session = http.begin(request, (name, value) => {
        if (!res.headersSent) name === 'set-cookie' ? res.append(name, value) : res.setHeader(name, value);
      });
      attachSession(req, http.property, session);
      routed = http.route(request, session);
    } catch (error) {
      return failed(http, res, next, error, session);
    }
    if (routed === null) return next();
    return routed.then(
      (response) => (response ? send(res, response) : next()),
      (error: unknown) => failed(http, res, next, error, session),
    );
  };
}

/** A sessionward error as its response (limit 403, outage 503); any other error goes on to Express. */
function failed(http: HttpSessions<Request>, res: Response, next: NextFunction, error: unknown, session: RequestSession | null): void {
  const response = http.errorResponse(error, session);
  if (response) send(res, response);
  else next(error);
}

/** The request's session, whatever property it is attached as. */
export function sessionOf(req: Request): RequestSession {
  const session = attachedSession(req);
  if (!session) throw notInstalled('sessionward() is not installed in front of this route');
  return session;
}

/**
 * Validates the session, then answers 401 (with the reason) unless it is live. `allowDegraded`
 * (with the manager's `fallback`) lets this route serve through a store outage: `req.session.degraded`.
 */
export function requireSession(options: LoadOptions = {}): RequestHandler {
  return (req, res, next) => {
    let session: RequestSession;
    try {
      session = sessionOf(req);
    } catch (error) {
      return next(error);
    }
    return session.load(options).then((live) => (live ? next() : send(res, refusalResponse(session.refusal ?? 'missing'))), next);
  };
}

/** Answers 401 `reauthentication-required` unless the user authenticated within `maxAge` (e.g. `'15m'`) — before a sensitive action. */
export function requireRecentAuth(maxAge: Duration): RequestHandler {
  return async (req, res, next) => {
    try {
      const refusal = await sessionOf(req).recentAuthRefusal(maxAge);
      if (refusal) send(res, refusalResponse(refusal));
      else next();
    } catch (error) {
      next(error);
    }
  };
}

/** Refuses cross-origin state-changing requests (403 `cross-origin`), as the session routes do. */
export function csrfGuard(): RequestHandler {
  return (req, res, next) => {
    const refused = sessionOf(req).crossOriginRefusal({ method: req.method, headers: req.headers });
    if (refused) send(res, refused);
    else next();
  };
}

/** Register after your routes: turns sessionward errors thrown there (limit → 403, outage → 503) into responses. */
export function sessionErrorHandler(): ErrorRequestHandler {
  return (error, req, res, next) => {
    const session = attachedSession(req);
    const response = errorResponse(error, session?.loaded ? (session.session?.id ?? null) : null);
    if (response) send(res, response);
    else next(error);
  };
}

function toHttpRequest(req: Request, http: HttpSessions<Request>): HttpRequest<Request> {
  const trust = http.trust ?? (req.app.get('trust proxy fn') as ((address: string, hop: number) => boolean) | undefined) ?? compileTrust(false);
  return {
    method: req.method,
    path: req.path,
    headers: req.headers,
    ip: resolveClientIp({ remoteAddress: req.socket.remoteAddress, headers: req.headers }, trust),
    native: req,
    form: () => readForm(req.body, req, req.headers['content-type']),
  };
}

function send(res: Response, response: HttpResponse): void {
  res.status(response.status).set(response.headers);
  if (response.body === null) res.end();
  else if (typeof response.body === 'string') res.send(response.body);
  else res.json(response.body);
}
