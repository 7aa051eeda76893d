import { COMMON } from './common.js';

/**
 * Erases a user's index and reports every session it named, so the caller can delete their keys.
 * KEYS: index, trail. ARGV: now. Reply: {live count, {rand...}}.
 */
export const PURGE = `${COMMON}
local idx, now = KEYS[1], tonumber(ARGV[1])
redis.call('DEL', KEYS[2])
local rands, live = {}, 0
local entries = redis.call('HGETALL', idx)
for i = 1, #entries, 2 do
  if entries[i] ~= 'u' then
    rands[#rands + 1] = entries[i]
    local m = parse(entries[i + 1])
    if m.live and not expiry(m, now) then live = live + 1 end
  end
end
redis.call('DEL', idx)
return { live, rands }
`;
