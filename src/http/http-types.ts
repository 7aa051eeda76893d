/** What an adapter hands the core: the framework's request, translated. */
export interface HttpRequest<Native = unknown> {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  /** Client IP, resolved with the trusted-proxy setting. */
  ip: string;
  /** The framework's own request (Express `req`, Fastify `request`, Koa `ctx`), for `admin.authorize`. */
  native: Native;
}

/** What the core asks an adapter to send. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Appends a response header (Set-Cookie is appended, never overwritten). Ignored once headers are sent. */
export type HeaderWriter = (name: string, value: string) => void;
