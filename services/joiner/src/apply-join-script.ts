/**
 * Redis Lua: the join transitions of several records of one model, in order (see
 * join-lifecycle.ts). One call per model and batch instead of one per record: the client builds,
 * sends and parses one command, not hundreds, which was most of the joiner's CPU per event. Kept
 * as a string so it ships inside the built service.
 */
export const applyJoinScript = `
-- Applies predictions and labels of one model to their pairs' join state, in order; each pair's
-- transition is atomic, as the whole call is (see join-lifecycle.ts).
-- KEYS[1]   the model's deadline set: members "p:<id>" / "l:<id>", scored by deadline (epoch ms)
-- KEYS[1+i] the i-th record's pair hash: p (prediction JSON), l (label JSON), pc / lc (coordinate
--           of the record that stored each), by (coordinate of the record that completed the join)
-- ARGV      ttl ms, deadline ms, then per record: side ("p" | "l"), payload JSON, coordinate, id
-- Returns one reply per record, {effect, prediction JSON, label JSON}; effect is pending | emit |
-- duplicate, and only emit carries the two JSONs.
local ttl, deadline = ARGV[1], ARGV[2]
local replies = {}
for i = 2, #KEYS do
  local base = 3 + (i - 2) * 4
  local pair = KEYS[i]
  local side, payload, coordinate, id = ARGV[base], ARGV[base + 1], ARGV[base + 2], ARGV[base + 3]
  local other = side == 'p' and 'l' or 'p'
  local fields = redis.call('HMGET', pair, 'p', 'l', 'by', 'pc', 'lc')
  local known = { p = fields[1], l = fields[2] }
  local completedBy = fields[3]
  local storedBy = { p = fields[4], l = fields[5] }
  local reply
  if known[side] then
    -- A record read again (its batch's transaction failed) does what it did the first time.
    if completedBy == coordinate then
      reply = { 'emit', known.p, known.l }
    elseif storedBy[side] == coordinate then
      reply = { 'pending' }
    else
      reply = { 'duplicate' }
    end
  else
    redis.call('HSET', pair, side, payload, side .. 'c', coordinate)
    redis.call('PEXPIRE', pair, ttl)
    if known[other] then
      redis.call('HSET', pair, 'by', coordinate)
      redis.call('ZREM', KEYS[1], other .. ':' .. id)
      known[side] = payload
      reply = { 'emit', known.p, known.l }
    else
      redis.call('ZADD', KEYS[1], deadline, side .. ':' .. id)
      reply = { 'pending' }
    end
  end
  replies[i - 1] = reply
end
return replies
`;
