import type { SessionManager } from '../session-manager.js';
import type { Session } from '../types.js';

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
  /** The URL-encoded form body (the dashboard's POSTs), read on demand; empty for any other body. */
  form?: () => Promise<URLSearchParams>;
}

/** What the core asks an adapter to send: a string body as it is (HTML, with its content-type), anything else as JSON. */
export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** What an admin page handler (the `sessionward/dashboard` pages) gets for a request under `<admin prefix>/dashboard`. */
export interface AdminPageRequest {
  method: string;
  /** Path segments after `dashboard/`, URI-decoded. */
  path: string[];
  headers: HttpRequest['headers'];
  form(): Promise<URLSearchParams>;
  /** Who `authorize` said the admin is: the audit trail's actor. */
  actor: string;
  /** The admin's own session, when the admin signed in through sessionward (CSRF tokens are bound to it). */
  adminSession: Session | null;
  manager: SessionManager;
  /** The URL path of the dashboard, for links (`/admin/sessions/dashboard`). */
  base: string;
}

/** Server-rendered admin pages, mounted by `admin: { dashboard }` behind the same `authorize` as the admin routes. */
export interface AdminPages {
  handle(request: AdminPageRequest): Promise<HttpResponse | null>;
}

/** Appends a response header (Set-Cookie is appended, never overwritten). Ignored once headers are sent. */
export type HeaderWriter = (name: string, value: string) => void;
