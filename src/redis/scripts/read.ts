import { COMMON } from './common.js';

/**
 * Read-only. With only the index in KEYS: the live entries {rand, meta}... . With session keys after
 * it (ARGV holds their rands): each one still live, as {rand, meta, fields}..., re-checked against
 * the index so a session ended in between is left out.
 * KEYS: index[, sessions...]. ARGV: now[, rands...]. Reply: {userId, entries}.
 */
export const READ = `${COMMON}
local idx, now = KEYS[1], tonumber(ARGV[1])
local out = {}
if #KEYS == 1 then
  local entries = redis.call('HGETALL', idx)
  for i = 1, #entries, 2 do
    if entries[i] ~= 'u' then
      local m = parse(entries[i + 1])
      if m.live and not expiry(m, now) then out[#out + 1] = { entries[i], entries[i + 1] } end
    end
  end
else
  for i = 2, #KEYS do
    local rand = ARGV[i]
    local meta = redis.call('HGET', idx, rand)
    local m = meta and parse(meta)
    if m and m.live and not expiry(m, now) then
      local fields = redis.call('HGETALL', KEYS[i])
      if #fields > 0 then out[#out + 1] = { rand, meta, fields } end
    end
  end
end
return { redis.call('HGET', idx, 'u') or '', out }
`;
