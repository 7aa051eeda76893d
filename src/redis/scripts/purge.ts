import { COMMON } from './common.js';
import { defineScript } from './define.js';
import { int } from './reply.js';

const LUA = `${COMMON}
local idx, now = KEYS[1], tonumber(ARGV[1])
redis.call('DEL', KEYS[2])
local live = 0
for _, s in ipairs((sessions(idx))) do
  if s.m.live and not expiry(s.m, now) then live = live + 1 end
end
redis.call('DEL', idx)
return live
`;

/**
 * Erases a user's sessions and trail.
 * KEYS: index, trail. ARGV: now. Reply: how many of the sessions were live.
 */
export const PURGE = defineScript({
  name: 'purge',
  lua: LUA,
  keys: ['index', 'trail'],
  argv: (now: number) => [now],
  decode: int,
});
