import type { FastifyPluginAsync, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { HttpSessions, normalizeIp, refusalResponse } from 'sessionward';
import type { HttpRequest, HttpResponse, HttpSessionsOptions, RequestSession } from 'sessionward';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the sessionward plugin. */
    session: RequestSession;
  }
}

/**
 * Fastify plugin: validates each request's credential in `onRequest`, decorates `request.session`,
 * answers the session routes, and maps sessionward errors (limit → 403, outage → 503) before
 * handing any other error to the error handler that was in place. Client IPs follow `trustProxy`.
 */
const plugin: FastifyPluginAsync<HttpSessionsOptions> = async (fastify, options) => {
  const http = new HttpSessions(options);
  fastify.decorateRequest('session', null as unknown as RequestSession);

  fastify.addHook('onRequest', async (request, reply) => {
    const httpRequest = toHttpRequest(request);
    request.session = await http.begin(httpRequest, (name, value) => void reply.header(name, value));
    const routed = await http.route(httpRequest, request.session);
    if (routed) return send(reply, routed);
  });

  const previous = fastify.errorHandler;
  fastify.setErrorHandler(function sessionwardErrors(error, request, reply) {
    const response = http.errorResponse(error, request.session);
    if (response) return send(reply, response);
    return previous.call(this, error, request, reply);
  });
};

export const sessionward = fp(plugin, { name: 'sessionward', fastify: '5.x' });
export default sessionward;

/** A preHandler answering 401 (with the reason) unless the request has a live session. */
export const requireSession: preHandlerAsyncHookHandler = async (request, reply) => {
  if (!request.session?.session) return send(reply, refusalResponse(request.session?.refusal ?? 'missing'));
};

function toHttpRequest(request: FastifyRequest): HttpRequest {
  // request.ip already walks X-Forwarded-For through the app's `trustProxy` (proxy-addr, right to left).
  return { method: request.method, path: request.url.split('?')[0] ?? '/', headers: request.headers, ip: normalizeIp(request.ip) ?? '' };
}

function send(reply: FastifyReply, response: HttpResponse): FastifyReply {
  return reply.code(response.status).headers(response.headers).send(response.body ?? undefined);
}
