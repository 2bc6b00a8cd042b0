-- wrk script: POSTs pre-signed requests from REQUESTS_FILE ("path<TAB>body" per line). Thread k of n sends lines
-- k, k+n, k+2n … so no two requests repeat within a run unless its lines run out: then it wraps around and done()
-- says so, because repeated messages would only measure the cheap retry path (scripts/bench.sh fails the run).
-- Each thread keeps only its own lines, already formatted as HTTP requests: request() then allocates nothing, so
-- wrk's Lua garbage collector never has to walk hundreds of thousands of live strings mid-run (that walk stalled
-- the client and showed up as server latency).
-- All threads start together: wrk runs each thread's init() and starts that thread before it runs the next one's, and
-- loading takes seconds, so the first thread used to send alone for that long (up to 8 s on a busy machine) — requests
-- wrk then divides by the run's 10 s, and latencies of a different load. The last thread's init() ends by creating
-- REQUESTS_FILE.go; until it exists, the first request() of every other thread waits.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

local function exists(path)
  local f = io.open(path, "r")
  if f then f:close() end
  return f ~= nil
end

function init(args)
  local step = tonumber(os.getenv("WRK_THREADS") or "2")
  go_file = os.getenv("REQUESTS_FILE") .. ".go"
  if id == 1 then os.remove(go_file) end
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
  if id == step then assert(io.open(go_file, "w")):close() end
  -- wrk calls the first thread's request() once from init's side, to check what it returns: that call must not wait.
  started = id == step or (id == 1 and "verifying")
end

function request()
  if started == "verifying" then
    started = false
  else
    while not started do
      started = exists(go_file)
      if not started then os.execute("sleep 0.01") end
    end
  end
  index = index + 1
  if index > #requests then index = 1; wrapped = true end
  return requests[index]
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    if thread:get("wrapped") then io.write("requests file ran out: messages were repeated\n") return end
  end
end
