import { readFileSync, writeFileSync } from 'node:fs';

/** Replaces (or appends) one `## heading` section of BENCHMARKS.md, leaving every other section as it is. */
export function writeSection(heading: string, section: string): void {
  const file = new URL('../BENCHMARKS.md', import.meta.url);
  let text = readFileSync(file, 'utf8');
  const start = text.indexOf(heading);
  if (start !== -1) {
    const next = text.indexOf('\n## ', start + heading.length);
    text = text.slice(0, start) + (next === -1 ? '' : text.slice(next + 1));
  }
  writeFileSync(file, `${text.trimEnd()}\n\n${section.trimEnd()}\n`);
}
