import { COMMON } from './common.js';
import { defineScript } from './define.js';
import { expiredList, list, text } from './reply.js';

const LUA = `${COMMON}
local idx, now, retention = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2])
local all, user = sessions(idx)
local _, expired = expire_due(idx, all, now, retention)
tidy(idx, all, now, retention)
return { user, expired }
`;

/**
 * The sweeper's per-user tidy-up: records expiries nobody observed and drops old tombstones.
 * KEYS: index. ARGV: now, retention. Reply: {userId, {rand, reason, endedAt}...}.
 */
export const PRUNE = defineScript({
  name: 'prune',
  lua: LUA,
  keys: ['index'],
  argv: (now: number, retention: number) => [now, retention],
  decode: (reply) => {
    const r = list(reply);
    return { userId: text(r[0]), expired: expiredList(r[1]) };
  },
});
