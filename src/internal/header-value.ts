import type { RequestContext } from '../types.js';

// C0 and C1 controls (CR/LF, NEL, 8-bit CSI), DEL and the Unicode line/paragraph separators:
// nothing from a header may inject lines or terminal escapes into logs.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/**
 * One header as a safe, bounded string: the first value if repeated, control characters removed,
 * cut to `maxLength`. Hostile values (huge, CR/LF, non-ASCII) never throw.
 */
export function headerValue(context: RequestContext, name: string, maxLength: number): string {
  const raw = context.headers[name];
  return cleanText(Array.isArray(raw) ? raw[0] : raw, maxLength);
}

/** Any untrusted text as a safe, bounded string (control characters removed); '' for non-strings. */
export function cleanText(value: unknown, maxLength: number): string {
  if (typeof value !== 'string') return '';
  return value
    .slice(0, maxLength * 2)
    .replace(CONTROL_CHARACTERS, '')
    .trim()
    .slice(0, maxLength);
}
