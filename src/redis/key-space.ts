import type { SessionRef } from '../ports/session-store.js';

/**
 * Key names. Both keys of one user carry the hash tag `{userKey}`, so they live in one cluster slot
 * and each script's keys are co-located:
 *   <prefix>{<userKey>}:i        the user's sessions: each one's lifecycle entry and record, tombstones (scripts/common.ts)
 *   <prefix>{<userKey>}:t        the user's trail across sessions (last place, device families)
 */
export class KeySpace {
  readonly prefix: string;

  constructor(prefix: string) {
    this.prefix = prefix;
  }

  index(userKey: string): string {
    return `${this.prefix}{${userKey}}:i`;
  }

  trail(userKey: string): string {
    return `${this.prefix}{${userKey}}:t`;
  }

  /** SCAN pattern matching every index key (glob: `{` and `}` are literal). */
  indexPattern(): string {
    return `${this.prefix.replace(/[*?[\]\\]/g, '\\$&')}{*}:i`;
  }

  /** The user key inside an index key name. */
  userKeyOfIndex(indexKey: string): string {
    return indexKey.slice(this.prefix.length + 1, indexKey.length - 3);
  }
}

/** The random part of a session id (after `<userKey>.`). */
export function randOf(ref: SessionRef): string {
  return ref.id.slice(ref.userKey.length + 1);
}
