-- wrk script: POST /oauth/token, grant_type=client_credentials, credentials in the form body.
-- CLIENT_ID, CLIENT_SECRET and AUDIENCE come from the environment (bench/token-load.sh sets them).

dofile("bench/form.lua")
local encode = form_encode
local required = required_env

wrk.method = "POST"
wrk.path = "/oauth/token"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "grant_type=client_credentials"
  .. "&client_id=" .. encode(required("CLIENT_ID"))
  .. "&client_secret=" .. encode(required("CLIENT_SECRET"))
  .. "&audience=" .. encode(required("AUDIENCE"))
