import { COMMON } from './common.js';

/**
 * Field-level update of a live session, optionally guarded by version.
 * KEYS: session, index, trail. ARGV: rand, now, expectedVersion ('' = unguarded), retention,
 * trail location, trail device, trail retention, trail max devices (0 = no trail), pair count,
 * then field/value pairs to set, then fields to delete.
 * Reply: {'updated'|'conflict', meta, fields, userId} | ended/missing as in touch.
 */
export const UPDATE = `${COMMON}
local key, idx, tkey = KEYS[1], KEYS[2], KEYS[3]
local rand, now, expected, retention, pairs = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[9])
local m, user, reply = live_entry(idx, key, rand, now, retention)
if not m then return reply end
if redis.call('EXISTS', key) == 0 then return forget(idx, rand) end
if expected ~= '' and tonumber(expected) ~= tonumber(redis.call('HGET', key, 'v')) then
  return { 'conflict', live_meta(m), redis.call('HGETALL', key), user }
end
if pairs > 0 then redis.call('HSET', key, unpack(ARGV, 10, 9 + pairs * 2)) end
if #ARGV > 9 + pairs * 2 then redis.call('HDEL', key, unpack(ARGV, 10 + pairs * 2)) end
redis.call('HINCRBY', key, 'v', 1)
trail(tkey, ARGV[5], ARGV[6], now, tonumber(ARGV[7]), tonumber(ARGV[8]))
return { 'updated', live_meta(m), redis.call('HGETALL', key), user }
`;
