import { invalidArgument, invalidOption } from '../errors.js';

/**
 * Refuses keys an options object (or a call's argument) does not know, naming the closest known
 * one: a misspelt `idleTimout` must fail at startup, not silently fall back to the default, and a
 * misplaced update must not silently write nothing.
 */
export function checkKeys(value: unknown, known: readonly string[], path: string | null, of: 'option' | 'argument' = 'option'): void {
  if (typeof value !== 'object' || value === null) return;
  for (const key of Object.keys(value)) {
    if (known.includes(key)) continue;
    const name = path ? `${path}.${key}` : key;
    const closest = suggestion(key, known);
    const hint = closest ? `; did you mean "${path ? `${path}.` : ''}${closest}"?` : '';
    throw of === 'option' ? invalidOption(name, `is not an option${hint}`) : invalidArgument(name, `is not a field it takes${hint}`);
  }
}

/** The known key within a third of its length in edits (or a case-only difference), if any. */
function suggestion(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = candidate.toLowerCase() === key.toLowerCase() ? 0 : editDistance(key, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : null;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}
