-- wrk script for the flash_sale scenario: every request is one "place order" attempt of 1 unit of FLASH_SKU, by the
-- next pre-made member (round robin over FLASH_TOKENS: lines "token addressId"). 201 = an order, 409 = sold out.
local skuId = os.getenv("FLASH_SKU")
local members = {}
for line in io.lines(os.getenv("FLASH_TOKENS")) do
  local token, address = line:match("^(%S+) (%d+)$")
  if token then members[#members + 1] = { token = token, address = address } end
end
local counter = 0

function setup(thread)
  thread:set("offset", counter)
  counter = counter + 1
end

local i = 0
function request()
  i = i + 1
  local m = members[((i * 7 + (offset or 0)) % #members) + 1]
  local body = '{"lines":[{"skuId":' .. skuId .. ',"quantity":1}],"addressId":' .. m.address .. '}'
  return wrk.format("POST", "/api/orders", {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. m.token,
  }, body)
end

-- Answers by status, printed at the end: 201 = an order, 409 = refused; anything else (401, 429, 5xx) means the run
-- measured something else than attempts, and bench.sh fails it.
local threads = {}
local orig_setup = setup
function setup(thread)
  orig_setup(thread)
  table.insert(threads, thread)
end

placed, refused, other = 0, 0, 0
function response(status)
  if status == 201 then placed = placed + 1 elseif status == 409 then refused = refused + 1 else other = other + 1 end
end

function done()
  local p, r, o = 0, 0, 0
  for _, t in ipairs(threads) do p = p + t:get("placed"); r = r + t:get("refused"); o = o + t:get("other") end
  io.write(string.format("statuses: placed %d refused %d other %d\n", p, r, o))
end
