-- wrk script: POST /oauth2/token with a different body each request, read from the file named by TOKEN_BODIES (one
-- form body per line, e.g. a fresh private_key_jwt assertion each). Each thread takes every n-th line, so no body
-- is sent twice while the file lasts; past its end a thread starts over (replays, counted as non-2xx).
local bodies = {}
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
  thread:set("count", 0)
end

function init(args)
  local n = 0
  local stride = tonumber(os.getenv("TOKEN_THREADS") or "1")
  for line in io.lines(os.getenv("TOKEN_BODIES")) do
    if n % stride == (id or 0) then
      bodies[#bodies + 1] = line
    end
    n = n + 1
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
end

local next_body = 0

function request()
  next_body = next_body % #bodies + 1
  return wrk.format(nil, "/oauth2/token", nil, bodies[next_body])
end
