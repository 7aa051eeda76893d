import { AssertionError } from 'node:assert';
import { inspect } from 'node:util';

/** The matchers the conformance suite uses; vitest's and jest's `expect` fit this shape. */
export interface Matchers {
  toBe(expected: unknown): void;
  toBeNull(): void;
  toContain(item: unknown): void;
  toEqual(expected: unknown): void;
  toHaveLength(length: number): void;
  toMatchObject(expected: object): void;
  not: { toBe(expected: unknown): void };
}

export type Expect = (actual: unknown) => Matchers;

/**
 * A dependency-free `expect` with jest semantics for the matchers above (`toEqual` ignores
 * undefined properties; `toMatchObject` matches objects partially, arrays element by element), so
 * runners without one (node:test) can run the suite.
 */
export const minimalExpect: Expect = (actual) => {
  const check = (ok: boolean, message: string, expected?: unknown) => {
    if (!ok)
      throw new AssertionError({
        message: `${message}\n  actual:   ${inspect(actual, { depth: 6 })}${expected === undefined ? '' : `\n  expected: ${inspect(expected, { depth: 6 })}`}`,
      });
  };
  return {
    toBe: (expected) => check(Object.is(actual, expected), 'expected the same value', expected),
    toBeNull: () => check(actual === null, 'expected null'),
    toContain: (item) => check((Array.isArray(actual) || typeof actual === 'string') && actual.includes(item as never), 'expected it to contain', item),
    toEqual: (expected) => check(equals(actual, expected, false), 'expected deep equality', expected),
    toHaveLength: (length) => check((actual as { length?: unknown } | null)?.length === length, `expected length ${length}`),
    toMatchObject: (expected) => check(equals(actual, expected, true), 'expected it to match the object', expected),
    not: { toBe: (expected) => check(!Object.is(actual, expected), 'expected a different value', expected) },
  };
};

function equals(actual: unknown, expected: unknown, partial: boolean): boolean {
  if (Object.is(actual, expected)) return true;
  if (typeof actual !== 'object' || typeof expected !== 'object' || actual === null || expected === null) return false;
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((item, i) => equals(actual[i], item, partial));
  }
  if (Array.isArray(actual)) return false;
  const defined = (object: object) => Object.entries(object).filter(([, value]) => value !== undefined);
  const want = defined(expected);
  if (!partial && defined(actual).length !== want.length) return false;
  return want.every(([key, value]) => equals((actual as Record<string, unknown>)[key], value, partial));
}
