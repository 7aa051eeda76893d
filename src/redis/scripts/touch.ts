import { COMMON } from './common.js';

/**
 * Validate-and-touch: the per-request script. Writes only when the touch interval has passed.
 * KEYS: session, index. ARGV: rand, now, interval (-1 = never write), secretHash ('' = unchecked), retention.
 * Reply: {'active', touched, meta, fields, userId, previousLastAccess} | {'ended', justEnded, reason, endedAt, endedBy, userId} | {'missing'} | {'mismatch'}.
 */
export const TOUCH = `${COMMON}
local key, idx = KEYS[1], KEYS[2]
local rand, now, interval, retention = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[5])
-- The hot path, kept to three commands inside Redis: entry and user in one HMGET, then the data.
local entry = redis.call('HMGET', idx, rand, 'u')
local meta, user = entry[1], entry[2] or ''
if not meta then return { 'missing' } end
local m = parse(meta)
local secret_hash = ARGV[4]
if secret_hash ~= '' and secret_hash ~= m.sh then return { 'mismatch' } end
if not m.live then
  redis.call('DEL', key)
  return { 'ended', 0, m.reason, n(m.xa), m.by, user }
end
local reason = expiry(m, now)
if reason then
  local stone, at = tombstone(m, reason, 'system', now, retention)
  redis.call('HSET', idx, rand, stone)
  redis.call('DEL', key)
  return { 'ended', 1, reason, n(at), 'system', user }
end
local fields = redis.call('HGETALL', key)
if #fields == 0 then
  -- The index says live but the data is gone (maxmemory eviction, manual deletion): not a session.
  redis.call('HDEL', idx, rand)
  return { 'missing' }
end
local touched, previous = 0, m.la
if interval >= 0 and now - m.la >= interval then
  m.la = now
  m.e = math.min(now + m.it, m.ae)
  redis.call('HSET', idx, rand, live_meta(m))
  redis.call('PEXPIREAT', key, n(m.e))
  extend(idx, math.min(m.e + retention, m.ae))
  touched = 1
end
return { 'active', touched, live_meta(m), fields, user, n(previous) }
`;
