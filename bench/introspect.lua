-- wrk script: POST /oauth/introspect (RFC 7662) of one token, the caller authenticating with client_secret_post.
-- INTROSPECT_CLIENT_ID, INTROSPECT_CLIENT_SECRET and INTROSPECT_TOKEN come from the environment
-- (bench/introspect-load.sh sets them).

dofile("bench/form.lua")
local encode = form_encode
local required = required_env

wrk.method = "POST"
wrk.path = "/oauth/introspect"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "client_id=" .. encode(required("INTROSPECT_CLIENT_ID"))
  .. "&client_secret=" .. encode(required("INTROSPECT_CLIENT_SECRET"))
  .. "&token=" .. encode(required("INTROSPECT_TOKEN"))
