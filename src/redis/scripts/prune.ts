import { COMMON } from './common.js';

/**
 * The sweeper's per-user tidy-up: records expiries nobody observed and drops old tombstones.
 * KEYS: index. ARGV: now, retention. Reply: {userId, {rand, reason, endedAt}...}.
 */
export const PRUNE = `${COMMON}
local idx, now, retention = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])
local user = redis.call('HGET', idx, 'u') or ''
local expired = {}
local entries = redis.call('HGETALL', idx)
for i = 1, #entries, 2 do
  if is_entry(entries[i]) then
    local m = parse(entries[i + 1])
    local reason = m.live and expiry(m, now)
    if reason then
      local at = finish(idx, entries[i], m, reason, 'system', now, retention)
      expired[#expired + 1] = { entries[i], reason, n(at) }
    end
  end
end
tidy(idx, now, retention)
return { user, expired }
`;
