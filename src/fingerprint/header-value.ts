import type { RequestContext } from '../types.js';

// C0 controls (CR/LF included) and DEL: nothing from a header may inject lines into logs.
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/g;

/**
 * One header as a safe, bounded string: the first value if repeated, control characters removed,
 * cut to `maxLength`. Hostile values (huge, CR/LF, non-ASCII) never throw.
 */
export function headerValue(context: RequestContext, name: string, maxLength: number): string {
  const raw = context.headers[name];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (typeof value !== 'string') return '';
  return value.slice(0, maxLength * 2).replace(CONTROL_CHARACTERS, '').trim().slice(0, maxLength);
}
