import { COMMON } from './common.js';

/**
 * Ends one live session (logout, revoke) and deletes its data.
 * KEYS: session, index. ARGV: rand, now, reason, actor, retention.
 * Reply: {'ended', meta, fields, userId} or {'none'} when it was missing or no longer live.
 */
export const END = `${COMMON}
local key, idx = KEYS[1], KEYS[2]
local rand, now, retention = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[5])
local meta = redis.call('HGET', idx, rand)
if not meta then return { 'none' } end
local m = parse(meta)
if not m.live or expiry(m, now) or redis.call('EXISTS', key) == 0 then return { 'none' } end
local fields = redis.call('HGETALL', key)
redis.call('HSET', idx, rand, (tombstone(m, ARGV[3], ARGV[4], now, retention)))
redis.call('DEL', key)
return { 'ended', live_meta(m), fields, redis.call('HGET', idx, 'u') }
`;
