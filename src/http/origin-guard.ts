import { invalidOption } from '../errors.js';
import type { HttpRequest } from './http-types.js';

export interface CsrfOptions {
  /** Other origins allowed to send state-changing requests, e.g. `['https://admin.example.com']`. @default [] */
  allowedOrigins?: readonly string[];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Refuses cross-origin state-changing requests, the way Go's CrossOriginProtection does: browsers
 * say where a request comes from in `Sec-Fetch-Site` (every current browser) or, failing that, in
 * `Origin`. A request with neither is not from a browser page (curl, a server), so there is no
 * ambient cookie to abuse. `same-site` is refused too: a sibling subdomain is another party.
 */
export class OriginGuard {
  readonly #allowed: ReadonlySet<string>;

  constructor(options: CsrfOptions = {}) {
    const origins = options.allowedOrigins ?? [];
    if (!Array.isArray(origins)) throw invalidOption('csrf.allowedOrigins', 'must be an array of origins');
    this.#allowed = new Set(
      origins.map((origin, index) => {
        try {
          const url = new URL(origin);
          if (url.origin !== origin.replace(/\/$/, '')) throw new Error('not an origin');
          return url.origin;
        } catch {
          throw invalidOption(`csrf.allowedOrigins[${index}]`, 'must be an origin like https://app.example.com (scheme, host, optional port; no path)');
        }
      }),
    );
  }

  /** True when the request may change state. */
  allows(request: Pick<HttpRequest, 'method' | 'headers'>): boolean {
    if (SAFE_METHODS.has(request.method.toUpperCase())) return true;
    const origin = header(request.headers.origin);
    if (origin !== undefined && this.#allowed.has(origin)) return true;
    const site = header(request.headers['sec-fetch-site']);
    if (site !== undefined) return site === 'same-origin' || site === 'none';
    if (origin === undefined || origin === 'null') return origin === undefined;
    try {
      return new URL(origin).host === header(request.headers.host);
    } catch {
      return false;
    }
  }
}

function header(value: string | readonly string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : (value as string | undefined);
}
