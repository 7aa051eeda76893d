import { COMMON } from './common.js';
import { defineScript } from './define.js';
import { list, text, texts } from './reply.js';

const LUA = `${COMMON}
local idx = KEYS[1]
local now, reason, actor, retention = tonumber(ARGV[1]), ARGV[2], ARGV[3], tonumber(ARGV[4])
local keep = {}
for i = 5, #ARGV do keep[ARGV[i]] = true end
local ended = {}
local all, user = sessions(idx)
for _, s in ipairs(all) do
  if not keep[s.field] and s.m.live and not expiry(s.m, now) then
    finish(idx, s.field, s.m, reason, actor, now, retention)
    ended[#ended + 1] = s.field
  end
end
return { user, ended }
`;

/**
 * Ends every live session of a user except the listed ones, records included.
 * KEYS: index. ARGV: now, reason, actor, retention, then rands to keep.
 * Reply: {userId, {rand...}}.
 */
export const END_ALL = defineScript({
  name: 'revokeAll',
  lua: LUA,
  keys: ['index'],
  argv: (now: number, reason: string, actor: string, retention: number, keep: readonly string[]) => [now, reason, actor, retention, ...keep],
  decode: (reply) => {
    const r = list(reply);
    return { userId: text(r[0]), ended: texts(r[1]) };
  },
});
