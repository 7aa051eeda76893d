import { COMMON } from './common.js';
import { defineScript } from './define.js';
import { int, list, gone, text, type Gone } from './reply.js';

const LUA = `${COMMON}
local idx = KEYS[1]
local rand, next_rand, now, retention = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[6])
local m, record, user, reply = live_entry(idx, rand, now, retention)
if not m then return reply end
if redis.call('HEXISTS', idx, next_rand) == 1 then
  return redis.error_reply('ERR sessionward: session id already exists')
end
finish(idx, rand, m, 'rotated', 'system', now, retention)
local parts = parts_of(record)
bump(parts)
if ARGV[5] ~= '' then set_part(parts, 'at', ARGV[5]) end
-- A rotated session starts a new refresh lineage: the old one's spent hash must not follow it.
drop_part(parts, 'rp')
drop_part(parts, 'rt')
record = joined(parts)
m.sh = ARGV[4]
m.rec = record
return { 'rotated', slide(idx, next_rand, m, now, retention), record, user, n(now) }
`;

export type RotateReply = { kind: 'rotated'; entry: string; record: string; userId: string; endedAt: number } | Gone;

/**
 * Moves a live session to a new id; the old id ends as 'rotated' in the same step.
 * KEYS: index. ARGV: old rand, new rand, now, new secret hash, authTime ('' = keep), retention.
 * Reply: {'rotated', entry, record, userId, endedAt} | ended/missing as in touch.
 */
export const ROTATE = defineScript({
  name: 'rotate',
  lua: LUA,
  keys: ['index'],
  argv: (rand: string, nextRand: string, now: number, secretHash: string, authTime: number | undefined, retention: number) => [
    rand,
    nextRand,
    now,
    secretHash,
    authTime ?? '',
    retention,
  ],
  decode: (reply): RotateReply => {
    const r = list(reply);
    if (text(r[0]) !== 'rotated') return gone(r);
    return { kind: 'rotated', entry: text(r[1]), record: text(r[2]), userId: text(r[3]), endedAt: int(r[4]) };
  },
});
