import { describe, expect, it } from 'vitest';
import { UserIdSealer } from '../../src/tokens/user-id-sealer.js';

const SECRET = new TextEncoder().encode('user-id-sealer-test-secret-0123456789abcdef');

describe('UserIdSealer', () => {
  it('opens what it sealed, and refuses what another secret sealed', () => {
    const sealer = new UserIdSealer(SECRET);
    const sealed = sealer.seal('alice@example.com');
    expect(sealed).not.toContain('alice');
    expect(new UserIdSealer(SECRET).open(sealed)).toBe('alice@example.com');
    expect(() => new UserIdSealer(new TextEncoder().encode('another-secret-0123456789abcdefghijklmnop')).open(sealed)).toThrow(/not sealed with this secret/);
  });

  it('keeps answering from its memo when more sealed ids are in use than it holds (round-robin over twice its size)', () => {
    const sealed = Array.from({ length: 200 }, (_, i) => new UserIdSealer(SECRET).seal(`user-${i}`));
    const sealer = new UserIdSealer(SECRET, 100);
    for (let round = 0; round < 10; round += 1) for (const [i, value] of sealed.entries()) expect(sealer.open(value)).toBe(`user-${i}`);
    const before = sealer.decryptions;
    for (let round = 0; round < 10; round += 1) for (const value of sealed) sealer.open(value);
    // Remembering every id opened would push out each one before its next use: every open would decrypt.
    expect((sealer.decryptions - before) / (10 * sealed.length)).toBeLessThan(0.6);
  });
});
