-- wrk script: POST /oauth/token, grant_type=refresh_token, with rotating refresh tokens chained: every
-- request takes a token from a pool and every answer puts its successor back, so no token is sent twice.
-- TOKENS_FILE holds the pool, one refresh token a line; REFRESH_CLIENT_ID and REFRESH_CLIENT_SECRET authenticate in the form
-- body. When the run ends the tokens not in flight are written back to TOKENS_FILE for the next run (a token
-- in flight at the end is lost: its successor was never read). Run with one wrk thread (-t1): the pool is
-- per thread. A request that finds the pool empty sends an empty token, which the server refuses (counted
-- by wrk as a non-2xx answer).

dofile("bench/form.lua")
local encode = form_encode
local required = required_env

local tokens_file = required("TOKENS_FILE")
local prefix = "grant_type=refresh_token"
  .. "&client_id=" .. encode(required("REFRESH_CLIENT_ID"))
  .. "&client_secret=" .. encode(required("REFRESH_CLIENT_SECRET"))
  .. "&refresh_token="
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded" }

pool = {}
for line in io.lines(tokens_file) do
  if line ~= "" then
    pool[#pool + 1] = line
  end
end
refused = 0
missing = 0

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function request()
  local token = table.remove(pool)
  if token == nil then
    missing = missing + 1
    token = ""
  end
  -- Refresh tokens are base64url: nothing in them needs form encoding.
  return wrk.format("POST", "/oauth/token", headers, prefix .. token)
end

function response(status, _, body)
  if status ~= 200 then
    refused = refused + 1
    if refused <= 3 then
      io.stderr:write(string.format("refresh-chain: answer %d: %s\n", status, body:sub(1, 200)))
    end
    return
  end
  -- A plain search, not a pattern: the load generator's own work per answer runs on the server's cores.
  local _, key_end = body:find('"refresh_token":"', 1, true)
  local successor = nil
  if key_end then
    local close = body:find('"', key_end + 1, true)
    successor = close and body:sub(key_end + 1, close - 1)
  end
  if successor then
    pool[#pool + 1] = successor
  else
    missing = missing + 1
  end
end

function done()
  local f = assert(io.open(tokens_file, "w"))
  for _, thread in ipairs(threads) do
    local left = thread:get("pool")
    for _, token in ipairs(left) do
      f:write(token, "\n")
    end
    io.stderr:write(string.format("refresh-chain: %d refused, %d without a token or successor, %d tokens left\n",
      thread:get("refused"), thread:get("missing"), #left))
  end
  f:close()
end
