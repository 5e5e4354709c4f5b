-- GET with a bearer token, cycling through the pool in $TOKENS (one token per line).
dofile("bench/wrk/common.lua")

function setup(thread) pool_setup(thread) end
function init(args) pool_init() end

function request()
  return wrk.format("GET", nil, { ["Authorization"] = "Bearer " .. next_token() })
end
