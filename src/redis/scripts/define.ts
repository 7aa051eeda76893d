import { createHash } from 'node:crypto';

/**
 * A Lua script beside what it takes and what it answers: the names of its KEYS, its ARGV built
 * from typed arguments, and the decoder of its reply. The store calls scripts only through these,
 * so every reply it reads is typed.
 */
export interface ScriptDefinition<Args extends readonly unknown[], Reply> {
  readonly name: string;
  readonly source: string;
  readonly sha: string;
  /** What each KEYS slot holds, in order; a call must pass exactly these. */
  readonly keys: readonly string[];
  readonly argv: (...args: Args) => (string | number)[];
  readonly decode: (reply: unknown) => Reply;
}

export function defineScript<Args extends readonly unknown[], Reply>(spec: {
  name: string;
  lua: string;
  keys: readonly string[];
  argv: (...args: Args) => (string | number)[];
  decode: (reply: unknown) => Reply;
}): ScriptDefinition<Args, Reply> {
  const { lua, ...rest } = spec;
  return { ...rest, source: lua, sha: createHash('sha1').update(lua).digest('hex') };
}
