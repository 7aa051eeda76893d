import { COMMON } from './common.js';

/**
 * Validate-and-touch: the per-request script. Writes only when the touch interval has passed.
 * KEYS: session, index. ARGV: rand, now, interval (-1 = never write), secretHash ('' = unchecked), retention.
 * Reply: {'active', touched, meta, fields, userId, previousLastAccess} | {'ended', justEnded, reason, endedAt, endedBy, userId} | {'missing'} | {'mismatch'}.
 */
export const TOUCH = `${COMMON}
local key, idx = KEYS[1], KEYS[2]
local rand, now, interval, retention = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[5])
-- The hot path: two reads (entry and user, then the data), and writes only once the interval has passed.
local m, user, reply = live_entry(idx, key, rand, now, retention, ARGV[4])
if not m then return reply end
local fields = redis.call('HGETALL', key)
if #fields == 0 then return forget(idx, rand) end
local touched, previous, meta = 0, m.la, m.raw
if interval >= 0 and now - m.la >= interval then
  meta = slide(idx, key, rand, m, now, retention)
  touched = 1
end
return { 'active', touched, meta, fields, user, n(previous) }
`;
