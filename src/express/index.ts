import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import { compileTrust, errorResponse, HttpSessions, refusalResponse, resolveClientIp } from 'sessionward';
import type { HttpRequest, HttpResponse, HttpSessionsOptions, RequestSession, TrustProxy } from 'sessionward';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** Set by `sessionward()`. */
      session: RequestSession;
    }
  }
}

/**
 * Express middleware: validates the request's credential, attaches `req.session`, answers the
 * session routes, and maps store outages to 503. Client IPs follow the app's `trust proxy` setting.
 */
export function sessionward(options: HttpSessionsOptions | HttpSessions): RequestHandler {
  const http = options instanceof HttpSessions ? options : new HttpSessions(options);
  return async (req, res, next) => {
    let session: RequestSession | null = null;
    try {
      const request = toHttpRequest(req);
      session = await http.begin(request, (name, value) => (name === 'set-cookie' ? res.append(name, value) : res.setHeader(name, value)));
      req.session = session;
      const routed = await http.route(request, session);
      if (routed) send(res, routed);
      else next();
    } catch (error) {
      const response = http.errorResponse(error, session);
      if (response) send(res, response);
      else next(error);
    }
  };
}

/** Answers 401 (with the reason) unless the request has a live session. */
export function requireSession(): RequestHandler {
  return (req, res, next) => (req.session?.session ? next() : send(res, refusalResponse(req.session?.refusal ?? 'missing')));
}

/** Register after your routes: turns sessionward errors thrown there (limit → 403, outage → 503) into responses. */
export function sessionErrorHandler(): ErrorRequestHandler {
  return (error, req, res, next) => {
    const response = errorResponse(error, req.session?.session?.id ?? null);
    if (response) send(res, response);
    else next(error);
  };
}

function toHttpRequest(req: Request): HttpRequest {
  const trust = (req.app.get('trust proxy fn') as ((address: string, hop: number) => boolean) | undefined) ?? compileTrust(false as TrustProxy);
  return {
    method: req.method,
    path: req.path,
    headers: req.headers,
    ip: resolveClientIp({ remoteAddress: req.socket.remoteAddress, headers: req.headers }, trust),
  };
}

function send(res: Response, response: HttpResponse): void {
  res.status(response.status).set(response.headers);
  if (response.body === null) res.end();
  else res.json(response.body);
}
