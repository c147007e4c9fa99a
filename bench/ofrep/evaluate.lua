-- wrk script: OFREP single evaluations of new-checkout, each for another of 10,000 users.
-- The client key comes from the environment (SHIPGATE_FLAGS_KEY), as a service the edge runs gets it.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("SHIPGATE_FLAGS_KEY")
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"context":{"targetingKey":"user-%d","email":"u%d@example.org","plan":"pro"}}', n % 10000, n)
  return wrk.format(nil, nil, nil, body)
end
