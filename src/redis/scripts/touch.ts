import { COMMON } from './common.js';
import { defineScript } from './define.js';
import { int, list, notLive, text, type NotLive } from './reply.js';

const LUA = `${COMMON}
local idx = KEYS[1]
local rand, now, interval, retention = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[5])
local m, record, user, reply = live_entry(idx, rand, now, retention, ARGV[4])
if not m then return reply end
local touched, previous, meta = 0, m.la, m.raw
if interval >= 0 and now - m.la >= interval then
  meta = slide(idx, rand, m, now, retention)
  touched = 1
end
return { 'active', touched, meta, record, user, n(previous) }
`;

export type TouchReply = { kind: 'active'; touched: boolean; entry: string; record: string; userId: string; previousLastAccess: number } | NotLive;

/**
 * Validate-and-touch, for a request the plain read could not answer alone (a touch is due, a
 * deadline passed, or this process has not seen the session yet). Writes only when the interval passed.
 * KEYS: index. ARGV: rand, now, interval (-1 = never write), secretHash ('' = unchecked), retention.
 * Reply: {'active', touched, entry, record, userId, previousLastAccess} | {'ended', justEnded, reason, endedAt, endedBy, userId} | {'missing'} | {'mismatch'}.
 */
export const TOUCH = defineScript({
  name: 'touch',
  lua: LUA,
  keys: ['index'],
  argv: (rand: string, now: number, interval: number, secretHash: string, retention: number) => [rand, now, interval, secretHash, retention],
  decode: (reply): TouchReply => {
    const r = list(reply);
    if (text(r[0]) !== 'active') return notLive(r);
    return { kind: 'active', touched: int(r[1]) === 1, entry: text(r[2]), record: text(r[3]), userId: text(r[4]), previousLastAccess: int(r[5]) };
  },
});
