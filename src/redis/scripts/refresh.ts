import { COMMON } from './common.js';
import { defineScript } from './define.js';
import { int, list, gone, text, type Gone } from './reply.js';

const LUA = `${COMMON}
local idx = KEYS[1]
local rand, now, presented, next_hash, grace, retention = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local m, record, user, reply = live_entry(idx, rand, now, retention)
if not m then return reply end
local parts = parts_of(record)
if m.sh == presented then
  m.sh = next_hash
  set_part(parts, 'rp', presented)
  set_part(parts, 'rt', n(now))
  bump(parts)
  record = joined(parts)
  m.rec = record -- slide writes it with the new entry
  return { 'refreshed', 0, slide(idx, rand, m, now, retention), record, user }
end
local spent_at = tonumber(part(parts, 'rt') or '')
if part(parts, 'rp') == presented and m.sh == next_hash and spent_at and now - spent_at <= grace then
  return { 'refreshed', 1, m.raw, record, user }
end
-- A genuine secret that is no longer the current one: a copy is in someone else's hands.
local at = finish(idx, rand, m, 'refresh-reused', 'system', now, retention)
return { 'reused', user, n(at) }
`;

export type RefreshReply =
  | { kind: 'refreshed'; replayed: boolean; entry: string; record: string; userId: string }
  | { kind: 'reused'; userId: string; endedAt: number }
  | Gone;

/**
 * Spends a token pair's refresh secret (see `SessionStore.refresh`). The record keeps the hash
 * spent last and when (`rp`, `rt`), for the grace window.
 * KEYS: index. ARGV: rand, now, presented hash, next hash, grace ms, retention.
 * Reply: {'refreshed', replayed, entry, record, userId} | {'reused', userId, endedAt} | ended/missing as in touch.
 */
export const REFRESH = defineScript({
  name: 'refresh',
  lua: LUA,
  keys: ['index'],
  argv: (rand: string, now: number, presentedHash: string, nextHash: string, graceMs: number, retention: number) => [
    rand,
    now,
    presentedHash,
    nextHash,
    graceMs,
    retention,
  ],
  decode: (reply): RefreshReply => {
    const r = list(reply);
    const kind = text(r[0]);
    if (kind === 'refreshed') return { kind, replayed: int(r[1]) === 1, entry: text(r[2]), record: text(r[3]), userId: text(r[4]) };
    if (kind === 'reused') return { kind, userId: text(r[1]), endedAt: int(r[2]) };
    return gone(r);
  },
});
