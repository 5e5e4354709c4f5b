-- POST /auth/login with the credentials in $EMAIL and $PASSWORD.
dofile("bench/wrk/common.lua")

function init(args)
  body = '{"email":"' .. os.getenv("EMAIL") .. '","password":"' .. os.getenv("PASSWORD") .. '"}'
end

function request()
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, body)
end
