--[[
  A request from a connected client (ping or message): renews the socket and,
  for a message, counts it. A socket that is gone stays gone.
  KEYS[1] socket hash   KEYS[2] connections hash   KEYS[3] bucket due zset
  ARGV[1] socket id   ARGV[2] renewal minute (ms)   ARGV[3] 1 to count a message, else 0
  Returns { 'ok', expiresAt, receiverWorkflow, pal, channel, messageCount } or { 'socket_not_found' }.
]]
local f = redis.call('HMGET', KEYS[1], 'renewalIncrement', 'receiverWorkflow', 'pal', 'channel', 'messageCount')
if not f[1] then return { 'socket_not_found' } end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expiresAt = now + tonumber(f[1]) * tonumber(ARGV[2])
local count = tonumber(f[5])
if ARGV[3] == '1' then
  count = redis.call('HINCRBY', KEYS[1], 'messageCount', 1)
end
redis.call('HSET', KEYS[1], 'lastAccess', now, 'expiresAt', expiresAt)
redis.call('PEXPIREAT', KEYS[1], expiresAt - 1)
redis.call('PEXPIREAT', KEYS[2], expiresAt - 1)
redis.call('ZADD', KEYS[3], expiresAt, ARGV[1])
return { 'ok', expiresAt, f[2], f[3], f[4], count }
