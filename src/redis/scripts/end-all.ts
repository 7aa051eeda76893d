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
for _, s in ipairs((sessions(idx))) do
  if not keep[s.field] and s.m.live and not expiry(s.m, now) then
    finish(idx, s.field, s.m, reason, actor, now, retention)
    ended[#ended + 1] = s.field
  end
end
return { redis.call('HGET', idx, 'u') or '', ended }
`;
