-- wrk script: POST /oauth2/token with client_secret_basic, cycling through many distinct clients.
-- The Authorization headers come from the file named by TOKEN_HEADERS (one "Basic ..." per line);
-- each connection starts at a different client, so load spreads over all of them.
-- With TOKEN_SOURCES=1 each client also comes from an address of its own (X-Forwarded-For 10.2.x.y, as a load
-- balancer forwards the workload's pod address): many workloads, not one source.
local headers = {}
for line in io.lines(os.getenv("TOKEN_HEADERS")) do
  headers[#headers + 1] = line
end

wrk.method = "POST"
wrk.body = "grant_type=client_credentials"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"

local sources = os.getenv("TOKEN_SOURCES") == "1"
local counter = 0
local thread_id = 0
local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function init(args)
  thread_id = id or 0
  counter = thread_id * 7919
end

function request()
  counter = counter + 1
  local index = counter % #headers
  wrk.headers["Authorization"] = headers[index + 1]
  if sources then
    wrk.headers["X-Forwarded-For"] = string.format("10.2.%d.%d", math.floor(index / 250), index % 250 + 1)
  end
  return wrk.format(nil, "/oauth2/token")
end
