import { COMMON } from './common.js';

/**
 * Moves a live session to a new id; the old id ends as 'rotated' in the same step.
 * KEYS: old session, new session, index. ARGV: old rand, new rand, now, new secret hash, authTime ('' = keep), retention.
 * Reply: {'rotated', meta, fields, userId, endedAt} | ended/missing as in touch.
 */
export const ROTATE = `${COMMON}
local old, new, idx = KEYS[1], KEYS[2], KEYS[3]
local rand, next_rand, now, retention = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[6])
local m, user, reply = live_entry(idx, old, rand, now, retention)
if not m then return reply end
if redis.call('EXISTS', old) == 0 then return forget(idx, rand) end
if redis.call('EXISTS', new) == 1 or redis.call('HEXISTS', idx, next_rand) == 1 then
  return redis.error_reply('ERR sessionward: session id already exists')
end
local stone = tombstone(m, 'rotated', 'system', now, retention)
redis.call('HSET', idx, rand, stone)
m.sh = ARGV[4]
redis.call('RENAME', old, new)
redis.call('HINCRBY', new, 'v', 1)
if ARGV[5] ~= '' then redis.call('HSET', new, 'at', ARGV[5]) end
-- A rotated session starts a new refresh lineage: the old one's spent hash must not follow it.
redis.call('HDEL', new, 'rp', 'rt')
return { 'rotated', slide(idx, new, next_rand, m, now, retention), redis.call('HGETALL', new), user, n(now) }
`;
