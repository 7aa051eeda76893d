import { COMMON } from './common.js';

/**
 * The sweeper's per-user tidy-up: records expiries nobody observed and drops old tombstones.
 * KEYS: index. ARGV: now, retention. Reply: {userId, {rand, reason, endedAt}...}.
 */
export const PRUNE = `${COMMON}
local idx, now, retention = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])
local user = redis.call('HGET', idx, 'u') or ''
local expired = {}
for _, s in ipairs((sessions(idx))) do
  local reason = s.m.live and expiry(s.m, now)
  if reason then
    local at = finish(idx, s.field, s.m, reason, 'system', now, retention)
    expired[#expired + 1] = { s.field, reason, n(at) }
  end
end
tidy(idx, now, retention)
return { user, expired }
`;
