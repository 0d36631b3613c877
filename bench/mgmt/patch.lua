-- wrk script: PATCH user_metadata with a key per connection (distinct keys,
-- so every request is a real compare-and-set merge on the same user).
local counter = 0
function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end
function init(args)
  wrk.method = "PATCH"
  wrk.headers["Authorization"] = "Bearer " .. os.getenv("TOKEN")
  wrk.headers["Content-Type"] = "application/json"
end
local n = 0
function request()
  n = n + 1
  wrk.body = string.format('{"user_metadata":{"t%d":%d}}', id, n)
  return wrk.format()
end
