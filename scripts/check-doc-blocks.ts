/**
 * Type-checks every ```ts block of the README and docs/ against the package (part of
 * `npm run typecheck`, so CI runs it). `npx tsx scripts/check-doc-blocks.ts`
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { checkBlocks, tsBlocks } from './doc-blocks.js';

const root = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const pages = [
  'README.md',
  ...readdirSync(`${root}/docs`)
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const blocks = pages.flatMap((page) => tsBlocks(`${root}/${page}`));
const errors = checkBlocks(blocks, root);
for (const error of errors) console.error(error);
if (errors.length > 0 || blocks.length === 0) process.exit(1);
console.log(`${blocks.length} documentation code blocks type-check`);
