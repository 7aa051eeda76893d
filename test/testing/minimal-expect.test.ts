import { describe, expect, it } from 'vitest';
import { minimalExpect } from 'sessionward/testing';

const fails = (run: () => void) => expect(run).toThrow(/expected/);

describe('the built-in expect (for runners without one)', () => {
  it('passes and fails like jest for every matcher the suite uses', () => {
    minimalExpect(1).toBe(1);
    fails(() => minimalExpect({}).toBe({}));
    minimalExpect(1).not.toBe(2);
    fails(() => minimalExpect(1).not.toBe(1));
    minimalExpect(null).toBeNull();
    fails(() => minimalExpect(undefined).toBeNull());
    minimalExpect(['a', 'b']).toContain('b');
    fails(() => minimalExpect(['a']).toContain('b'));
    minimalExpect([1, 2]).toHaveLength(2);
    fails(() => minimalExpect([1]).toHaveLength(2));
  });

  it('toEqual is deep, ignores undefined properties, and is strict about extra ones', () => {
    minimalExpect({ a: [1, { b: 2 }], c: undefined }).toEqual({ a: [1, { b: 2 }] });
    fails(() => minimalExpect({ a: 1, extra: 2 }).toEqual({ a: 1 }));
    fails(() => minimalExpect({ a: [1, 2] }).toEqual({ a: [1] }));
    fails(() => minimalExpect([{ a: 1 }]).toEqual({ 0: { a: 1 } }));
  });

  it('toMatchObject matches objects partially and arrays element by element', () => {
    minimalExpect({ status: 'ended', session: { endReason: 'revoked', id: 'x' }, extra: 1 }).toMatchObject({
      status: 'ended',
      session: { endReason: 'revoked' },
    });
    fails(() => minimalExpect({ status: 'active' }).toMatchObject({ status: 'ended' }));
    fails(() => minimalExpect({ list: [{ a: 1 }, { a: 2 }] }).toMatchObject({ list: [{ a: 1 }] }));
    minimalExpect({ list: [{ a: 1, b: 2 }] }).toMatchObject({ list: [{ a: 1 }] });
    fails(() => minimalExpect(null).toMatchObject({}));
  });
});
