import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isoTime } from '../../src/internal/iso-time.js';

describe('isoTime', () => {
  it('is toISOString, in and across seconds, for times before 1970 and after 9999 too', () => {
    const time = fc.oneof(fc.integer({ min: -62_000_000_000_000, max: 8_000_000_000_000_000 }), fc.double({ min: 0, max: 4e12, noNaN: true }));
    fc.assert(
      fc.property(fc.array(fc.tuple(time, fc.integer({ min: 0, max: 1_999 })), { maxLength: 20 }), (steps) => {
        for (const [at, later] of steps) {
          expect(isoTime(at)).toBe(new Date(Math.floor(at)).toISOString());
          expect(isoTime(at + later)).toBe(new Date(Math.floor(at + later)).toISOString());
        }
      }),
      { numRuns: 500 },
    );
  });

  it('refuses an invalid time as Date does', () => {
    expect(() => isoTime(Number.NaN)).toThrow(RangeError);
  });
});
