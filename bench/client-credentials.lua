-- wrk script: POST /oauth/token, grant_type=client_credentials, credentials in the form body.
-- CLIENT_ID, CLIENT_SECRET and AUDIENCE come from the environment (bench/token-load.sh sets them).

local function encode(value)
  return (value:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local function required(name)
  local value = os.getenv(name)
  if value == nil or value == "" then
    error(name .. " is not set")
  end
  return value
end

wrk.method = "POST"
wrk.path = "/oauth/token"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "grant_type=client_credentials"
  .. "&client_id=" .. encode(required("CLIENT_ID"))
  .. "&client_secret=" .. encode(required("CLIENT_SECRET"))
  .. "&audience=" .. encode(required("AUDIENCE"))
