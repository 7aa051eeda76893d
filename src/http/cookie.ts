import { invalidOption } from '../errors.js';

export interface CookieOptions {
  /** A name that says nothing about the software behind it. @default '__Host-sid' */
  name?: string;
  /** @default 'Lax' */
  sameSite?: 'Lax' | 'Strict' | 'None';
  /** Only for local development over plain HTTP; a `__Host-` name requires it. @default true */
  secure?: boolean;
  /** Keep the cookie until the session's absolute deadline; `false` makes it end with the browser. @default true */
  persistent?: boolean;
}

export interface ResolvedCookie {
  name: string;
  sameSite: 'Lax' | 'Strict' | 'None';
  secure: boolean;
  persistent: boolean;
}

const NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export function resolveCookie(options: CookieOptions = {}): ResolvedCookie {
  const name = options.name ?? '__Host-sid';
  if (!NAME.test(name)) throw invalidOption('cookie.name', 'must be a valid cookie name (RFC 6265 token)');
  const secure = options.secure ?? true;
  if (!secure && name.startsWith('__Host-')) throw invalidOption('cookie.secure', 'a __Host- cookie must be Secure; rename it for plain HTTP');
  const sameSite = options.sameSite ?? 'Lax';
  if (!['Lax', 'Strict', 'None'].includes(sameSite)) throw invalidOption('cookie.sameSite', 'must be Lax, Strict or None');
  if (sameSite === 'None' && !secure) throw invalidOption('cookie.sameSite', 'None requires secure: true');
  return { name, sameSite, secure, persistent: options.persistent ?? true };
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

/** The first cookie of that name in a Cookie header (never the query string or body). */
export function readCookie(header: string | readonly string[] | undefined, name: string): string | undefined {
  const text = Array.isArray(header) ? header.join('; ') : (header as string | undefined);
  if (!text || text.length > 16_384) return undefined;
  for (const pair of text.split(';')) {
    const at = pair.indexOf('=');
    if (at !== -1 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/** `Authorization: Bearer <token>`, and nothing else. */
export function readBearer(header: string | readonly string[] | undefined): string | undefined {
  const text = Array.isArray(header) ? header[0] : (header as string | undefined);
  const match = text ? /^Bearer +([A-Za-z0-9._~+/=-]+)$/i.exec(text.trim()) : null;
  return match?.[1];
}
