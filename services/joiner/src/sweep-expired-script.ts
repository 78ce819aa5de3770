/** Redis Lua: forget and count pairs whose deadline passed. Kept as a string so it ships inside the built service. */
export const sweepExpiredScript = `
-- Forgets pairs whose deadline passed without a join, counting them.
-- KEYS[1] the model's deadline set; ARGV now (epoch ms), limit, hash key prefix
-- Returns {expired predictions, orphan labels, members examined}.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
local predictions, labels = 0, 0
for _, member in ipairs(due) do
  -- ZREM's answer makes each expiry count once, however many joiners sweep at the same time.
  if redis.call('ZREM', KEYS[1], member) == 1 then
    local key = ARGV[3] .. string.sub(member, 3)
    if redis.call('HEXISTS', key, 'by') == 0 then
      redis.call('DEL', key)
      if string.sub(member, 1, 1) == 'p' then predictions = predictions + 1 else labels = labels + 1 end
    end
  end
end
return { predictions, labels, #due }
`;
