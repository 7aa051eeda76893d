import { COMMON } from './common.js';

/**
 * Spends a token pair's refresh secret (see `SessionStore.refresh`). The session hash keeps the
 * hash spent last and when (`rp`, `rt`), for the grace window.
 * KEYS: session, index. ARGV: rand, now, presented hash, next hash, grace ms, retention.
 * Reply: {'refreshed', replayed, meta, fields, userId} | {'reused', userId, endedAt} | ended/missing as in touch.
 */
export const REFRESH = `${COMMON}
local key, idx = KEYS[1], KEYS[2]
local rand, now, presented, next_hash, grace, retention = ARGV[1], tonumber(ARGV[2]), ARGV[3], ARGV[4], tonumber(ARGV[5]), tonumber(ARGV[6])
local m, user, reply = live_entry(idx, key, rand, now, retention)
if not m then return reply end
if redis.call('EXISTS', key) == 0 then return forget(idx, rand) end
if m.sh == presented then
  m.sh = next_hash
  redis.call('HSET', key, 'rp', presented, 'rt', n(now))
  redis.call('HINCRBY', key, 'v', 1)
  return { 'refreshed', 0, slide(idx, key, rand, m, now, retention), redis.call('HGETALL', key), user }
end
local spent = redis.call('HMGET', key, 'rp', 'rt')
if spent[1] == presented and m.sh == next_hash and now - tonumber(spent[2]) <= grace then
  return { 'refreshed', 1, m.raw, redis.call('HGETALL', key), user }
end
-- A genuine secret that is no longer the current one: a copy is in someone else's hands.
local stone, at = tombstone(m, 'refresh-reused', 'system', now, retention)
redis.call('HSET', idx, rand, stone)
redis.call('DEL', key)
return { 'reused', user, n(at) }
`;
