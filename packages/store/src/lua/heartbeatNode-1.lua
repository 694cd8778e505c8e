--[[
  Renews a node's liveness lease (when ARGV[1] is not empty), forgets nodes
  dead for an hour, and lists live and dead nodes.
  KEYS[1] nodes zset   ARGV[1] node id or ''   ARGV[2] lease (ms)
  Returns { now, liveCount, live1, ..., liveN, dead1, ... }
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
if ARGV[1] ~= '' then redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - 3600000)
local live = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
local dead = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now)
local out = { now, #live }
for _, n in ipairs(live) do out[#out + 1] = n end
for _, n in ipairs(dead) do out[#out + 1] = n end
return out
