/**
 * Lua shared by every script. A user's sessions live in one hash (`…{userKey}:i`), which is the
 * authority on each session's lifecycle. Per session, one field named by the random part of its id:
 *
 *   live:   L|createdAt|lastAccess-createdAt|expiresAt-createdAt|absoluteExpiresAt-createdAt|idleTimeoutMs|secretHash \30 record
 *   ended:  X|endedAt|removeAt|secretHash|reason|endedBy      (endedBy last: it may contain '|')
 *
 * The entry is what the scripts decide on; the record after it holds the session's profile and data
 * as name \31 value parts joined by \30 (session-codec.ts; the values are JSON or numbers, which
 * never hold those bytes, and the entry never holds either). One field, not two: in Redis' hashtable
 * encoding each field costs a dictionary entry and an allocation for its name (64 bytes).
 *
 * plus field `u` holding the user id. Numbers in entries are base 36 and times after creation are
 * offsets. One key per user, and an end overwrites the field with its tombstone, which removes the
 * record in the same step: a record exists only for a live session, so a plain HMGET of the field
 * and the user id is an atomic, authoritative read. Tombstones stay until `removeAt`, never past the
 * absolute deadline, and the hash expires with its last entry. Numbers in replies are decimal
 * strings (Lua 5.1 numbers are doubles).
 */
export const COMMON = `
local function n(x) return string.format('%.0f', x) end

local DIGITS = '0123456789abcdefghijklmnopqrstuvwxyz'
local function b36(x)
  x = math.floor(x)
  if x <= 0 then return '0' end
  local out = {}
  while x > 0 do
    local d = x % 36
    out[#out + 1] = string.sub(DIGITS, d + 1, d + 1)
    x = (x - d) / 36
  end
  return string.reverse(table.concat(out))
end

-- Session fields, as against the user id ('u') and a record field of the layout before ('<rand>/'),
-- which is ignored: its session reads as missing, and its user signs in again.
local function is_entry(field) return field ~= 'u' and string.byte(field, -1) ~= 47 end

-- A record as an ordered list of { name, value } (format at the top of this file).
local function parts_of(record)
  local parts = {}
  for name, value in string.gmatch(record, '([^\\30\\31]*)\\31([^\\30]*)') do parts[#parts + 1] = { name, value } end
  return parts
end

local function part(parts, name)
  for _, p in ipairs(parts) do if p[1] == name then return p[2] end end
  return nil
end

local function set_part(parts, name, value)
  for _, p in ipairs(parts) do if p[1] == name then p[2] = value return end end
  parts[#parts + 1] = { name, value }
end

local function drop_part(parts, name)
  for i, p in ipairs(parts) do if p[1] == name then table.remove(parts, i) return end end
end

local function joined(parts)
  local out = {}
  for i, p in ipairs(parts) do out[i] = p[1] .. '\\31' .. p[2] end
  return table.concat(out, '\\30')
end

-- Counts one more write to the session (its version).
local function bump(parts) set_part(parts, 'v', n(tonumber(part(parts, 'v') or '0') + 1)) end

local function split(s, count)
  local parts, start = {}, 1
  for _ = 1, count - 1 do
    local at = string.find(s, '|', start, true)
    if not at then break end
    parts[#parts + 1] = string.sub(s, start, at - 1)
    start = at + 1
  end
  parts[#parts + 1] = string.sub(s, start)
  return parts
end

-- A session field: its entry parsed, and for a live one its record (nil if the field has none).
local function parse(value)
  if string.sub(value, 1, 1) == 'L' then
    local cut = string.find(value, '\\30', 1, true)
    local meta = cut and string.sub(value, 1, cut - 1) or value
    local p = split(meta, 7)
    local c = tonumber(p[2], 36)
    -- raw: the entry as stored, answered as it is when nothing changed (re-encoding costs more than reading).
    return { live = true, c = c, la = c + tonumber(p[3], 36), e = c + tonumber(p[4], 36), ae = c + tonumber(p[5], 36),
             it = tonumber(p[6], 36), sh = p[7], raw = meta, rec = cut and string.sub(value, cut + 1) or nil }
  end
  local p = split(value, 6)
  return { live = false, xa = tonumber(p[2], 36), rm = tonumber(p[3], 36), sh = p[4], reason = p[5], by = p[6] or '' }
end

local function live_meta(m)
  return table.concat({ 'L', b36(m.c), b36(m.la - m.c), b36(m.e - m.c), b36(m.ae - m.c), b36(m.it), m.sh }, '|')
end

-- A live session's field: its entry, then its record.
local function live_value(meta, record) return meta .. '\\30' .. record end

local function write_live(idx, rand, meta, record)
  redis.call('HSET', idx, rand, live_value(meta, record))
end

-- Which deadline a live entry has passed, if any.
local function expiry(m, now)
  if now >= m.ae then return 'expired-absolute' end
  if now >= m.e then return 'expired-idle' end
  return nil
end

local function ended_at(m, reason, now)
  if reason == 'expired-absolute' then return m.ae end
  if reason == 'expired-idle' then return m.e end
  return now
end

-- Ends a live entry: its tombstone written over it, which removes the record in the same step.
-- m becomes the ended entry (its record kept for the reply), so a later tidy pass needs no re-read.
-- Returns the endedAt it recorded.
local function finish(idx, rand, m, reason, by, now, retention)
  local at = ended_at(m, reason, now)
  local remove_at = math.min(now + retention, m.ae)
  redis.call('HSET', idx, rand, table.concat({ 'X', b36(at), b36(remove_at), m.sh, reason, by }, '|'))
  m.live, m.xa, m.rm, m.reason, m.by = false, at, remove_at, reason, by
  return at
end

-- When an entry may be dropped: a live one a retention after its idle deadline, an ended one at removeAt.
local function removal(m, retention)
  if m.live then return math.min(m.e + retention, m.ae) end
  return m.rm
end

-- Moves the index's expiry later, never earlier (Redis >= 7.0 for PEXPIRETIME).
local function extend(idx, at)
  if redis.call('PEXPIRETIME', idx) < at then redis.call('PEXPIREAT', idx, n(at)) end
end

-- Records activity on a live entry: lastAccess now, the idle deadline slid (never past the
-- absolute one), the hash expiring no earlier than it. Returns the new entry.
local function slide(idx, rand, m, now, retention)
  m.la = now
  m.e = math.min(now + m.it, m.ae)
  local meta = live_meta(m)
  write_live(idx, rand, meta, m.rec)
  extend(idx, math.min(m.e + retention, m.ae))
  return meta
end

-- Every session of the hash, its field parsed, as { field, raw, m } (raw: the entry alone; m.rec:
-- a live one's record), and the user id ('' when none).
local function sessions(idx)
  local flat = redis.call('HGETALL', idx)
  local list, user = {}, ''
  for i = 1, #flat, 2 do
    local field = flat[i]
    if field == 'u' then user = flat[i + 1]
    elseif is_entry(field) then
      local m = parse(flat[i + 1])
      list[#list + 1] = { field = field, raw = m.raw or flat[i + 1], m = m }
    end
  end
  return list, user
end

-- Records the expiry of every live entry past a deadline. Returns what it recorded, as
-- {rand, reason, endedAt}, and the entries still live (each with its field).
local function expire_due(idx, all, now, retention)
  local live, expired = {}, {}
  for _, s in ipairs(all) do
    local m = s.m
    if m.live then
      local reason = expiry(m, now)
      if reason then
        expired[#expired + 1] = { s.field, reason, n(finish(idx, s.field, m, reason, 'system', now, retention)) }
      else
        m.field = s.field
        live[#live + 1] = m
      end
    end
  end
  return live, expired
end

-- Drops entries past their removal time (a live one with its record) and sets the hash to expire
-- with its last entry (or deletes it). all: every session of the hash as the script left them
-- (sessions(), with what finish() changed and any field written since).
local function tidy(idx, all, now, retention)
  local latest = 0
  for _, s in ipairs(all) do
    local at = removal(s.m, retention)
    if at <= now then redis.call('HDEL', idx, s.field) elseif at > latest then latest = at end
  end
  if latest == 0 then redis.call('DEL', idx) else redis.call('PEXPIREAT', idx, n(latest)) end
end

-- Shared front of the single-session scripts. Returns the live entry, its record and the user id,
-- or nil, nil, the user id and the reply to give. An expiry found here is recorded once
-- (justEnded = 1). With a secret hash, a mismatch answers before anything is revealed or written.
-- A live entry without its record (the hash was edited by hand, or written by the layout before)
-- is not a session.
local function live_entry(idx, rand, now, retention, secret_hash)
  local found = redis.call('HMGET', idx, rand, 'u')
  local user = found[2] or ''
  if not found[1] then return nil, nil, user, { 'missing' } end
  local m = parse(found[1])
  local record = m.rec
  if secret_hash ~= nil and secret_hash ~= '' and secret_hash ~= m.sh then return nil, nil, user, { 'mismatch' } end
  if not m.live then return nil, nil, user, { 'ended', 0, m.reason, n(m.xa), m.by, user } end
  local reason = expiry(m, now)
  if reason then
    local at = finish(idx, rand, m, reason, 'system', now, retention)
    return nil, nil, user, { 'ended', 1, reason, n(at), 'system', user }
  end
  if not record then
    redis.call('HDEL', idx, rand)
    return nil, nil, user, { 'missing' }
  end
  return m, record, user, nil
end

-- The user's trail (\`…{userKey}:t\`: \`l\` last located sighting, \`d\` device families as
-- [[family, seenAt], ...] newest first): answered as it was, then extended. max == 0: left alone.
local function trail(tkey, location, device, now, keep, max)
  if max == 0 then return {} end
  local old = redis.call('HMGET', tkey, 'l', 'd')
  local set = {}
  if device ~= '' then
    local out = { { device, now } }
    for _, d in ipairs(old[2] and cjson.decode(old[2]) or {}) do
      if d[1] ~= device and #out < max then out[#out + 1] = d end
    end
    set[#set + 1], set[#set + 2] = 'd', cjson.encode(out)
  end
  if location ~= '' then set[#set + 1], set[#set + 2] = 'l', location end
  if #set > 0 then redis.call('HSET', tkey, unpack(set)) end -- both in one command
  redis.call('PEXPIRE', tkey, keep)
  return { old[1] or '', old[2] or '' }
end

`;
