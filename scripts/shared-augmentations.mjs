// After tsup: each adapter's type augmentation (Express' Request, Fastify's FastifyRequest, Koa's
// DefaultState) is emitted into both its .d.ts and its .d.cts. A program with .mts and .cts files
// loads both and TypeScript rejects the second declaration (TS2717: the two RequestSession types
// differ). So the block moves into one shared file that both reference by path: declared once.
import { readFileSync, writeFileSync } from 'node:fs';

const BLOCK = /^declare (global|module '[^']+') \{\n[\s\S]*?^\}\n/m;

for (const adapter of ['express', 'fastify', 'koa']) {
  const files = [`dist/${adapter}.d.ts`, `dist/${adapter}.d.cts`];
  const block = readFileSync(files[0], 'utf8').match(BLOCK)?.[0];
  if (!block) throw new Error(`no type augmentation found in ${files[0]}`);
  writeFileSync(`dist/${adapter}-augmentation.d.ts`, `import type { RequestSession } from './http.js';\n\n${block}\nexport {};\n`);
  for (const file of files) {
    const source = readFileSync(file, 'utf8');
    if (!BLOCK.test(source)) throw new Error(`no type augmentation found in ${file}`);
    writeFileSync(file, `/// <reference path="./${adapter}-augmentation.d.ts" />\n${source.replace(BLOCK, '')}`);
  }
}
