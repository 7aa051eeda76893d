import type { FastifyPluginAsync, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler, preHandlerHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { attachedSession, attachSession, HttpSessions, normalizeIp, notInstalled, readForm, refusalResponse, resolveClientIp } from 'sessionward/http';
import type { Duration } from 'sessionward';
import type { HttpRequest, HttpResponse, HttpSessionsOptions, LoadOptions, RequestSession } from 'sessionward/http';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the sessionward plugin (under another name with the `property` option). */
    session: RequestSession;
  }
}

export type FastifySessionsOptions = HttpSessionsOptions<FastifyRequest>;

/**
 * Fastify plugin: decorates `request.session` (validated on first use), answers the session
 * routes in `onRequest`, and maps sessionward errors (limit → 403, outage → 503) before handing any
 * other error to the error handler that was in place. Client IPs follow `trustProxy`.
 */
const plugin: FastifyPluginAsync<FastifySessionsOptions> = async (fastify, options) => {
  const http = new HttpSessions(options);
  fastify.decorateRequest(http.property, null);

  // Callback style, not async: a request that is not a session route goes on without a promise.
  fastify.addHook('onRequest', (request, reply, done) => {
    let routed: Promise<HttpResponse | null> | null;
    try {
      const httpRequest = toHttpRequest(request, http);
      const session = http.begin(httpRequest, (name, value) => {
        if (!reply.sent) void reply.header(name, value);
      });
      attachSession(request, http.property, session);
      routed = http.route(httpRequest, session);
    } catch (error) {
      return done(error as Error);
    }
    if (routed === null) return done();
    routed.then((response) => (response ? void send(reply, response) : done()), done);
  });

  const previous = fastify.errorHandler;
  fastify.setErrorHandler(function sessionwardErrors(error, request, reply) {
    const response = http.errorResponse(error, attachedSession(request));
    if (response) return send(reply, response);
    return previous.call(this, error, request, reply);
  });
};

export const sessionward = fp(plugin, { name: 'sessionward', fastify: '5.x' });
export default sessionward;

/** The request's session, whatever property it is attached as. */
export function sessionOf(request: FastifyRequest): RequestSession {
  const session = attachedSession(request);
  if (!session) throw notInstalled('the sessionward plugin is not registered in this scope');
  return session;
}

/** A preHandler that validates the session, then answers 401 (with the reason) unless it is live; `allowDegraded`: see the manager's `fallback`. */
export function requireSession(options: LoadOptions = {}): preHandlerHookHandler {
  return (request, reply, done) => {
    let session: RequestSession;
    try {
      session = sessionOf(request);
    } catch (error) {
      return done(error as Error);
    }
    session.load(options).then((live) => (live ? done() : void send(reply, refusalResponse(session.refusal ?? 'missing'))), done);
  };
}

/** A preHandler answering 401 `reauthentication-required` unless the user authenticated within `maxAge` (e.g. `'15m'`). */
export function requireRecentAuth(maxAge: Duration): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    const refusal = await sessionOf(request).recentAuthRefusal(maxAge);
    if (refusal) return send(reply, refusalResponse(refusal));
  };
}

/** A preHandler refusing cross-origin state-changing requests (403 `cross-origin`), as the session routes do. */
export function csrfGuard(): preHandlerAsyncHookHandler {
  return async (request, reply) => {
    const refused = sessionOf(request).crossOriginRefusal({ method: request.method, headers: request.headers });
    if (refused) return send(reply, refused);
  };
}

function toHttpRequest(request: FastifyRequest, http: HttpSessions<FastifyRequest>): HttpRequest<FastifyRequest> {
  const headers = request.headers;
  const ip = http.trust ? resolveClientIp({ remoteAddress: request.raw.socket.remoteAddress, headers }, http.trust) : fromFastifyChain(request);
  // Session routes answer in onRequest, before Fastify parses a body: the stream is still unread.
  const form = () => readForm(undefined, request.raw, headers['content-type']);
  return { method: request.method, path: pathOf(request.url), headers, ip, native: request, form };
}

/**
 * Fastify's own walk (`request.ips`: the peer, then each hop while trusted, plus the first
 * untrusted one), read with the rule the other adapters use: an unparsable hop ends the walk and
 * the last good address is the client. Fastify 5 refuses bare hop counts; pass `trustProxy` to the
 * plugin for those.
 */
function fromFastifyChain(request: FastifyRequest): string {
  // Without the header Fastify's walk is the peer alone: skip building it.
  const forwarded = request.headers['x-forwarded-for'] !== undefined;
  const chain = (forwarded ? (request.ips as string[] | undefined) : undefined) ?? [request.raw.socket.remoteAddress ?? ''];
  let client = '';
  for (const hop of chain) {
    const address = normalizeIp(hop);
    if (address === null) break;
    client = address;
  }
  return client;
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

function send(reply: FastifyReply, response: HttpResponse): FastifyReply {
  return reply
    .code(response.status)
    .headers(response.headers)
    .send(response.body ?? undefined);
}
