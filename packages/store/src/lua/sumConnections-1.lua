--[[
  Sums the per-node connection counts of many sockets of one bucket, for a
  channel's `delivered` count in one round trip per bucket.
  KEYS[1] the bucket's due zset (names the slot; not read)
  ARGV[1] connections key prefix of the bucket   ARGV[2..] socket ids
  (the connections keys built here share the bucket's hash tag, hence its slot)
  Returns { node1, count1, node2, count2, ... } summed over the sockets.
]]
local sums = {}
local order = {}
for i = 2, #ARGV do
  local flat = redis.call('HGETALL', ARGV[1] .. ARGV[i])
  for j = 1, #flat, 2 do
    local node = flat[j]
    if not sums[node] then
      sums[node] = 0
      order[#order + 1] = node
    end
    sums[node] = sums[node] + tonumber(flat[j + 1])
  end
end
local out = {}
for _, node in ipairs(order) do
  out[#out + 1] = node
  out[#out + 1] = sums[node]
end
return out
