-- POST /auth/refresh as a chain per thread: each answer's refresh_token is the next request's.
-- Run with as many connections as threads, so a chain never has two requests in flight (a
-- spent refresh token used again would revoke the chain). Start tokens: $TOKENS, one per thread.
dofile("bench/wrk/common.lua")

local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  current = read_lines(os.getenv("TOKENS"))[id + 1]
end

function request()
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" },
    '{"refresh_token":"' .. current .. '"}')
end

function response(status, headers, body)
  local next = body:match('"refresh_token":"([^"]+)"')
  if next then current = next end
end
