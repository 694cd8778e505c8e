--[[
  Claims the sockets of one bucket whose expiresAt has passed. Atomic, so each
  expiry is claimed by exactly one reaper however many run.
  KEYS[1] bucket due zset   KEYS[2] bucket due-meta hash
  ARGV[1] most to claim   ARGV[2] socket key prefix   ARGV[3] connections key prefix
  (the socket and connections keys built here share the bucket's hash tag, hence its slot)
  Returns { nextDue or -1, now, id1, meta1, expiresAt1, id2, meta2, expiresAt2, ... }
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[1]))
local out = { -1, now }
for i = 1, #due, 2 do
  local id = due[i]
  redis.call('ZREM', KEYS[1], id)
  local meta = redis.call('HGET', KEYS[2], id)
  redis.call('HDEL', KEYS[2], id)
  redis.call('DEL', ARGV[2] .. id, ARGV[3] .. id)
  out[#out + 1] = id
  out[#out + 1] = meta or ''
  out[#out + 1] = due[i + 1]
end
local nextDue = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if nextDue[2] then out[1] = tonumber(nextDue[2]) end
return out
