-- wrk script: device-flow polls (RFC 8628 §3.4) of the token endpoint, cycling through pending device codes
-- (one per line of DEVICE_CODES_FILE) of the public client DEVICE_CLIENT_ID. Every answer should be 403
-- authorization_pending or 429 slow_down: both count as served; anything else is counted and reported.

dofile("bench/form.lua")
local encode = form_encode
local required = required_env

local client = encode(required("DEVICE_CLIENT_ID"))
local bodies = {}
for line in io.lines(required("DEVICE_CODES_FILE")) do
  bodies[#bodies + 1] = "grant_type=" .. encode("urn:ietf:params:oauth:grant-type:device_code")
    .. "&client_id=" .. client .. "&device_code=" .. encode(line)
end
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }
local next = 0
unexpected = 0
pending = 0
slowed = 0

function init(args)
  next = math.random(#bodies)
end

function request()
  next = next % #bodies + 1
  return wrk.format("POST", "/oauth/token", headers, bodies[next])
end

function response(status, headers, body)
  if status == 403 and body:find("authorization_pending", 1, true) then
    pending = pending + 1
  elseif status == 429 and body:find("slow_down", 1, true) then
    slowed = slowed + 1
  else
    unexpected = unexpected + 1
  end
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  local p, s, u = 0, 0, 0
  for _, thread in ipairs(threads) do
    p = p + thread:get("pending")
    s = s + thread:get("slowed")
    u = u + thread:get("unexpected")
  end
  io.write(string.format("device answers: authorization_pending %d, slow_down %d, unexpected %d\n", p, s, u))
end
