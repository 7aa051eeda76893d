import { COMMON } from './common.js';

/**
 * Erases a user's sessions and trail.
 * KEYS: index, trail. ARGV: now. Reply: how many of the sessions were live.
 */
export const PURGE = `${COMMON}
local idx, now = KEYS[1], tonumber(ARGV[1])
redis.call('DEL', KEYS[2])
local live = 0
local entries = redis.call('HGETALL', idx)
for i = 1, #entries, 2 do
  if is_entry(entries[i]) then
    local m = parse(entries[i + 1])
    if m.live and not expiry(m, now) then live = live + 1 end
  end
end
redis.call('DEL', idx)
return live
`;
