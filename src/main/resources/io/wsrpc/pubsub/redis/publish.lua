-- Gives an event its topic's next offset, keeps it in the topic's history and publishes
-- it, in one step, so that offsets, history and the channel agree on the order.
-- KEYS[1] the topic's hash (epoch, offset); KEYS[2] its history stream
-- ARGV[1] the data; ARGV[2] an epoch for a topic that has none; ARGV[3] history size;
-- ARGV[4] history TTL in ms; ARGV[5] how long the hash outlives the last event, in ms;
-- ARGV[6] the channel; ARGV[7] the time in ms
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[2]
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'offset', 0)
end
local offset = redis.call('HINCRBY', KEYS[1], 'offset', 1)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
local size = tonumber(ARGV[3])
local ttl = tonumber(ARGV[4])
if size > 0 and ttl > 0 then
  redis.call('XADD', KEYS[2], 'MAXLEN', size, offset .. '-1', 't', ARGV[7], 'd', ARGV[1])
  redis.call('PEXPIRE', KEYS[2], ttl)
else
  redis.call('DEL', KEYS[2])
end
redis.call('PUBLISH', ARGV[6], offset .. '\n' .. epoch .. '\n' .. ARGV[1])
return offset
