/** Redis Lua: one join transition (see join-lifecycle.ts). Kept as a string so it ships inside the built service. */
export const applyJoinScript = `
-- Applies one prediction or label to its pair's join state, atomically (see join-lifecycle.ts).
-- KEYS[1] the pair's hash: p (prediction JSON), l (label JSON), pc / lc (coordinate of the
--         record that stored each), by (coordinate of the record that completed the join)
-- KEYS[2] the model's deadline set: members "p:<id>" / "l:<id>", scored by deadline (epoch ms)
-- ARGV    side ("p" | "l"), payload JSON, coordinate, ttl ms, deadline ms, id
-- Returns {effect, prediction JSON, label JSON}; effect is pending | emit | duplicate.
local side, payload, coordinate = ARGV[1], ARGV[2], ARGV[3]
local other = side == 'p' and 'l' or 'p'
local fields = redis.call('HMGET', KEYS[1], 'p', 'l', 'by', 'pc', 'lc')
local known = { p = fields[1], l = fields[2] }
local completedBy = fields[3]
local storedBy = { p = fields[4], l = fields[5] }

if known[side] then
  -- A record read again (its batch's transaction failed) does what it did the first time.
  if completedBy == coordinate then
    return { 'emit', known.p, known.l }
  end
  if storedBy[side] == coordinate then
    return { 'pending' }
  end
  return { 'duplicate' }
end

redis.call('HSET', KEYS[1], side, payload, side .. 'c', coordinate)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
if known[other] then
  redis.call('HSET', KEYS[1], 'by', coordinate)
  redis.call('ZREM', KEYS[2], other .. ':' .. ARGV[6])
  known[side] = payload
  return { 'emit', known.p, known.l }
end
redis.call('ZADD', KEYS[2], ARGV[5], side .. ':' .. ARGV[6])
return { 'pending' }
`;
