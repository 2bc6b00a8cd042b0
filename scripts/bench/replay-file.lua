-- wrk script: POSTs pre-signed requests from REQUESTS_FILE ("path<TAB>body" per line). Thread k of n sends lines
-- k, k+n, k+2n … so no two requests repeat within a run unless the file runs out: then it wraps around and done()
-- says so, because repeated messages would only measure the cheap retry path (scripts/bench.sh fails the run).
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  requests = {}
  local file = assert(io.open(os.getenv("REQUESTS_FILE"), "r"))
  for line in file:lines() do
    local tab = line:find("\t", 1, true)
    requests[#requests + 1] = { line:sub(1, tab - 1), line:sub(tab + 1) }
  end
  file:close()
  step = tonumber(os.getenv("WRK_THREADS") or "2")
  index = id - step
  headers = { ["Content-Type"] = "text/xml" }
end

function request()
  index = index + step
  if index > #requests then index = id; wrapped = true end
  local r = requests[index]
  return wrk.format("POST", r[1], headers, r[2])
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    if thread:get("wrapped") then io.write("requests file ran out: messages were repeated\n") return end
  end
end
