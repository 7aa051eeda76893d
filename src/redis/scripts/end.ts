import { COMMON } from './common.js';
import { defineScript } from './define.js';
import { list, text } from './reply.js';

const LUA = `${COMMON}
local idx = KEYS[1]
local rand, now, retention = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[5])
local found = redis.call('HMGET', idx, rand, 'u')
if not found[1] then return { 'none' } end
local m = parse(found[1])
if not m.live or not m.rec or expiry(m, now) then return { 'none' } end
finish(idx, rand, m, ARGV[3], ARGV[4], now, retention)
return { 'ended', m.raw, m.rec, found[2] or '' }
`;

export type EndReply = { kind: 'ended'; entry: string; record: string; userId: string } | { kind: 'none' };

/**
 * Ends one live session (logout, revoke), its record included.
 * KEYS: index. ARGV: rand, now, reason, actor, retention.
 * Reply: {'ended', entry, record, userId} or {'none'} when it was missing or no longer live.
 */
export const END = defineScript({
  name: 'end',
  lua: LUA,
  keys: ['index'],
  argv: (rand: string, now: number, reason: string, actor: string, retention: number) => [rand, now, reason, actor, retention],
  decode: (reply): EndReply => {
    const r = list(reply);
    if (text(r[0]) !== 'ended') return { kind: 'none' };
    return { kind: 'ended', entry: text(r[1]), record: text(r[2]), userId: text(r[3]) };
  },
});
