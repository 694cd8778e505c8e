--[[
  Deletes a socket of one pal.
  KEYS[1] socket hash   KEYS[2] connections hash   KEYS[3] bucket due zset   KEYS[4] bucket due-meta hash
  ARGV[1] socket id   ARGV[2] pal (the caller; another pal's socket does not exist for it)
  Returns { channel, createdAt } or false when not found.
]]
local f = redis.call('HMGET', KEYS[1], 'pal', 'channel', 'createdAt')
if not f[1] or f[1] ~= ARGV[2] then return false end
redis.call('DEL', KEYS[1], KEYS[2])
redis.call('ZREM', KEYS[3], ARGV[1])
redis.call('HDEL', KEYS[4], ARGV[1])
return { f[2], f[3] }
