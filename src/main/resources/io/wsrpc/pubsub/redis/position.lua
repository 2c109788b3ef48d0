-- A topic's epoch and latest offset, and with a client's place the events after it, in
-- one step, so that the history read and the offset agree.
-- KEYS[1] the topic's hash (epoch, offset); KEYS[2] its history stream
-- ARGV[1] an epoch for a topic that has none; ARGV[2] how long a new hash lives, in ms;
-- ARGV[3] the client's offset, or -1 for none; ARGV[4] the client's epoch;
-- ARGV[5] the oldest time in ms an event in history may have
-- Returns {offset, epoch, recovered ('1' or '0'), data of each event after the place...}
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  epoch = ARGV[1]
  redis.call('DEL', KEYS[2])
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'offset', 0)
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
local offset = tonumber(redis.call('HGET', KEYS[1], 'offset'))
local reply = {tostring(offset), epoch, '0'}
local since = tonumber(ARGV[3])
if since < 0 or epoch ~= ARGV[4] or since > offset then
  return reply
end
if since == offset then
  reply[3] = '1'
  return reply
end
local entries = redis.call('XRANGE', KEYS[2], (since + 1) .. '-1', '+')
if #entries ~= offset - since then
  return reply
end
local oldest = tonumber(ARGV[5])
for i, entry in ipairs(entries) do
  local fields = entry[2]
  local at, data
  for j = 1, #fields, 2 do
    if fields[j] == 't' then at = tonumber(fields[j + 1]) elseif fields[j] == 'd' then data = fields[j + 1] end
  end
  if at < oldest then
    return reply
  end
  reply[#reply + 1] = data
end
reply[3] = '1'
return reply
