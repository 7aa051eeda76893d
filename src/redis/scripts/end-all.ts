import { COMMON } from './common.js';

/**
 * Ends every live session of a user except the listed ones, records included.
 * KEYS: index. ARGV: now, reason, actor, retention, then rands to keep.
 * Reply: {userId, {rand...}}.
 */
export const END_ALL = `${COMMON}
local idx = KEYS[1]
local now, reason, actor, retention = tonumber(ARGV[1]), ARGV[2], ARGV[3], tonumber(ARGV[4])
local keep = {}
for i = 5, #ARGV do keep[ARGV[i]] = true end
local ended = {}
local entries = redis.call('HGETALL', idx)
for i = 1, #entries, 2 do
  local field = entries[i]
  if is_entry(field) and not keep[field] then
    local m = parse(entries[i + 1])
    if m.live and not expiry(m, now) then
      finish(idx, field, m, reason, actor, now, retention)
      ended[#ended + 1] = field
    end
  end
end
return { redis.call('HGET', idx, 'u') or '', ended }
`;
