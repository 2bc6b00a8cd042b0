-- wrk script: POSTs pre-signed requests from REQUESTS_FILE ("path<TAB>body" per line). Thread k of n sends lines
-- k, k+n, k+2n … so no two requests repeat within a run unless its lines run out: then it wraps around and done()
-- says so, because repeated messages would only measure the cheap retry path (scripts/bench.sh fails the run).
-- Each thread keeps only its own lines, already formatted as HTTP requests: request() then allocates nothing, so
-- wrk's Lua garbage collector never has to walk hundreds of thousands of live strings mid-run (that walk stalled
-- the client and showed up as server latency).
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  local step = tonumber(os.getenv("WRK_THREADS") or "2")
  local headers = { ["Content-Type"] = "text/xml" }
  requests = {}
  local n = 0
  local file = assert(io.open(os.getenv("REQUESTS_FILE"), "r"))
  for line in file:lines() do
    n = n + 1
    if (n - id) % step == 0 then
      local tab = line:find("\t", 1, true)
      requests[#requests + 1] = wrk.format("POST", line:sub(1, tab - 1), headers, line:sub(tab + 1))
    end
  end
  file:close()
  index = 0
  collectgarbage()
  collectgarbage("stop")
end

function request()
  index = index + 1
  if index > #requests then index = 1; wrapped = true end
  return requests[index]
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    if thread:get("wrapped") then io.write("requests file ran out: messages were repeated\n") return end
  end
end
