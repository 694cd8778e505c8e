--[[
  A connection ends: uncounts it on its node.
  KEYS[1] connections hash   ARGV[1] node id
  Returns the node's remaining count (0 when the key is gone: never recreated without a TTL).
]]
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
if n <= 0 then
  redis.call('HDEL', KEYS[1], ARGV[1])
  return 0
end
return n
