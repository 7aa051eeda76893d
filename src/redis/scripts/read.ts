import { COMMON } from './common.js';
import { defineScript } from './define.js';
import { list, liveList, text } from './reply.js';

const LUA = `${COMMON}
local idx, now = KEYS[1], tonumber(ARGV[1])
local out = {}
local function add(rand, m)
  if m and m.live and m.rec and not expiry(m, now) then out[#out + 1] = { rand, m.raw, m.rec } end
end
if #ARGV == 1 then
  local all, user = sessions(idx)
  for _, s in ipairs(all) do add(s.field, s.m) end
  return { user, out }
end
local user = ''
for i = 2, #ARGV do
  local rand = ARGV[i]
  local found = redis.call('HMGET', idx, rand, 'u')
  user = found[2] or user
  add(rand, found[1] and parse(found[1]))
end
return { user, out }
`;

/**
 * Read-only. With only `now` in ARGV: every live session; with rands after it, those of them still
 * live. KEYS: index. ARGV: now[, rands...]. Reply: {userId, {rand, entry, record}...}.
 */
export const READ = defineScript({
  name: 'read',
  lua: LUA,
  keys: ['index'],
  argv: (now: number, rands: readonly string[] = []) => [now, ...rands],
  decode: (reply) => {
    const r = list(reply);
    return { userId: text(r[0]), sessions: liveList(r[1]) };
  },
});
