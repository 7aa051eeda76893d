import { invalidOption } from '../errors.js';
import { checkKeys } from '../internal/option-keys.js';

export interface CookieOptions {
  /** A name that says nothing about the software behind it. @default '__Host-sid' */
  name?: string;
  /** `None` requires the cross-origin guard (`csrf`) to stay on. @default 'Lax' */
  sameSite?: 'Lax' | 'Strict' | 'None';
  /**
   * Only for local development over plain HTTP. A `__Host-` or `__Secure-` name requires it, and
   * under `NODE_ENV=production` `false` is refused unless `dangerouslyAllowInsecureInProduction`.
   * @default true
   */
  secure?: boolean;
  /** Keep the cookie until the session's absolute deadline; `false` makes it end with the browser. @default true */
  persistent?: boolean;
  /** Lets `secure: false` start under `NODE_ENV=production` (e.g. TLS ends at a sidecar on the same host). @default false */
  dangerouslyAllowInsecureInProduction?: boolean;
}

export interface ResolvedCookie {
  name: string;
  sameSite: 'Lax' | 'Strict' | 'None';
  secure: boolean;
  persistent: boolean;
}

const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
const KEYS = ['name', 'sameSite', 'secure', 'persistent', 'dangerouslyAllowInsecureInProduction'] as const;

export function resolveCookie(options: CookieOptions = {}, csrfGuard = true): ResolvedCookie {
  checkKeys(options, KEYS, 'cookie');
  const name = options.name ?? '__Host-sid';
  if (typeof name !== 'string' || !NAME.test(name)) throw invalidOption('cookie.name', 'must be a valid cookie name (RFC 6265 token)');
  const secure = options.secure ?? true;
  if (typeof secure !== 'boolean') throw invalidOption('cookie.secure', 'must be a boolean');
  // Browsers match the prefixes case-insensitively, so a "__host-" cookie is held to the same rules.
  const prefix = /^__(host|secure)-/i.exec(name)?.[0];
  if (!secure && prefix) throw invalidOption('cookie.secure', `a ${prefix} cookie must be Secure; rename it for plain HTTP`);
  if (!secure && process.env.NODE_ENV === 'production' && options.dangerouslyAllowInsecureInProduction !== true) {
    throw invalidOption(
      'cookie.secure',
      'false is refused under NODE_ENV=production: the credential would travel over plain HTTP (set dangerouslyAllowInsecureInProduction to override)',
    );
  }
  const sameSite = options.sameSite ?? 'Lax';
  if (!['Lax', 'Strict', 'None'].includes(sameSite)) throw invalidOption('cookie.sameSite', 'must be Lax, Strict or None');
  if (sameSite === 'None' && !secure) throw invalidOption('cookie.sameSite', 'None requires secure: true');
  if (sameSite === 'None' && !csrfGuard)
    throw invalidOption('cookie.sameSite', 'None sends the cookie on cross-site requests, so it requires the cross-origin guard (csrf must not be false)');
  const persistent = options.persistent ?? true;
  if (typeof persistent !== 'boolean') throw invalidOption('cookie.persistent', 'must be a boolean');
  return { name, sameSite, secure, persistent };
}

/** Path=/ and no Domain always: with the __Host- prefix no other host or path can set or read it. */
export function serializeCookie(cookie: ResolvedCookie, value: string, maxAgeSeconds: number | null): string {
  const parts = [`${cookie.name}=${value}`, 'Path=/'];
  if (maxAgeSeconds !== null) parts.push(`Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`);
  parts.push('HttpOnly');
  if (cookie.secure) parts.push('Secure');
  parts.push(`SameSite=${cookie.sameSite}`);
  return parts.join('; ');
}

/**
 * Every distinct value of that cookie in a Cookie header (never the query string or body). More
 * than one means someone planted a second cookie of the same name; the caller refuses them all.
 */
export function readCookie(header: string | readonly string[] | undefined, name: string): string[] {
  const text = Array.isArray(header) ? header.join('; ') : (header as string | undefined);
  if (!text || text.length > 16_384) return [];
  // One pass, without splitting: it runs on every request, and only the value read is allocated.
  const values: string[] = [];
  for (let start = 0; start < text.length; ) {
    let end = text.indexOf(';', start);
    if (end === -1) end = text.length;
    const at = text.indexOf('=', start);
    if (at !== -1 && at < end && trimmedEquals(text, start, at, name)) {
      const value = text.slice(at + 1, end).trim();
      if (!values.includes(value)) values.push(value);
    }
    start = end + 1;
  }
  return values;
}

/** `text.slice(from, to).trim() === expected`, without making the slice. */
function trimmedEquals(text: string, from: number, to: number, expected: string): boolean {
  while (from < to && isTrimmed(text.charCodeAt(from))) from += 1;
  while (to > from && isTrimmed(text.charCodeAt(to - 1))) to -= 1;
  return to - from === expected.length && text.startsWith(expected, from);
}

/** What `String.prototype.trim` removes. */
function isTrimmed(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || (code > 127 && /\s/.test(String.fromCharCode(code)));
}

/** `Authorization: Bearer <token>`, and nothing else. */
export function readBearer(header: string | readonly string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header[0] : (header as string | undefined);
  const match = text ? /^Bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(text.trim()) : null;
  return match?.[1];
}
