import { COMMON } from './common.js';

/**
 * Login with the concurrent-login limit, in one step.
 * KEYS: session, index, trail. ARGV: rand, now, max (0 = none), policy, retention, userId, meta, expireAt,
 * trail location ('' = none), trail device ('' = none), trail retention, trail max devices (0 = no trail),
 * then the session hash's field/value pairs.
 * Reply: {'created', evicted rands, expired {rand, reason, endedAt}..., trail before {location, devices} or {}}
 * or {'refused', {rand, meta}..., expired}.
 */
export const CREATE = `${COMMON}
local key, idx, tkey = KEYS[1], KEYS[2], KEYS[3]
local rand, now, max, policy, retention = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
if redis.call('EXISTS', key) == 1 or redis.call('HEXISTS', idx, rand) == 1 then
  return redis.error_reply('ERR sessionward: session id already exists')
end

local live, expired = {}, {}
local entries = redis.call('HGETALL', idx)
for i = 1, #entries, 2 do
  local field = entries[i]
  if field ~= 'u' then
    local m = parse(entries[i + 1])
    if m.live then
      local reason = expiry(m, now)
      if reason then
        local stone, at = tombstone(m, reason, 'system', now, retention)
        redis.call('HSET', idx, field, stone)
        expired[#expired + 1] = { field, reason, n(at) }
      else
        m.field = field
        live[#live + 1] = m
      end
    end
  end
end

local evicted = {}
if max > 0 and #live >= max then
  if policy == 'reject' then
    local sessions = {}
    for _, m in ipairs(live) do sessions[#sessions + 1] = { m.field, live_meta(m) } end
    tidy(idx, now, retention)
    return { 'refused', sessions, expired }
  end
  local by = (policy == 'evict-idle') and 'la' or 'c'
  table.sort(live, function(a, b)
    if a[by] ~= b[by] then return a[by] < b[by] end
    if a.c ~= b.c then return a.c < b.c end
    return a.field < b.field
  end)
  for i = 1, #live - max + 1 do
    local victim = live[i]
    redis.call('HSET', idx, victim.field, (tombstone(victim, 'evicted', 'system', now, retention)))
    evicted[#evicted + 1] = victim.field
  end
end

redis.call('HSET', key, unpack(ARGV, 13))
redis.call('PEXPIREAT', key, ARGV[8])
redis.call('HSET', idx, rand, ARGV[7], 'u', ARGV[6])
tidy(idx, now, retention)
return { 'created', evicted, expired, trail(tkey, ARGV[9], ARGV[10], now, tonumber(ARGV[11]), tonumber(ARGV[12])) }
`;
