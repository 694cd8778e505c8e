--[[
  Reads a socket and its per-node connection counts in one round trip.
  KEYS[1] socket hash   KEYS[2] connections hash
  Returns { socketFields (flat), connectionFields (flat) }; socketFields is empty when gone.
]]
return { redis.call('HGETALL', KEYS[1]), redis.call('HGETALL', KEYS[2]) }
