import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readCookie } from '../../src/http/cookie.js';

/** The rule, written the plain way: split on `;`, trim name and value, keep distinct values in order. */
function reference(text: string, name: string): string[] {
  if (!text || text.length > 16_384) return [];
  const values = new Set<string>();
  for (const pair of text.split(';')) {
    const at = pair.indexOf('=');
    if (at !== -1 && pair.slice(0, at).trim() === name) values.add(pair.slice(at + 1).trim());
  }
  return [...values];
}

describe('readCookie', () => {
  it('reads the named cookie among others, trimmed, and each distinct value once', () => {
    expect(readCookie('a=1; sw=tok;b=2', 'sw')).toEqual(['tok']);
    expect(readCookie(' sw = tok ; sw=tok; sw=other', 'sw')).toEqual(['tok', 'other']);
    expect(readCookie('xsw=1; swx=2; sw', 'sw')).toEqual([]);
    expect(readCookie(['sw=a', 'sw=b'], 'sw')).toEqual(['a', 'b']);
    expect(readCookie('\u00a0sw=a;\u2028sw\t=b', 'sw')).toEqual(['a', 'b']);
    expect(readCookie(`sw=a; ${'x'.repeat(16_400)}`, 'sw')).toEqual([]);
  });

  it('agrees with the plain split-and-trim rule on hostile headers', () => {
    const piece = fc.oneof(fc.constantFrom('sw', ' sw', 'sw ', '\u00a0sw', '=', ';', ' ', '\t', 'a', '==', ';;', 'sw=', '\ufeff'), fc.string({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const header = parts.join('');
        expect(readCookie(header, 'sw')).toEqual(reference(header, 'sw'));
      }),
      { numRuns: 2000 },
    );
  });
});
