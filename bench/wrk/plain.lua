-- GET without credentials. So that both sides of a ratio cost the client the same, each request
-- is built like a token request (same pool, same size) but carries the token in a header the
-- server ignores. Without $TOKENS: a fixed request.
dofile("bench/wrk/common.lua")

local counter = 1
local threads = 0

function setup(thread)
  thread:set("offset", threads)
  threads = threads + 1
end

function init(args)
  local path = os.getenv("TOKENS")
  if path then
    tokens = read_lines(path)
    counter = (offset * 997) % #tokens + 1
  end
end

function request()
  if not tokens then return wrk.format("GET") end
  local token = tokens[counter]
  counter = counter % #tokens + 1
  return wrk.format("GET", nil, { ["X-Padding"] = "Bearer " .. token })
end
