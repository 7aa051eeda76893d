import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkBlocks, tsBlocks } from '../../scripts/doc-blocks.js';

const root = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');

// The blocks themselves are checked by `npm run typecheck` (scripts/check-doc-blocks.ts) in CI.
describe('the documentation code checker', () => {
  it('finds the ```ts blocks of a page, with their line numbers', () => {
    const blocks = tsBlocks(`${root}/docs/express.md`);
    expect(blocks.length).toBeGreaterThan(0);
    expect(blocks[0]!.code).toContain("from 'sessionward/express'");
  });

  it('is not a rubber stamp: a wrong option or a misspelt method is reported with its line', () => {
    const bad = [
      { file: `${root}/bad.md`, line: 1, code: "import { SessionManager } from 'sessionward';\nnew SessionManager({ secret: 'x', geo: null });" },
      { file: `${root}/bad.md`, line: 10, code: "await sessions.creat({ userId: 'a' });" },
    ];
    const messages = checkBlocks(bad, root);
    expect(messages.some((m) => m.startsWith('bad.md:2:') && m.includes("'geo'"))).toBe(true);
    expect(messages.some((m) => m.startsWith('bad.md:10:') && m.includes("'creat'"))).toBe(true);
  }, 60_000);
});
