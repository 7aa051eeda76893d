import { ErrorCode, SessionError } from '../../errors.js';

/**
 * Readers for Redis replies: each checks the shape it expects, so a decoder's result is typed
 * without a cast, and a reply of the wrong shape (a script and its caller out of step) fails as
 * ERR_SESSION_STORE_FAILED instead of flowing on as undefined.
 */
function unexpected(what: string): SessionError {
  return new SessionError(ErrorCode.StoreFailed, `sessionward: unexpected Redis reply (${what})`);
}

export function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  throw unexpected('expected a string');
}

export function textOrNull(value: unknown): string | null {
  return value === null || value === undefined ? null : text(value);
}

export function int(value: unknown): number {
  const number = typeof value === 'number' ? value : Number(text(value));
  if (!Number.isFinite(number)) throw unexpected('expected a number');
  return number;
}

export function list(value: unknown): unknown[] {
  if (!Array.isArray(value)) throw unexpected('expected an array');
  return value;
}

export function texts(value: unknown): string[] {
  return list(value).map(text);
}

/** The replies every single-session script gives for a session that is not live (scripts/common.ts `live_entry`). */
export type NotLive =
  | { kind: 'ended'; justEnded: boolean; reason: string; endedAt: number; endedBy: string; userId: string }
  | { kind: 'missing' }
  | { kind: 'mismatch' };

export function notLive(reply: unknown[]): NotLive {
  const kind = text(reply[0]);
  if (kind === 'ended') {
    return { kind, justEnded: int(reply[1]) === 1, reason: text(reply[2]), endedAt: int(reply[3]), endedBy: text(reply[4]), userId: text(reply[5]) };
  }
  if (kind === 'missing' || kind === 'mismatch') return { kind };
  throw unexpected(`unknown status ${kind.slice(0, 20)}`);
}

/** Not live, from a script that was given no secret to check (so never 'mismatch'). */
export type Gone = Exclude<NotLive, { kind: 'mismatch' }>;

export function gone(reply: unknown[]): Gone {
  const answer = notLive(reply);
  if (answer.kind === 'mismatch') throw unexpected('a secret mismatch where no secret was checked');
  return answer;
}

/** A live session as scripts answer it: its rand, entry and record. */
export interface LiveReply {
  rand: string;
  entry: string;
  record: string;
}

/** A list of string triples, such as {rand, entry, record}. */
function triples(value: unknown, what: string): [string, string, string][] {
  return list(value).map((item) => {
    const [a, b, c] = texts(item);
    if (a === undefined || b === undefined || c === undefined) throw unexpected(`expected ${what}`);
    return [a, b, c];
  });
}

export function liveList(value: unknown): LiveReply[] {
  return triples(value, 'rand, entry, record').map(([rand, entry, record]) => ({ rand, entry, record }));
}

/** A session a script found past its deadline and recorded as expired. */
export interface ExpiredReply {
  rand: string;
  reason: string;
  endedAt: number;
}

export function expiredList(value: unknown): ExpiredReply[] {
  return triples(value, 'rand, reason, endedAt').map(([rand, reason, endedAt]) => ({ rand, reason, endedAt: int(endedAt) }));
}
