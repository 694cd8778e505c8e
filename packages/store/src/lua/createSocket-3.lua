--[[
  Creates a socket and schedules its expiry.
  KEYS[1] socket hash        KEYS[2] bucket due zset      KEYS[3] bucket due-meta hash
  ARGV[1] id   ARGV[2] pal   ARGV[3] channel   ARGV[4] secure (0/1)   ARGV[5] clientIp ('' none)
  ARGV[6] renewalIncrement   ARGV[7] receiverWorkflow ('' none)   ARGV[8] worker node
  ARGV[9] renewal minute (ms)
  Returns { createdAt, expiresAt } in ms, from Redis' clock (the one clock all nodes share).
]]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expiresAt = now + tonumber(ARGV[6]) * tonumber(ARGV[9])
redis.call('HSET', KEYS[1],
  'pal', ARGV[2], 'channel', ARGV[3], 'secure', ARGV[4], 'clientIp', ARGV[5],
  'renewalIncrement', ARGV[6], 'receiverWorkflow', ARGV[7], 'worker', ARGV[8],
  'createdAt', now, 'lastAccess', now, 'expiresAt', expiresAt, 'messageCount', 0)
-- Redis treats a key as expired once now > at; minus one makes it gone *from* expiresAt on.
redis.call('PEXPIREAT', KEYS[1], expiresAt - 1)
redis.call('ZADD', KEYS[2], expiresAt, ARGV[1])
local member = string.format('%015d', now) .. ':' .. ARGV[1]
redis.call('HSET', KEYS[3], ARGV[1], cjson.encode({ ARGV[2], ARGV[3], member }))
return { now, expiresAt }
