--[[
  A client connects: checks the socket exists and the IP is allowed, binds a
  secure socket to its first IP, renews it and counts the connection.
  KEYS[1] socket hash   KEYS[2] connections hash   KEYS[3] bucket due zset
  ARGV[1] socket id   ARGV[2] client ip   ARGV[3] this node id   ARGV[4] renewal minute (ms)
  ARGV[5..] ids of nodes known dead (their stale connection counts are dropped)
  Returns { 'ok', pal, channel, receiverWorkflow, expiresAt, renewalIncrement }
       or { 'socket_not_found' } / { 'ip_not_allowed' } (nothing renewed).
]]
local f = redis.call('HMGET', KEYS[1], 'pal', 'channel', 'receiverWorkflow', 'renewalIncrement', 'secure', 'clientIp')
if not f[1] then return { 'socket_not_found' } end
if f[5] == '1' then
  if f[6] == '' then
    redis.call('HSET', KEYS[1], 'clientIp', ARGV[2])
  elseif f[6] ~= ARGV[2] then
    return { 'ip_not_allowed' }
  end
end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local expiresAt = now + tonumber(f[4]) * tonumber(ARGV[4])
redis.call('HSET', KEYS[1], 'lastAccess', now, 'expiresAt', expiresAt)
redis.call('PEXPIREAT', KEYS[1], expiresAt - 1)
redis.call('ZADD', KEYS[3], expiresAt, ARGV[1])
for i = 5, #ARGV do redis.call('HDEL', KEYS[2], ARGV[i]) end
redis.call('HINCRBY', KEYS[2], ARGV[3], 1)
redis.call('PEXPIREAT', KEYS[2], expiresAt - 1)
return { 'ok', f[1], f[2], f[3], expiresAt, f[4] }
