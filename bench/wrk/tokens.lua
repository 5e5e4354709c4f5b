-- GET with a bearer token, cycling through the pool in $TOKENS (one token per line); each
-- thread starts at its own offset so the threads do not send the same token together.
dofile("bench/wrk/common.lua")

local counter = 1
local threads = 0

function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end

function init(args)
  tokens = read_lines(os.getenv("TOKENS"))
  counter = (offset * 997) % #tokens + 1
end

function request()
  local token = tokens[counter]
  counter = counter % #tokens + 1
  return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. token })
end
