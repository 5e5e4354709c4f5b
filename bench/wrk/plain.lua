-- GET without credentials. So that both sides of a ratio cost the client the same, each request
-- is built like a token request (same pool, same size) but carries the token in a header the
-- server ignores. Without $TOKENS: a fixed request.
dofile("bench/wrk/common.lua")

function setup(thread) pool_setup(thread) end
function init(args) pool_init() end

function request()
  if not tokens then return wrk.format("GET") end
  return wrk.format("GET", nil, { ["X-Padding"] = "Bearer " .. next_token() })
end
