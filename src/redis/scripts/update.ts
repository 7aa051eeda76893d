import { COMMON } from './common.js';
import { defineScript } from './define.js';
import { list, gone, text, type Gone } from './reply.js';

const LUA = `${COMMON}
local idx, tkey = KEYS[1], KEYS[2]
local rand, now, expected, retention, sets = ARGV[1], tonumber(ARGV[2]), ARGV[3], tonumber(ARGV[4]), tonumber(ARGV[9])
local m, record, user, reply = live_entry(idx, rand, now, retention)
if not m then return reply end
local parts = parts_of(record)
if expected ~= '' and tonumber(expected) ~= tonumber(part(parts, 'v')) then
  return { 'conflict', m.raw, record, user }
end
-- Named parts are set or dropped one by one: parallel updates of different data keys all survive.
for i = 10, 9 + sets * 2, 2 do set_part(parts, ARGV[i], ARGV[i + 1]) end
for i = 10 + sets * 2, #ARGV do drop_part(parts, ARGV[i]) end
bump(parts)
record = joined(parts)
write_live(idx, rand, m.raw, record)
trail(tkey, ARGV[5], ARGV[6], now, tonumber(ARGV[7]), tonumber(ARGV[8]))
return { 'updated', m.raw, record, user }
`;

export interface UpdateInput {
  rand: string;
  now: number;
  expectedVersion: number | undefined;
  retention: number;
  trail: readonly (string | number)[];
  /** Part names and values, alternating. */
  set: readonly string[];
  remove: readonly string[];
}

type Written = { entry: string; record: string; userId: string };
export type UpdateReply = ({ kind: 'updated' } & Written) | ({ kind: 'conflict' } & Written) | Gone;

/**
 * Part-level update of a live session's record, optionally guarded by version.
 * KEYS: index, trail. ARGV: rand, now, expectedVersion ('' = unguarded), retention,
 * trail location, trail device, trail retention, trail max devices (0 = no trail), set count,
 * then name/value pairs to set, then names to drop.
 * Reply: {'updated'|'conflict', entry, record, userId} | ended/missing as in touch.
 */
export const UPDATE = defineScript({
  name: 'update',
  lua: LUA,
  keys: ['index', 'trail'],
  argv: (change: UpdateInput) => [
    change.rand,
    change.now,
    change.expectedVersion ?? '',
    change.retention,
    ...change.trail,
    change.set.length / 2,
    ...change.set,
    ...change.remove,
  ],
  decode: (reply): UpdateReply => {
    const r = list(reply);
    const kind = text(r[0]);
    if (kind !== 'updated' && kind !== 'conflict') return gone(r);
    return { kind, entry: text(r[1]), record: text(r[2]), userId: text(r[3]) };
  },
});
