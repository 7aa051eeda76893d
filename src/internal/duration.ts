import { invalidOption } from '../errors.js';

/** Milliseconds, or a string such as `'90s'`, `'30m'`, `'12h'`, `'7d'`. */
export type Duration = number | `${number}${'ms' | 's' | 'm' | 'h' | 'd'}`;

const unitMs = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const pattern = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

/** Parses a duration option to whole milliseconds, failing with a message that names the option. */
export function toMilliseconds(value: unknown, option: string): number {
  let ms: number;
  if (typeof value === 'number') {
    ms = value;
  } else if (typeof value === 'string') {
    const match = pattern.exec(value.trim());
    if (!match) throw invalidOption(option, `"${value}" is not a duration (use milliseconds or e.g. "30m", "12h")`);
    ms = Number(match[1]) * unitMs[match[2] as keyof typeof unitMs];
  } else {
    throw invalidOption(option, 'must be a number of milliseconds or a duration string such as "30m"');
  }
  if (!Number.isFinite(ms) || ms <= 0) throw invalidOption(option, 'must be a positive, finite duration');
  return Math.round(ms);
}
