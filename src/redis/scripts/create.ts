import { COMMON } from './common.js';
import { defineScript } from './define.js';
import { expiredList, list, liveList, text, texts, type ExpiredReply, type LiveReply } from './reply.js';

const LUA = `${COMMON}
local idx, tkey = KEYS[1], KEYS[2]
local rand, now, max, policy, retention = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), ARGV[4], tonumber(ARGV[5])
local all = sessions(idx)
for _, s in ipairs(all) do
  if s.field == rand then return redis.error_reply('ERR sessionward: session id already exists') end
end
local live, expired = expire_due(idx, all, now, retention)

local evicted = {}
if max > 0 and #live >= max then
  if policy == 'reject' then
    local sessions = {}
    for _, m in ipairs(live) do
      if m.rec then sessions[#sessions + 1] = { m.field, live_meta(m), m.rec } end
    end
    tidy(idx, all, now, retention)
    return { 'refused', sessions, expired }
  end
  local by = (policy == 'evict-idle') and 'la' or 'c'
  table.sort(live, function(a, b)
    if a[by] ~= b[by] then return a[by] < b[by] end
    if a.c ~= b.c then return a.c < b.c end
    return a.field < b.field
  end)
  for i = 1, #live - max + 1 do
    local victim = live[i]
    finish(idx, victim.field, victim, 'evicted', 'system', now, retention)
    evicted[#evicted + 1] = victim.field
  end
end

local value = live_value(ARGV[7], ARGV[12])
redis.call('HSET', idx, rand, value, 'u', ARGV[6])
all[#all + 1] = { field = rand, m = parse(value) }
tidy(idx, all, now, retention)
return { 'created', evicted, expired, trail(tkey, ARGV[8], ARGV[9], now, tonumber(ARGV[10]), tonumber(ARGV[11])) }
`;

export interface CreateInput {
  rand: string;
  now: number;
  /** 0: no limit. */
  max: number;
  policy: string;
  retention: number;
  userId: string;
  entry: string;
  /** session-codec.ts `encodeTrail`: location, device, retention, max devices. */
  trail: readonly (string | number)[];
  record: string;
}

export type CreateReply =
  | { kind: 'created'; evicted: string[]; expired: ExpiredReply[]; trail: unknown }
  | { kind: 'refused'; sessions: LiveReply[]; expired: ExpiredReply[] };

/**
 * Login with the concurrent-login limit, in one step.
 * KEYS: index, trail. ARGV: rand, now, max (0 = none), policy, retention, userId, entry,
 * trail location ('' = none), trail device ('' = none), trail retention, trail max devices (0 = no trail), record.
 * Reply: {'created', evicted rands, expired {rand, reason, endedAt}..., trail before {location, devices} or {}}
 * or {'refused', {rand, entry, record}..., expired}.
 */
export const CREATE = defineScript({
  name: 'create',
  lua: LUA,
  keys: ['index', 'trail'],
  argv: (login: CreateInput) => [login.rand, login.now, login.max, login.policy, login.retention, login.userId, login.entry, ...login.trail, login.record],
  decode: (reply): CreateReply => {
    const r = list(reply);
    const expired = expiredList(r[2]);
    if (text(r[0]) === 'refused') return { kind: 'refused', sessions: liveList(r[1]), expired };
    return { kind: 'created', evicted: texts(r[1]), expired, trail: r[3] };
  },
});
